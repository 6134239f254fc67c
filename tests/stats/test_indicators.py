"""The unit's indicators on a small fixed dataset, each value worked out by hand.

The year 2025, five stays:
  P1 20.12.2024–10.01.2025 returned home (across New Year, 21 days)
  P2 01.02–03.03 adopted (30 days); visits on 01.02 (admission, a cut week), 04.02,
     05.02 (the same week) and 26.02: 2 of its 4 full weeks
  P3 01.03–29.06 returned (120 days), term extended; a visit every one of its 17 weeks
  P4 05.05 (Monday)–01.06 (Sunday) returned (27 days); visits in weeks 1 and 3 of 4
  P5 admitted 01.10, still in care, no visit at all: 12 full weeks to 28.12
P1's child comes back on 10.01.2026, exactly 12 months after its return (a re-entry);
P3's on 30.06.2026, 12 months and a day after (not one).
"""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from placements import services
from placements.models import Consultation, FollowUp, Placement, Visit
from placements.visit_summary import keep_visit_summary
from stats import indicators

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = indicators.Period.year_of(2025)


@pytest.fixture
def dataset(make_placement, make_child, administrator, social_worker):
    def stay(admitted, closed=None, outcome=Placement.Outcome.RETURNED, child=None):
        child = child or make_child(date_of_birth=D(2024, 6, 1))
        placement = make_placement(child=child, admitted_on=admitted)
        if closed:
            services.placement_close(
                placement=placement, outcome=outcome, on=closed, by=administrator
            )
        return placement

    def visits(placement, *days):
        parent = placement.child.parents.get()
        for day in days:
            noon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
            Visit.objects.create(
                placement=placement,
                parent=parent,
                visited_at=noon,
                duration_minutes=30,
                recorded_by=social_worker,
            )
        keep_visit_summary([placement.pk])  # as the visit services do

    p1 = stay(D(2024, 12, 20))
    p2 = stay(D(2025, 2, 1))
    p3 = stay(D(2025, 3, 1))
    p4 = stay(D(2025, 5, 5))
    p5 = stay(D(2025, 10, 1))
    visits(p2, D(2025, 2, 1), D(2025, 2, 4), D(2025, 2, 5), D(2025, 2, 26))
    visits(p3, *[D(2025, 3, 5) + datetime.timedelta(weeks=n) for n in range(17)])
    visits(p4, D(2025, 5, 6), D(2025, 5, 21))
    services.placement_extend(
        placement=p3,
        new_end_on=D(2025, 10, 1),
        reason="Ана емделуде",
        basis_number="Б-1",
        basis_date=D(2025, 6, 1),
        by=administrator,
    )
    for specialist, day in [("lawyer", 10), ("lawyer", 11), ("doctor", 12)]:
        Consultation.objects.create(
            placement=p3,
            parent=p3.child.parents.get(),
            specialist=specialist,
            held_on=D(2025, 4, day),
            summary="Кеңес",
            recorded_by=social_worker,
        )
    Consultation.objects.create(
        placement=p5,
        parent=p5.child.parents.get(),
        specialist="psychologist",
        held_on=D(2025, 11, 3),
        summary="Кеңес",
        recorded_by=social_worker,
    )
    services.placement_close(
        placement=p1, outcome=Placement.Outcome.RETURNED, on=D(2025, 1, 10), by=administrator
    )
    services.placement_close(
        placement=p2, outcome=Placement.Outcome.ADOPTED, on=D(2025, 3, 3), by=administrator
    )
    services.placement_close(
        placement=p3, outcome=Placement.Outcome.RETURNED, on=D(2025, 6, 29), by=administrator
    )
    services.placement_close(
        placement=p4, outcome=Placement.Outcome.RETURNED, on=D(2025, 6, 1), by=administrator
    )
    back = stay(D(2026, 1, 10), child=p1.child)
    not_back = stay(D(2026, 6, 30), child=p3.child)

    def follow_up(placement, months):
        return FollowUp.objects.get(placement=placement, months_after=months)

    services.followup_record(
        follow_up=follow_up(p1, 1),
        by=social_worker,
        done_on=D(2025, 2, 12),
        method="phone_call",
        situation="stable",
    )
    services.followup_record(
        follow_up=follow_up(p1, 3),
        by=social_worker,
        done_on=D(2025, 5, 1),
        method="home_visit",
        situation="stable",
    )  # due 10.04: 21 days late
    services.followup_mark_missed(
        follow_up=follow_up(p1, 6), by=social_worker, reason="Телефон жауап бермейді"
    )
    services.followup_record(
        follow_up=follow_up(p3, 1),
        by=social_worker,
        done_on=D(2025, 8, 12),
        method="came_in",
        situation="concerns",
    )  # due 29.07: 14 days after, still on time
    services.followup_record(
        follow_up=follow_up(p3, 3),
        by=social_worker,
        done_on=D(2025, 10, 14),
        method="home_visit",
        situation="stable",
    )  # due 29.09: 15 days late
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "back": back, "not_back": not_back}


@pytest.fixture
def year_2025(dataset, today):
    return indicators.compute(YEAR, today)


def test_placements_opened_closed_and_returned(year_2025):
    assert year_2025["counts"]["opened"] == 4  # P1 was admitted in 2024
    assert year_2025["counts"]["closed"] == 4
    assert year_2025["counts"]["returned"] == 3
    assert year_2025["returned_share"] == 75.0
    outcomes = {value: n for value, _label, n in year_2025["outcomes"]}
    assert outcomes == {
        "returned": 3,
        "guardianship": 0,
        "adopted": 1,
        "transferred": 0,
        "other": 0,
    }


def test_length_of_stay_by_nearest_rank_across_new_year(year_2025):
    # Stays 21 (across New Year), 27, 30, 120 days.
    assert year_2025["median_stay"] == 27
    assert year_2025["p90_stay"] == 120
    assert year_2025["extended_share"] == 25.0


def test_weekly_visit_compliance_counts_full_weeks_only(year_2025):
    visits = year_2025["visits"]

    assert (visits["weeks"], visits["visited_weeks"]) == (4 + 17 + 4 + 12, 2 + 17 + 2 + 0)
    assert visits["compliance"] == 56.8
    assert visits["placements"] == 4  # P1 had no full week in 2025
    bands = {band: n for band, _label, n in visits["bands"]}
    assert bands == {"none": 1, "under_half": 0, "half_or_more": 2, "all": 1}


def test_consultations_per_placement_in_care(year_2025):
    per = {value: (n, per) for value, _label, n, per in year_2025["consultations"]}

    assert year_2025["in_care"] == 5
    assert per["lawyer"] == (2, 0.4) and per["doctor"] == (1, 0.2)
    assert per["psychologist"] == (1, 0.2) and per["social_worker"] == (0, 0.0)


def test_follow_ups_on_time_late_missed(year_2025):
    assert year_2025["follow_ups"] == {
        "due": 9,
        "on_time": 2,
        "late": 2,
        "missed": 1,
        "open": 4,
        "on_time_share": 40.0,
    }


def test_reentry_exactly_twelve_months_later_counts_a_day_more_does_not(dataset, year_2025):
    assert year_2025["counts"]["reentered"] == 1
    assert year_2025["reentry_share"] == 33.3
    marked = Placement.objects.with_reentry()
    assert marked.get(pk=dataset["back"].pk).reentry_of == dataset["p1"].pk
    assert marked.get(pk=dataset["not_back"].pk).reentry_of is None
    assert marked.get(pk=dataset["p1"].pk).reentry_of is None


def test_a_period_with_nothing_gives_no_shares(today):
    empty = indicators.compute(indicators.Period.year_of(2019), today)

    assert empty["returned_share"] is None and empty["median_stay"] is None
    assert empty["visits"]["compliance"] is None


def test_the_indicators_cost_the_same_queries_with_more_data(
    dataset, many_placements, today, django_assert_max_num_queries
):
    # Seven, and five for the work with the family (plans, reviews, referrals, risk
    # levels, days to the decision).
    with django_assert_max_num_queries(12) as small:
        indicators.compute(YEAR, today)
    many_placements(300)

    with django_assert_max_num_queries(len(small.captured_queries)):
        indicators.compute(indicators.Period.last_12_months(today), today)


# The page.


@pytest.fixture
def signed_in(client, administrator):
    client.force_login(administrator)
    return client


def test_the_page_shows_each_figure_with_its_definition(signed_in, dataset):
    html = signed_in.get("/staff/indicators/?period=2025").content.decode()

    assert "56.8%" in html and "75.0%" in html and "33.3%" in html
    assert "nearest rank" in html and "full weeks (Monday to Sunday)" in html
    assert html.count('<svg role="img"') == 4


def test_each_table_downloads_as_csv(signed_in, dataset):
    response = signed_in.get("/staff/indicators/?period=2025&download=visits")

    content = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv")
    assert content.startswith("\ufeff".encode())  # so that Excel reads it as UTF-8
    assert rows[0] == ["indicator", "value"]
    assert ["weekly visit compliance, %", "56.8"] in rows and ["full weeks in care", "37"] in rows


def test_a_csv_in_russian_writes_its_numbers_as_the_page_does_separated_by_semicolons(
    signed_in, dataset, administrator
):
    administrator.language = "ru"
    administrator.save()

    response = signed_in.get("/staff/indicators/?period=2025&download=visits")

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))  # Excel's separator in ru
    assert ["соблюдение еженедельных посещений, %", "56,8"] in [
        [cell.lower() for cell in row] for row in rows
    ]


def test_a_period_that_does_not_exist_gets_a_message(signed_in):
    response = signed_in.get("/staff/indicators/?period=1900")

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_page_speaks_russian(signed_in, dataset):
    html = signed_in.get(
        "/staff/indicators/?period=2025", headers={"accept-language": "ru"}
    ).content.decode()

    assert "Показатели" in html


def test_a_visit_in_the_cut_week_of_a_closing_is_not_a_visited_full_week(
    make_placement, make_child, administrator, social_worker, today
):
    """2023: A from Wednesday 01.03 to Wednesday 22.03, visits on Thursday 02.03 (the cut
    first week), 07.03 and Tuesday 21.03 (the cut last week): full weeks 06.03 and
    13.03, one visited. B from Tuesday 04.04 to Friday 07.04, a visit on 05.04: no full
    week at all."""

    def stay(admitted, closed, *days):
        placement = make_placement(
            child=make_child(date_of_birth=D(2022, 6, 1)), admitted_on=admitted
        )
        parent = placement.child.parents.get()
        for day in days:
            Visit.objects.create(
                placement=placement,
                parent=parent,
                visited_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))),
                duration_minutes=30,
                recorded_by=social_worker,
            )
        keep_visit_summary([placement.pk])  # as the visit services do
        services.placement_close(
            placement=placement, outcome=Placement.Outcome.RETURNED, on=closed, by=administrator
        )

    stay(D(2023, 3, 1), D(2023, 3, 22), D(2023, 3, 2), D(2023, 3, 7), D(2023, 3, 21))
    stay(D(2023, 4, 4), D(2023, 4, 7), D(2023, 4, 5))

    visits = indicators.compute(indicators.Period.year_of(2023), today)["visits"]

    assert (visits["placements"], visits["weeks"], visits["visited_weeks"]) == (1, 2, 1)
    assert {band: n for band, _label, n in visits["bands"]}["half_or_more"] == 1


def test_the_percentiles_of_stays_are_the_nearest_rank_with_ties(
    make_placement, make_child, administrator, today
):
    stays = [5, 40, 40, 40, 7, 90, 12, 12, 300, 61, 8]  # 11 stays closed in 2022
    for n, days in enumerate(stays):
        placement = make_placement(
            child=make_child(date_of_birth=D(2021, 1, 1)), admitted_on=D(2022, 1, 3 + n)
        )
        services.placement_close(
            placement=placement,
            outcome=Placement.Outcome.RETURNED,
            on=D(2022, 1, 3 + n) + datetime.timedelta(days=days),
            by=administrator,
        )
    ordered = sorted(stays)

    found = indicators.percentile_stays(Placement.objects.closed(), [0.5, 0.9, 0.1])

    # Nearest rank: the ceil(11 × p)-th shortest stay.
    assert found == {(None, 0.5): ordered[5], (None, 0.9): ordered[9], (None, 0.1): ordered[1]}
    assert (ordered[5], ordered[9], ordered[1]) == (40, 90, 7)


def test_kept_indicators_are_read_again_without_counting_until_a_record_changes(
    settings, make_placement, administrator, today, django_capture_on_commit_callbacks
):
    settings.CASE_VIEWS_IN_CACHE = True  # as with Redis
    placement = make_placement(days_ago=40)
    period = indicators.Period.last_12_months(today)
    first = indicators.kept(period, today)

    with CaptureQueriesContext(connection) as again:
        assert indicators.kept(period, today) == first
    with django_capture_on_commit_callbacks(execute=True):
        services.placement_close(
            placement=placement, outcome=Placement.Outcome.RETURNED, on=today, by=administrator
        )
    after = indicators.kept(period, today)

    assert again.captured_queries == []
    assert (first["counts"]["returned"], after["counts"]["returned"]) == (0, 1)


def test_yearly_outcomes_of_years_with_a_gap_show_only_those_years(make_return):
    for year in (2023, 2024, 2024, 2025):
        make_return(on=D(year, 6, 1))

    rows = indicators.yearly_outcomes([2023, 2025], small_cell=1)

    assert [(row["year"], row["closed"]) for row in rows] == [(2023, 1), (2025, 1)]
