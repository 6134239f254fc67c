"""Follow-ups after a child goes home, and re-entry into care."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from placements import services
from placements.models import FollowUp, Placement
from placements.reminders import reminders_send

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = datetime.timedelta(days=1)


@pytest.fixture
def returned_on(make_placement, make_child, administrator):
    """A placement closed on `day` with the child returned home."""

    def make(day, child=None):
        child = child or make_child(date_of_birth=day - datetime.timedelta(days=300))
        placement = make_placement(child=child, admitted_on=day - datetime.timedelta(days=60))
        services.placement_close(
            placement=placement, outcome=Placement.Outcome.RETURNED, on=day, by=administrator
        )
        return placement

    return make


def test_a_return_schedules_follow_ups_at_1_3_6_and_12_months(returned_on, administrator):
    placement = returned_on(D(2025, 1, 31))

    due = list(placement.follow_ups.values_list("months_after", "due_on"))

    assert due == [
        (1, D(2025, 2, 28)),  # no 31 February: the month's last day
        (3, D(2025, 4, 30)),
        (6, D(2025, 7, 31)),
        (12, D(2026, 1, 31)),
    ]
    assert placement.follow_ups.first().history.get().history_user == administrator


def test_the_months_are_a_setting(returned_on, settings):
    settings.FOLLOW_UP_MONTHS = [2, 24]

    placement = returned_on(D(2025, 1, 10))

    assert list(placement.follow_ups.values_list("months_after", flat=True)) == [2, 24]


def test_other_outcomes_schedule_no_follow_up(make_placement, administrator, today):
    placement = make_placement(days_ago=60)

    services.placement_close(
        placement=placement, outcome=Placement.Outcome.ADOPTED, on=today, by=administrator
    )

    assert not placement.follow_ups.exists()


def test_recording_a_follow_up(returned_on, social_worker, today):
    follow_up = returned_on(today - 40 * DAY).follow_ups.first()

    services.followup_record(
        follow_up=follow_up,
        by=social_worker,
        done_on=today,
        method="phone_call",
        situation="stable",
        notes="Жақсы",
    )

    assert (follow_up.done_on, follow_up.recorded_by) == (today, social_worker)
    assert follow_up.timeliness() == "on_time" and not follow_up.is_pending


@pytest.mark.parametrize(
    ("days_after_due", "expected"), [(-3, "on_time"), (14, "on_time"), (15, "late")]
)
def test_on_time_means_at_most_14_days_after_the_due_date(
    returned_on, social_worker, days_after_due, expected
):
    follow_up = returned_on(D(2025, 1, 10)).follow_ups.get(months_after=1)  # due 10.02

    services.followup_record(
        follow_up=follow_up,
        by=social_worker,
        done_on=D(2025, 2, 10) + days_after_due * DAY,
        method="home_visit",
        situation="stable",
    )

    assert follow_up.timeliness() == expected


def test_a_follow_up_is_refused_in_the_future_before_the_return_or_twice(
    returned_on, social_worker, today
):
    follow_up = returned_on(today - 40 * DAY).follow_ups.first()
    record = {"by": social_worker, "method": "phone_call", "situation": "stable"}

    with pytest.raises(ValidationError):
        services.followup_record(follow_up=follow_up, done_on=today + DAY, **record)
    with pytest.raises(ValidationError):
        services.followup_record(follow_up=follow_up, done_on=today - 41 * DAY, **record)
    services.followup_record(follow_up=follow_up, done_on=today, **record)
    with pytest.raises(ValidationError, match="already recorded"):
        services.followup_mark_missed(follow_up=follow_up, by=social_worker, reason="—")


def test_a_missed_follow_up_needs_a_reason(returned_on, social_worker, today):
    follow_up = returned_on(today - 40 * DAY).follow_ups.first()

    with pytest.raises(ValidationError, match="why"):
        services.followup_mark_missed(follow_up=follow_up, by=social_worker, reason="  ")
    services.followup_mark_missed(
        follow_up=follow_up, by=social_worker, reason="Отбасы көшіп кетті"
    )

    assert follow_up.timeliness() == "missed"


def test_the_database_refuses_a_done_follow_up_without_how(returned_on, today):
    follow_up = returned_on(today - 40 * DAY).follow_ups.first()

    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.filter(pk=follow_up.pk).update(done_on=today)


# The workspace.


@pytest.fixture
def signed_in(client, social_worker):
    client.force_login(social_worker)
    return client


def test_the_dashboard_shows_follow_ups_due_and_overdue(signed_in, returned_on, today):
    overdue = returned_on(today - 40 * DAY)  # 1-month follow-up due 10 days ago
    due_soon = returned_on(today - 27 * DAY)  # due in 3 or 4 days

    response = signed_in.get("/staff/")

    assert [f.placement for f in response.context["follow_ups_overdue"]] == [overdue]
    assert [f.placement for f in response.context["follow_ups_due"]] == [due_soon]
    assert "days late" in response.content.decode()


def test_a_social_worker_records_a_follow_up_from_the_placement_page(signed_in, returned_on, today):
    placement = returned_on(today - 40 * DAY)
    follow_up = placement.follow_ups.first()
    page = signed_in.get(f"/staff/placements/{placement.pk}/").content.decode()
    assert f"/staff/follow-ups/{follow_up.pk}/" in page

    response = signed_in.post(
        f"/staff/follow-ups/{follow_up.pk}/",
        {
            "happened": "done",
            "done_on": today.isoformat(),
            "method": "home_visit",
            "situation": "concerns",
            "notes": "Анасы жұмыс іздеп жүр",
        },
    )

    assert response["Location"] == f"/staff/placements/{placement.pk}/"
    follow_up.refresh_from_db()
    assert (follow_up.situation, follow_up.done_on) == ("concerns", today)
    assert "Анасы жұмыс іздеп жүр" in signed_in.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"happened": "done", "done_on": "", "method": "", "situation": ""}, "how the contact"),
        ({"happened": "missed", "missed_reason": ""}, "why the follow-up was missed"),
    ],
)
def test_an_incomplete_follow_up_gets_a_message_and_saves_nothing(
    signed_in, returned_on, today, data, message
):
    follow_up = returned_on(today - 40 * DAY).follow_ups.first()

    response = signed_in.post(f"/staff/follow-ups/{follow_up.pk}/", data)

    assert response.status_code == 200 and message in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.is_pending


def test_a_recorded_follow_up_is_not_recorded_again(signed_in, returned_on, social_worker, today):
    follow_up = returned_on(today - 40 * DAY).follow_ups.first()
    services.followup_mark_missed(
        follow_up=follow_up, by=social_worker, reason="Телефон жауап бермейді"
    )

    response = signed_in.get(f"/staff/follow-ups/{follow_up.pk}/", follow=True)

    assert "already recorded" in response.content.decode()


def test_the_reminder_email_lists_overdue_follow_ups(returned_on, social_worker, today):
    social_worker.email = "sw@example.kz"
    social_worker.save()
    placement = returned_on(today - 40 * DAY)

    reminders_send(today=today, base_url="https://crisis.example.kz")

    body = mail.outbox[0].body
    assert placement.child.short_name in body
    assert "1 айлық бақылау" in body  # the default language, Kazakh
    assert f"/staff/follow-ups/{placement.follow_ups.first().pk}/" in body


# Re-entry into care.


@pytest.mark.parametrize(
    ("returned", "readmitted", "is_reentry"),
    [
        (D(2025, 3, 10), D(2026, 3, 10), True),  # exactly 12 months later
        (D(2025, 3, 10), D(2026, 3, 11), False),  # a day more
        (D(2024, 2, 29), D(2025, 2, 28), True),  # from a 29 February
        (D(2025, 3, 10), D(2025, 5, 1), True),
    ],
)
def test_a_child_back_within_12_months_of_a_return_is_a_reentry(
    returned_on, make_placement, returned, readmitted, is_reentry
):
    earlier = returned_on(returned)
    later = make_placement(child=earlier.child, admitted_on=readmitted)

    marked = Placement.objects.with_reentry().get(pk=later.pk)

    assert (marked.reentry_of == earlier.pk) is is_reentry


def test_a_stay_after_another_outcome_is_not_a_reentry(make_placement, make_child, administrator):
    child = make_child(date_of_birth=D(2024, 1, 1))
    earlier = make_placement(child=child, admitted_on=D(2025, 1, 1))
    services.placement_close(
        placement=earlier, outcome=Placement.Outcome.TRANSFERRED, on=D(2025, 2, 1), by=administrator
    )
    later = make_placement(child=child, admitted_on=D(2025, 6, 1))

    assert Placement.objects.with_reentry().get(pk=later.pk).reentry_of is None


def test_the_placement_page_links_the_earlier_stay(signed_in, returned_on, make_placement, today):
    earlier = returned_on(today - 100 * DAY)
    later = make_placement(child=earlier.child, admitted_on=today - 10 * DAY)

    html = signed_in.get(f"/staff/placements/{later.pk}/").content.decode()

    assert "Re-entry into care" in html
    assert f'href="/staff/placements/{earlier.pk}/"' in html


def test_a_stay_admitted_and_returned_the_same_day_is_not_its_own_reentry(
    make_placement, make_child, administrator, signed_in, today
):
    """Product F5: admitted and gone home on one day, it was flagged as a re-entry
    after itself."""
    placement = make_placement(child=make_child(date_of_birth=today - 300 * DAY), admitted_on=today)
    services.placement_close(
        placement=placement, outcome=Placement.Outcome.RETURNED, on=today, by=administrator
    )

    assert Placement.objects.with_reentry().get(pk=placement.pk).reentry_of is None
    assert "Re-entry into care" not in signed_in.get(placement.get_absolute_url()).content.decode()


def test_the_form_says_which_fields_each_answer_needs(signed_in, returned_on):
    """Accessibility review #13: the conditional requirements were hidden."""
    follow_up = returned_on(datetime.date.today() - datetime.timedelta(days=40)).follow_ups.first()

    page = signed_in.get(f"/staff/follow-ups/{follow_up.pk}/").content.decode()

    for field in ("done_on", "method", "situation"):
        assert f'aria-describedby="id_{field}_helptext"' in page
    assert 'aria-describedby="id_missed_reason_helptext"' in page
    assert page.count("Required when the contact took place.") == 3
    assert "Required when the contact was missed." in page
    assert "Notes (optional)" in page
