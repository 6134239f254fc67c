"""The cross-record rules of a stay hold on every path: the stay window (every dated
record between the admission and the closing), who may be the assigned social worker,
and the re-entry rule, whether the change comes from a service, the workspace, the
admin or the import (code review findings 1, 3 and 4, written as their probes)."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from crisisunit import roles
from placements import forms, services
from placements.models import Contact, FollowUp, Placement, VisitWeek

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def local_day(moment):
    return timezone.localtime(moment).date()


# The stay window


def test_the_admission_cannot_move_after_a_logged_visit(
    make_placement, make_visit, administrator, today
):
    """Finding 1: placement_update(admitted_on=…) after 36 of 37 visits was accepted."""
    placement = make_placement(days_ago=40)
    for days_ago in (35, 20, 3):
        make_visit(placement, days_ago=days_ago)

    with pytest.raises(ValidationError) as refused:
        services.placement_update(
            placement=placement, admitted_on=today - 10 * DAY, by=administrator
        )

    assert "dated before" in " ".join(refused.value.messages)
    placement.refresh_from_db()
    assert placement.admitted_on == today - 40 * DAY
    assert all(local_day(v.visited_at) >= placement.admitted_on for v in placement.visits.all())


def test_an_earlier_admission_is_accepted_and_the_visit_weeks_kept(
    make_placement, make_visit, administrator, today
):
    placement = make_placement(days_ago=20)
    make_visit(placement, days_ago=15)
    make_visit(placement, days_ago=1)

    services.placement_update(placement=placement, admitted_on=today - 30 * DAY, by=administrator)

    placement.refresh_from_db()
    assert placement.admitted_on == today - 30 * DAY
    weeks = set(VisitWeek.objects.filter(placement=placement).values_list("week", flat=True))
    assert weeks == {local_day(v.visited_at) - local_day(v.visited_at).weekday() * DAY
                     for v in placement.visits.all()}  # fmt: skip


def test_the_admission_cannot_move_after_a_contact_or_an_application(
    make_placement, make_application, social_worker, administrator, today
):
    placement = make_placement(days_ago=30)
    make_application(placement, days_ago=25)

    with pytest.raises(ValidationError):
        services.placement_update(
            placement=placement, admitted_on=today - 20 * DAY, by=administrator
        )

    other = make_placement(days_ago=30)
    services.contact_record(
        placement=other, kind=Contact.Kind.CALL, happened_on=today - 28 * DAY,
        parent=other.child.parents.first(), outcome=Contact.Outcome.REACHED, by=social_worker,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.placement_update(placement=other, admitted_on=today - 20 * DAY, by=administrator)


def test_a_stay_cannot_close_before_a_logged_contact(
    make_placement, social_worker, administrator, today
):
    """The closing checked only visits and consultations: a contact was stranded."""
    placement = make_placement(days_ago=30)
    services.contact_record(
        placement=placement, kind=Contact.Kind.CALL, happened_on=today - 2 * DAY,
        parent=placement.child.parents.first(), outcome=Contact.Outcome.REACHED, by=social_worker,
    )  # fmt: skip

    with pytest.raises(ValidationError) as refused:
        services.placement_close(
            placement=placement, outcome=Placement.Outcome.OTHER, on=today - 5 * DAY,
            by=administrator,
        )  # fmt: skip

    assert refused.value.code == "closing_date"
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ACTIVE


def test_the_admin_refuses_an_admission_after_the_visits_with_the_reason(
    client, make_placement, make_visit, administrator, today
):
    placement = make_placement(days_ago=40)
    make_visit(placement, days_ago=30)
    client.force_login(administrator)
    page = client.get(f"/admin/placements/placement/{placement.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["admitted_on"] = (today - 10 * DAY).isoformat()
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({f"{management.prefix}-{k}": v or "" for k, v in management.initial.items()})

    response = client.post(f"/admin/placements/placement/{placement.pk}/change/", data)

    assert response.status_code == 200
    assert "dated before" in response.content.decode()
    placement.refresh_from_db()
    assert placement.admitted_on == today - 40 * DAY


# Who may be the assigned social worker


@pytest.fixture
def doctor(medical_staff):
    return medical_staff


def test_an_administrator_is_refused_as_the_assigned_worker_by_the_form_and_the_service(
    make_placement, administrator
):
    """Finding 4: the reassign form refused `admin`, placement_reassign accepted it."""
    placement = make_placement()
    form = forms.ReassignForm(
        {"placements": [placement.pk], "social_worker": administrator.pk, "next": "/staff/"}
    )

    assert not form.is_valid()
    with pytest.raises(ValidationError) as refused:
        services.placement_reassign(
            placements=[placement], social_worker=administrator, by=administrator
        )
    assert "is not an active social worker" in " ".join(refused.value.messages)
    placement.refresh_from_db()
    assert placement.social_worker != administrator


def test_a_doctor_is_refused_as_the_assigned_worker_by_a_correction(
    make_placement, administrator, doctor
):
    """Finding 4: placement_update accepted the doctor."""
    placement = make_placement()

    with pytest.raises(ValidationError):
        services.placement_update(placement=placement, social_worker=doctor, by=administrator)

    placement.refresh_from_db()
    assert placement.social_worker != doctor


def test_an_intake_or_an_admin_admission_refuses_a_worker_who_left(
    make_child, make_parent, social_worker, administrator, django_user_model, today
):
    left = django_user_model.objects.create_user("left_worker", is_active=False)
    left.groups.add(Group.objects.get(name=roles.SOCIAL_WORKER))
    child = make_child()
    make_parent(child=child)
    placement = Placement(
        child=child, admitted_on=today, social_worker=left,
        referral_source=Placement.ReferralSource.GUARDIANSHIP,
        crisis_reason=Placement.CrisisReason.HOUSING,
    )  # fmt: skip

    with pytest.raises(ValidationError) as refused:
        services.placement_open(placement=placement, by=administrator)

    assert "social_worker" in refused.value.message_dict
    assert not Placement.objects.filter(child=child).exists()


def test_a_stay_keeps_a_worker_who_left_until_it_is_reassigned(
    make_placement, social_worker, administrator, today
):
    """The rule is asked when the worker is chosen, not on every later change."""
    placement = make_placement(days_ago=30)
    social_worker.is_active = False
    social_worker.save()

    services.placement_close(
        placement=placement, outcome=Placement.Outcome.OTHER, on=today, by=administrator
    )

    placement.refresh_from_db()
    assert placement.status == Placement.Status.CLOSED


def test_the_import_names_only_those_who_may_be_assigned(
    tmp_path, administrator, social_worker, capsys
):
    """The import counted anyone holding the visit permission (administrators)."""
    path = tmp_path / "caseload.csv"
    path.write_text(
        "child_surname;child_given_name;child_date_of_birth;child_sex;admitted_on;"
        "referral_source;crisis_reason;social_worker\n"
        f"Тестова;Жания;10.01.2025;f;01.06.2026;mother_and_child;relationship;"
        f"{administrator.username}\n",
        encoding="utf-8",
    )

    with pytest.raises(Exception, match="Nothing was imported"):
        call_command("import_caseload", str(path), by=administrator.username, language="en")

    assert "No active social worker is called" in capsys.readouterr().out
    assert not Placement.objects.exists()


# Re-entry through the import


REENTRY = (
    "child_surname;child_given_name;child_date_of_birth;child_sex;parent_surname;"
    "parent_given_name;parent_date_of_birth;parent_sex;parent_relation;admitted_on;"
    "referral_source;crisis_reason;closed_on;outcome;visit_dates\n"
    "Тестова;Жания;10.01.2025;f;Тестова;Айгуль;05.05.1998;f;mother;{first};"
    "mother_and_child;relationship;{returned};returned;{visit}\n"
    "Тестова;Жания;10.01.2025;f;Тестова;Айгуль;05.05.1998;f;mother;{back};"
    "mother_and_child;relationship;;;\n"
)


def _reentry_file(tmp_path, today, rows="both"):
    dates = {
        "first": today - 180 * DAY, "returned": today - 40 * DAY,
        "visit": today - 170 * DAY, "back": today - 20 * DAY,
    }  # fmt: skip
    text = REENTRY.format(**{k: f"{v:%d.%m.%Y}" for k, v in dates.items()})
    lines = text.splitlines(keepends=True)
    chosen = {"both": lines, "first": lines[:2], "back": [lines[0], lines[2]]}[rows]
    path = tmp_path / f"reentry-{rows}.csv"
    path.write_text("".join(chosen), encoding="utf-8")
    return path, dates


def _import(path, administrator, social_worker):
    call_command(
        "import_caseload", str(path), by=administrator.username,
        social_worker=social_worker.username, commit=True, stdout=io.StringIO(),
    )  # fmt: skip


def test_a_child_imported_back_into_care_closes_the_earlier_follow_ups(
    tmp_path, administrator, social_worker, today
):
    """Finding 3 (probes/reentry.csv): the earlier stay's follow-ups stayed pending."""
    path, dates = _reentry_file(tmp_path, today)

    _import(path, administrator, social_worker)

    earlier = Placement.objects.get(admitted_on=dates["first"])
    follow_ups = FollowUp.objects.filter(placement=earlier)
    assert follow_ups.exists()
    assert not [f for f in follow_ups if f.is_pending]
    back = f"{dates['back']:%d.%m.%Y}"
    assert all(back in f.missed_reason for f in follow_ups)


def test_a_child_on_file_imported_back_into_care_closes_the_earlier_follow_ups(
    tmp_path, administrator, social_worker, today
):
    first, dates = _reentry_file(tmp_path, today, rows="first")
    _import(first, administrator, social_worker)
    earlier = Placement.objects.get()
    assert all(f.is_pending for f in FollowUp.objects.filter(placement=earlier))

    back, _dates = _reentry_file(tmp_path, today, rows="back")
    _import(back, administrator, social_worker)

    follow_ups = FollowUp.objects.filter(placement=earlier)
    assert follow_ups.exists() and not [f for f in follow_ups if f.is_pending]
    assert {h.history_user for f in follow_ups for h in f.history.all()[:1]} == {administrator}
