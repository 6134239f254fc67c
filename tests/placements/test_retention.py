import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from crisisunit.lib.dates import add_months
from placements import services
from placements.models import Placement
from placements.services import documents as document_services

pytestmark = pytest.mark.django_db


def _report(**options):
    out = io.StringIO()
    call_command("retention_report", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def closed_on(make_placement, make_child, administrator):
    def make(day):
        admitted = day - datetime.timedelta(days=90)
        child = make_child(date_of_birth=admitted - datetime.timedelta(days=100))
        placement = make_placement(child=child, admitted_on=admitted)
        services.placement_close(
            placement=placement, outcome=Placement.Outcome.ADOPTED, on=day, by=administrator
        )
        return placement

    return make


def test_it_lists_the_placements_closed_longer_ago_than_the_policy(
    closed_on, make_placement, make_child, today, settings
):
    settings.RETENTION_YEARS = 5
    five_years_ago = add_months(today, -60)
    old = closed_on(five_years_ago - datetime.timedelta(days=1))
    on_the_day = closed_on(five_years_ago)
    recent = closed_on(today - datetime.timedelta(days=400))
    active = make_placement(
        child=make_child(date_of_birth=five_years_ago - datetime.timedelta(days=500)),
        admitted_on=five_years_ago - datetime.timedelta(days=400),
    )

    report = _report()

    assert "5 years after a placement closes. 1 closed placement(s) are past it" in report
    assert f"No. {old.pk}\t" in report
    assert f"/admin/placements/placement/{old.pk}/change/" in report
    for kept in (on_the_day, recent, active):
        assert f"No. {kept.pk}\t" not in report


def test_it_deletes_and_changes_nothing(closed_on, today):
    closed_on(add_months(today, -100))
    before = list(Placement.objects.values())

    _report(years=1)

    assert list(Placement.objects.values()) == before


def test_it_names_no_child(closed_on, today):
    placement = closed_on(add_months(today, -100))

    report = _report()

    assert placement.child.surname not in report and placement.child.given_name not in report


def test_the_years_can_be_given_for_one_run(closed_on, today):
    placement = closed_on(today - datetime.timedelta(days=800))

    assert f"No. {placement.pk}\t" in _report(years=2)
    assert f"No. {placement.pk}\t" not in _report(years=3)


def test_it_counts_the_documents_kept_with_each_placement(closed_on, today, social_worker):
    old = closed_on(add_months(today, -70))
    for name in ("a.pdf", "b.pdf"):
        document_services.document_add(
            placement=old, kind="referral", dated_on=old.admitted_on,
            upload=SimpleUploadedFile(name, b"%PDF-1.4 scan"), by=social_worker,
        )  # fmt: skip

    out = _report(years=5)

    assert "1 closed placement(s) are past it" in out and "with 2 document(s)." in out
    assert f"No. {old.pk}\t" in out and "\t2 document(s)\t" in out
