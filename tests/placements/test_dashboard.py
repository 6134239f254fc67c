"""The dashboard's lists at their edges, and its fixed number of queries."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from crisisunit import roles
from crisisunit.lib.dates import add_months
from placements import services
from placements.models import FollowUp, Placement, Visit
from placements.visit_summary import keep_visit_summary

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def visit_on(placement, day, social_worker):
    """A visit at noon, local time, on `day`."""
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    visit = Visit.objects.create(
        placement=placement,
        parent=placement.child.parents.first(),
        visited_at=at,
        duration_minutes=30,
        recorded_by=social_worker,
    )
    keep_visit_summary([placement.pk])  # as the visit services do
    return visit


@pytest.fixture
def signed_in(client, social_worker):
    client.force_login(social_worker)
    return client


def section(html, anchor):
    start = html.index(f'id="{anchor}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else None]


# Overdue: more than 7 days since the last visit, or since admission without one.


@pytest.mark.parametrize(("days", "overdue"), [(6, False), (7, False), (8, True), (30, True)])
def test_a_placement_is_overdue_after_more_than_seven_days_without_a_visit(
    make_placement, social_worker, today, days, overdue
):
    placement = make_placement(days_ago=40)
    visit_on(placement, today - days * DAY, social_worker)

    assert (placement in Placement.objects.overdue_for_visit(today)) is overdue


@pytest.mark.parametrize(("days", "overdue"), [(7, False), (8, True)])
def test_without_any_visit_the_days_count_from_admission(make_placement, today, days, overdue):
    placement = make_placement(days_ago=days)

    assert (placement in Placement.objects.overdue_for_visit(today)) is overdue


def test_the_dashboard_lists_the_most_overdue_first_with_the_days(
    signed_in, make_placement, social_worker, today
):
    eight = make_placement(days_ago=40)
    visit_on(eight, today - 8 * DAY, social_worker)
    twenty = make_placement(days_ago=20)
    fresh = make_placement(days_ago=40)
    visit_on(fresh, today - 2 * DAY, social_worker)

    html = section(signed_in.get("/staff/").content.decode(), "overdue")

    assert html.index(str(twenty.child)) < html.index(str(eight.child))
    assert "20 days without a visit" in html and "8 days without a visit" in html
    assert str(fresh.child) not in html
    assert f"/staff/placements/{eight.pk}/visits/new/?next=/staff/" in html


def test_closed_placements_are_never_overdue(make_placement, administrator, today):
    placement = make_placement(days_ago=40)
    services.placement_close(
        placement=placement, outcome=Placement.Outcome.OTHER, on=today, by=administrator
    )

    assert not Placement.objects.overdue_for_visit(today).exists()


# Not yet visited this week (Monday to Sunday), for placements not already overdue.


def a_sunday_weeks_ago(today):
    day = today - 30 * DAY
    return day - (day.weekday() + 1) % 7 * DAY


def test_on_a_sunday_a_visit_on_monday_counts_for_the_week(make_placement, social_worker, today):
    sunday = a_sunday_weeks_ago(today)
    placement = make_placement(admitted_on=sunday - 60 * DAY)
    visit_on(placement, sunday - 6 * DAY, social_worker)  # that Monday

    assert placement not in Placement.objects.not_visited_this_week(sunday)
    assert placement not in Placement.objects.overdue_for_visit(sunday)


def test_on_a_sunday_a_visit_the_sunday_before_leaves_it_unvisited(
    make_placement, social_worker, today
):
    sunday = a_sunday_weeks_ago(today)
    placement = make_placement(admitted_on=sunday - 60 * DAY)
    visit_on(placement, sunday - 7 * DAY, social_worker)  # exactly 7 days: not overdue

    assert placement in Placement.objects.not_visited_this_week(sunday)
    assert placement not in Placement.objects.overdue_for_visit(sunday)


def test_on_a_monday_yesterdays_visit_belongs_to_last_week(make_placement, social_worker, today):
    monday = a_sunday_weeks_ago(today) + DAY
    placement = make_placement(admitted_on=monday - 60 * DAY)
    visit_on(placement, monday - DAY, social_worker)

    assert placement in Placement.objects.not_visited_this_week(monday)
    visit_on(placement, monday, social_worker)
    assert placement not in Placement.objects.not_visited_this_week(monday)


def test_an_overdue_placement_is_not_listed_again_under_this_week(make_placement, today):
    placement = make_placement(days_ago=10)

    assert placement in Placement.objects.overdue_for_visit(today)
    assert placement not in Placement.objects.not_visited_this_week(today)


def test_a_child_admitted_this_week_without_a_visit_is_not_yet_visited(make_placement, today):
    placement = make_placement(days_ago=0)

    assert placement in Placement.objects.not_visited_this_week(today)


# Terms and applications


@pytest.mark.parametrize(("days_left", "listed"), [(0, True), (14, True), (15, False)])
def test_terms_ending_within_fourteen_days(signed_in, make_placement, today, days_left, listed):
    placement = make_placement(days_ago=30, planned_end_on=today + days_left * DAY)

    html = section(signed_in.get("/staff/").content.decode(), "terms")

    assert (str(placement.child) in html.split("Term passed")[0]) is listed


def test_a_passed_term_is_listed_until_a_return_application_is_open(
    signed_in, make_placement, make_application, today
):
    placement = make_placement(days_ago=200, planned_end_on=today - DAY)

    html = section(signed_in.get("/staff/").content.decode(), "terms")
    assert str(placement.child) in html.split("Term passed")[1]

    make_application(placement)
    html = section(signed_in.get("/staff/").content.decode(), "terms")
    assert str(placement.child) not in html


def test_waiting_applications_are_grouped_by_status(
    signed_in, make_placement, make_application, social_worker
):
    submitted = make_application(make_placement())
    reviewed = make_application(make_placement())
    services.application_start_review(application=reviewed, by=social_worker)

    html = section(signed_in.get("/staff/").content.decode(), "applications")

    assert html.index("Submitted") < html.index(str(submitted.placement.child))
    assert html.index("Under review") < html.index(str(reviewed.placement.child))


def test_a_long_list_is_cut_but_says_how_long_it_is_and_no_status_is_crowded_out(
    signed_in, many_placements, make_placement, make_application, social_worker
):
    many_placements(250)  # 25 submitted applications, filed today
    reviewed = make_application(make_placement(), days_ago=3)  # filed before all of them
    services.application_start_review(application=reviewed, by=social_worker)

    response = signed_in.get("/staff/")
    html = section(response.content.decode(), "applications")

    groups = response.context["applications_by_status"]
    assert [(g["total"], len(g["rows"])) for g in groups.values()] == [(25, 20), (1, 1)]
    assert str(reviewed.placement.child) in html.split("Under review")[1]
    assert "Showing 20 of 25, the earliest first." in html
    passed = Placement.objects.term_passed_without_application(timezone.localdate()).count()
    assert passed > 20
    terms = section(response.content.decode(), "terms")
    assert f"Showing 20 of {passed}, the earliest first." in terms


def test_the_counts_of_the_day(signed_in, make_placement, make_return, social_worker, today):
    make_placement(days_ago=5)
    visited = make_placement(days_ago=5)
    visit_on(visited, today, social_worker)
    make_return(today)
    make_return(datetime.date(today.year - 1, 6, 1))

    response = signed_in.get("/staff/")

    assert response.context["active_count"] == 2
    assert response.context["returned_count"] == 1
    assert response.context["visits_count"] == 1


def test_mine_only_keeps_the_placements_assigned_to_me(
    signed_in, make_placement, administrator, django_user_model
):
    colleague = django_user_model.objects.create_user(username="colleague")
    colleague.groups.add(Group.objects.get(name=roles.SOCIAL_WORKER))
    mine = make_placement(days_ago=20)
    theirs = make_placement(days_ago=20, social_worker=colleague)

    everything = signed_in.get("/staff/").content.decode()
    only_mine = signed_in.get("/staff/?mine=1").content.decode()

    assert str(theirs.child) in everything
    assert str(mine.child) in only_mine and str(theirs.child) not in only_mine


# A fixed number of queries, whatever the amount of data.


def test_the_dashboard_costs_the_same_queries_at_10_and_1000_placements(
    signed_in, many_placements, django_assert_max_num_queries
):
    many_placements(10)
    # Two of them: the session's second factor, and the line in the read log; two the
    # user's tasks and notices; the counts are one statement, the follow-ups' one more,
    # the applications' one and a list for each open status, and those past the
    # authority's deadline; the stays without a plan one; the children of the
    # placements listed one more, after the lists' sorts and limits.
    with django_assert_max_num_queries(26) as small:
        signed_in.get("/staff/")
    many_placements(990)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = signed_in.get("/staff/")
    assert response.context["active_count"] == 1000


def test_the_counts_in_one_statement_equal_the_lists_they_count(
    many_placements, make_placement, make_return, today
):
    many_placements(60)
    make_return(on=today)
    make_placement(days_ago=200, planned_end_on=today - DAY)  # term passed

    counts = Placement.objects.dashboard_counts(today)

    assert counts == {
        "active": Placement.objects.active().count(),
        "overdue": Placement.objects.overdue_for_visit(today).count(),
        "this_week": Placement.objects.not_visited_this_week(today).count(),
        "no_plan": Placement.objects.without_plan(today).count(),
        "returned": Placement.objects.returned_home().filter(closed_on__year=today.year).count(),
        "ending": Placement.objects.term_ending(today, settings.TERM_WARNING_DAYS).count(),
        "passed": Placement.objects.term_passed_without_application(today).count(),
    }
    assert counts["overdue"] > 0 and counts["this_week"] > 0 and counts["returned"] == 1
    assert counts["ending"] > 0 and counts["passed"] > 0


def test_the_follow_up_counts_equal_the_lists_they_count(make_return, today):
    for months_ago in (1, 3, 6, 12, 18):
        make_return(on=add_months(today, -months_ago))
    follow_ups = FollowUp.objects.all()
    days = settings.FOLLOW_UP_WARNING_DAYS

    counts = follow_ups.dashboard_counts(today, days)

    assert counts == {
        "overdue": follow_ups.overdue(today).count(),
        "due": follow_ups.due_within(today, days).count(),
    }
    assert counts["overdue"] > 0 and counts["due"] > 0
