"""Issue 31, item 8: the indicators of the work with the family, on the indicators
page (with its CSV) and in the period report, counted from the records."""

import datetime

import pytest

from placements import services
from stats import family_work

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def worked(social_worker, administrator, make_placement, make_application, today):
    """Three stays admitted 40, 40 and 80 days ago (plans on day 3, day 20 and day 2);
    one review on time, one late; two referrals; a child returned home whose risk went
    from high to low; an application decided 10 days after it was sent."""
    by = social_worker
    a, b, c = (make_placement(days_ago=d) for d in (40, 40, 80))
    for stay, day in ((a, 3), (b, 20), (c, 2)):
        services.plan_start(placement=stay, started_on=stay.admitted_on + day * DAY, by=by)
        goal = services.goal_add(placement=stay, area="housing", description="Жильё", by=by)
    for stay, held in ((a, today - 5 * DAY), (c, today - 20 * DAY)):
        goal = stay.plan.goals.get()
        services.review_hold(
            placement=stay, held_on=held, participants="мать", decision="continue",
            progress={goal.pk: 2}, by=by,
        )  # fmt: skip
    mother = a.child.parents.get()
    given = services.referral_send(
        placement=a, parent=mother, service="legal", organisation="Юрцентр",
        sent_on=today - 10 * DAY, request="Совет", by=by,
    )  # fmt: skip
    services.referral_answer(
        referral=given, status="given", answered_on=today - 5 * DAY, outcome="Помогли", by=by
    )
    services.referral_send(
        placement=a, parent=mother, service="housing", organisation="Акимат",
        sent_on=today - 3 * DAY, request="Очередь", by=by,
    )  # fmt: skip
    for day, level in ((30, "high"), (18, "low")):
        services.inspection_record(
            placement=c, inspected_on=today - day * DAY, inspectors="x", address="y",
            conclusion="z", risk_level=level, risk_reason="r", by=by,
        )  # fmt: skip
    application = make_application(c, filed_on=today - 16 * DAY)
    services.application_start_review(
        application=application, sent_on=today - 15 * DAY, outgoing_number="1",
        inspection=c.inspections.first(), by=by,
    )  # fmt: skip
    services.application_approve(
        application=application, decision_number="Ш-1", decision_date=today - 5 * DAY,
        returned_on=today - 4 * DAY, by=administrator,
    )  # fmt: skip


def test_the_figures_count_plans_reviews_referrals_risk_and_decisions(worked, today):
    figures = family_work.compute(today - 365 * DAY, today, today)

    assert (figures["plans_due"], figures["plans_on_time"], figures["plans_share"]) == (3, 2, 66.7)
    assert (figures["reviews"], figures["reviews_on_time"]) == (2, 1)
    referrals = {row[0]: row[1:] for row in figures["referrals"]}
    assert referrals["legal aid"] == (1, 0, 1, 0, 0)
    assert referrals["housing queue"] == (1, 0, 0, 0, 1)
    assert {label: (first, last) for label, first, last in figures["risk"]} == {
        "low": (0, 1), "medium": (0, 0), "high": (1, 0),
    }  # fmt: skip
    assert figures["decision_days"] == 10


def test_the_indicators_page_and_its_csv_show_them(client, worked, administrator):
    client.force_login(administrator)

    page = client.get("/staff/indicators/").content.decode()
    csv = client.get("/staff/indicators/", {"download": "referrals", "period": "last12"})

    assert "Work with the family" in page and "Plans on time" in page
    assert "median days from sending to the authority" in page.lower()
    assert csv.status_code == 200 and "legal aid" in csv.content.decode("utf-8-sig").lower()


def test_the_period_report_carries_them(client, worked, administrator, today):
    client.force_login(administrator)

    page = client.get("/staff/reports/", {"year": today.year, "part": ""}).content.decode()

    assert "Work with the family" in page and "reviews on time" in page.lower()
    assert "Referrals to services sent in the period, by service" in page
