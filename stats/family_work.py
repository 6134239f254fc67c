"""The indicators of the work with the family for a period: plans started on time,
reviews held on time, referrals by service and answer, the risk level found at the
first and at the last inspection of the children returned home, and the days the
authority took to decide. A fixed number of queries; counts only, no personal data."""

import datetime
import statistics
from collections import Counter
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from crisisunit.lib.dates import add_months
from crisisunit.lib.text import interpolate_lazy
from placements.models import InspectionAct, Placement, PlanReview, Referral, ReturnApplication

DEFINITION = interpolate_lazy(
    _(
        "Plans on time: of the placements admitted in the period at least %(plan)s days "
        "ago, those whose plan of work with the family was started within %(plan)s days "
        "of the admission. Reviews on time: of the reviews held in the period, those held "
        "no later than %(grace)s days after they fell due (a month after the previous "
        "review, or after the plan was started). Risk level: of the children returned "
        "home in the period, the level found at their first and at their last inspection. "
        "Days to the authority's decision: from sending the application to the decision, "
        "for the decisions taken in the period (median)."
    ),
    plan=lambda: settings.PLAN_DUE_DAYS,
    grace=lambda: settings.REVIEW_GRACE_DAYS,
)


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def compute(start: datetime.date, end: datetime.date, today: datetime.date) -> dict[str, Any]:
    """Every figure of the work with the family for start..end (end no later than today)."""
    due = today - datetime.timedelta(days=settings.PLAN_DUE_DAYS)
    admitted = Placement.objects.filter(admitted_on__gte=start, admitted_on__lte=min(end, due))
    limit = F("admitted_on") + datetime.timedelta(days=settings.PLAN_DUE_DAYS)
    plans = admitted.aggregate(
        admitted=Count("pk"), on_time=Count("pk", filter=Q(plan__started_on__lte=limit))
    )
    reviews = _reviews(start, end)
    returned = Placement.objects.filter(
        status=Placement.Status.CLOSED,
        outcome=Placement.Outcome.RETURNED,
        closed_on__gte=start,
        closed_on__lte=end,
    )
    return {
        "plans_due": plans["admitted"],
        "plans_on_time": plans["on_time"],
        "plans_share": share(plans["on_time"], plans["admitted"]),
        "reviews": reviews[0],
        "reviews_on_time": reviews[1],
        "reviews_share": share(reviews[1], reviews[0]),
        "referrals": _referrals(start, end),
        "risk": _risk(returned),
        "decision_days": _decision_days(start, end),
    }


def _reviews(start: datetime.date, end: datetime.date) -> tuple[int, int]:
    """(reviews held in the period, of them on time): each against the one before."""
    grace = datetime.timedelta(days=settings.REVIEW_GRACE_DAYS)
    plans = PlanReview.objects.filter(held_on__gte=start, held_on__lte=end).values("plan")
    rows = (
        PlanReview.objects.filter(plan__in=plans, held_on__lte=end)
        .order_by("plan", "held_on", "pk")
        .values_list("plan", "held_on", "plan__started_on")
    )
    held = on_time = 0
    previous: dict[int, datetime.date] = {}
    for plan, held_on, started_on in rows:
        due = add_months(previous.get(plan, started_on), 1)
        previous[plan] = held_on
        if held_on >= start:
            held += 1
            on_time += held_on <= due + grace
    return held, on_time


def _referrals(start: datetime.date, end: datetime.date) -> list[tuple[Any, ...]]:
    """Per service: (label, sent, accepted, given, refused, no answer or waiting)."""
    counts = Counter(
        {
            (service, status): n
            for service, status, n in Referral.objects.filter(sent_on__gte=start, sent_on__lte=end)
            .order_by()
            .values_list("service", "status")
            .annotate(n=Count("pk"))
        }
    )
    rows = []
    for service, label in Referral.Service.choices:
        by = {status: counts[(service, status)] for status in Referral.Status.values}
        rows.append(
            (
                label,
                sum(by.values()),
                by[Referral.Status.ACCEPTED],
                by[Referral.Status.GIVEN],
                by[Referral.Status.REFUSED],
                by[Referral.Status.SENT] + by[Referral.Status.NO_ANSWER],
            )
        )
    return rows


def _risk(returned) -> list[tuple[Any, int, int]]:
    """Per risk level: (label, at the first inspection, at the last), for the stays
    in `returned` with at least one act."""
    first: dict[int, str] = {}
    last: dict[int, str] = {}
    for placement, level in (
        InspectionAct.objects.filter(placement__in=returned)
        .order_by("placement", "inspected_on", "pk")
        .values_list("placement", "risk_level")
    ):
        first.setdefault(placement, level)
        last[placement] = level
    at_first, at_last = Counter(first.values()), Counter(last.values())
    return [(label, at_first[level], at_last[level]) for level, label in InspectionAct.Risk.choices]


def _decision_days(start: datetime.date, end: datetime.date) -> float | None:
    days = [
        (decided - sent).days
        for sent, decided in ReturnApplication.objects.filter(
            status__in=ReturnApplication.DECIDED,
            decision_date__gte=start,
            decision_date__lte=end,
            sent_on__isnull=False,
        ).values_list("sent_on", "decision_date")
    ]
    return statistics.median(days) if days else None


def table(figures: dict[str, Any]) -> list[tuple[Any, Any]]:
    """The figures as (label, value) rows, for the indicators page, the period report
    and their files."""
    rows: list[tuple[Any, Any]] = [
        (_("placements whose plan was due"), figures["plans_due"]),
        (_("plan started on time"), figures["plans_on_time"]),
        (_("plans on time, %"), figures["plans_share"]),
        (_("reviews held"), figures["reviews"]),
        (_("reviews on time"), figures["reviews_on_time"]),
        (_("reviews on time, %"), figures["reviews_share"]),
    ]
    for label, at_first, at_last in figures["risk"]:
        rows.append(
            (_("risk level %(level)s: at the first inspection") % {"level": label}, at_first)
        )
        rows.append((_("risk level %(level)s: at the last inspection") % {"level": label}, at_last))
    rows.append(
        (_("median days from sending to the authority's decision"), figures["decision_days"])
    )
    return rows
