"""What the morning email asks for has a place: calls, texts and missed agreed visits
with their outcome, agreed visit days and the week's expected visits, and visitors
other than the parents (a grandmother)."""

import datetime

import pytest
from django.utils import timezone

from crisisunit.lib.dates import week_start
from placements import services
from placements.models import AgreedVisit, Contact, Placement, Visitor

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(make_placement):
    return make_placement(days_ago=30)


def log(client, placement, **fields):
    return client.post(
        f"/staff/placements/{placement.pk}/contacts/new/",
        {"happened_on": timezone.localdate().isoformat(), **fields},
    )


def test_a_call_and_a_missed_visit_are_logged_and_counted_on_the_dashboard(
    client, social_worker, placement
):
    mother = placement.child.parents.get()
    client.force_login(social_worker)

    log(client, placement, kind="missed_visit", parent=mother.pk, note="Не пришла в среду")
    log(client, placement, kind="call", parent=mother.pk, outcome="not_reached")

    assert Contact.objects.filter(placement=placement).count() == 2
    page = client.get(f"/staff/placements/{placement.pk}/").content.decode()
    assert "Missed agreed visit" in page and "Не пришла в среду" in page
    assert "Phone call" in page and "(not reached)" in page
    dashboard = client.get("/staff/").content.decode()  # no visit in 30 days: overdue
    assert "1 contact attempt since" in dashboard


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "call"}, "Choose either a parent or a visitor."),
        ({"kind": "call", "parent": "MOTHER"}, "Say whether the person was reached."),
        ({"kind": "relative_visit", "parent": "MOTHER"}, "Choose the relative who came."),
        (
            {"kind": "call", "parent": "MOTHER", "outcome": "reached", "happened_on": "2000-01-01"},
            "before the admission",
        ),
    ],
)
def test_a_contact_that_does_not_hold_together_is_refused(
    client, social_worker, placement, fields, message
):
    mother = placement.child.parents.get()
    client.force_login(social_worker)
    if fields.get("parent") == "MOTHER":
        fields = {**fields, "parent": mother.pk}

    response = log(client, placement, **fields)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contact.objects.exists()


def test_a_grandmother_is_added_as_a_visitor_and_her_visit_logged(
    client, social_worker, placement, make_placement
):
    client.force_login(social_worker)

    client.post(
        f"/staff/placements/{placement.pk}/visitors/new/",
        {"name": "Гүлжан Сейітова", "relation": "әжесі", "phone": "8 701 222 33 44"},
    )
    grandmother = Visitor.objects.get()
    log(client, placement, kind="relative_visit", visitor=grandmother.pk)

    assert (grandmother.phone, grandmother.recorded_by) == ("+77012223344", social_worker)
    page = client.get(f"/staff/placements/{placement.pk}/").content.decode()
    assert "Гүлжан Сейітова</strong> — әжесі" in page and "Visit by a relative" in page
    other = make_placement()
    response = log(client, other, kind="relative_visit", visitor=grandmother.pk)
    assert response.status_code == 200  # not a visitor of that child
    assert Contact.objects.count() == 1


def test_agreed_days_show_on_the_case_and_in_the_week(
    client, social_worker, placement, make_visit, today
):
    mother = placement.child.parents.get()
    client.force_login(social_worker)
    monday = week_start(today)

    client.post(
        f"/staff/placements/{placement.pk}/agreed-visits/",
        {"parent": mother.pk, "days": ["0", "3"], "time": "15:00"},
    )
    if today > monday:  # a visit logged on Monday
        services.visit_record(
            placement=placement,
            parent=mother,
            visited_at=timezone.make_aware(datetime.datetime.combine(monday, datetime.time(15))),
            duration_minutes=60,
            by=social_worker,
        )

    case = client.get(f"/staff/placements/{placement.pk}/").content.decode()
    assert "Agreed visit days: Monday 15:00, Thursday 15:00" in case
    week = client.get("/staff/week/")
    days = {d["day"].weekday(): d["expected"] for d in week.context["schedule"]}
    assert [e["agreed"].parent for e in days[0]] == [mother]
    assert [e["agreed"].parent for e in days[3]] == [mother]
    assert days[1] == [] and days[6] == []
    if today > monday:
        assert days[0][0]["state"] == "came"


def test_a_changed_agreement_ends_the_old_days_and_keeps_them(client, social_worker, placement):
    mother = placement.child.parents.get()
    client.force_login(social_worker)
    url = f"/staff/placements/{placement.pk}/agreed-visits/"

    client.post(url, {"parent": mother.pk, "days": ["0", "3"]})
    client.post(url, {"parent": mother.pk, "days": ["4"]})

    assert sorted(a.weekday for a in AgreedVisit.objects.current()) == [4]
    assert AgreedVisit.objects.filter(ended_at__isnull=False).count() == 2


def test_medical_staff_do_not_log_contacts(client, medical_staff, placement):
    client.force_login(medical_staff)

    assert log(client, placement, kind="call").status_code == 403
    assert client.get("/staff/week/").status_code == 200


def test_the_week_and_the_contact_form_cost_the_same_queries_at_small_and_large_data(
    client, social_worker, many_placements, django_assert_max_num_queries
):
    def agree(placements):
        for placement in placements:
            services.agreed_visits_set(
                placement=placement,
                parent=placement.child.parents.first(),
                days=[0, 3],
                by=social_worker,
            )

    many_placements(5)
    agree(Placement.objects.all())
    client.force_login(social_worker)
    first = Placement.objects.first()
    with django_assert_max_num_queries(12) as week:
        client.get("/staff/week/")
    with django_assert_max_num_queries(14) as form:
        client.get(f"/staff/placements/{first.pk}/contacts/new/")

    agree(many_placements(60) or Placement.objects.exclude(agreed_visits__isnull=False))
    with django_assert_max_num_queries(len(week.captured_queries)):
        response = client.get("/staff/week/")
    with django_assert_max_num_queries(len(form.captured_queries)):
        client.get(f"/staff/placements/{first.pk}/contacts/new/")
    assert sum(len(d["expected"]) for d in response.context["schedule"]) == 130
