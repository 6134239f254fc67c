"""Two administrators deciding at the same moment: row locks make exactly one win.

PostgreSQL only (SQLite has no row locks and serialises writers anyway). Each test
holds the winner inside the locked section for a moment, so the threads overlap."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from placements.models import Placement, ReturnApplication

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between threads need PostgreSQL")


@pytest.fixture
def slow_decisions(monkeypatch):
    """Hold every decision inside its transaction, after the status check, for 0.3 s."""
    record = ReturnApplication._record_decision

    def slow(self, *args, **kwargs):
        time.sleep(0.3)
        return record(self, *args, **kwargs)

    monkeypatch.setattr(ReturnApplication, "_record_decision", slow)


def race(*calls):
    """Start every call at the same moment, each in its own thread and connection;
    return what each ended with: "ok" or the ValidationError's code."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            call()
            results[index] = "ok"
        except ValidationError as error:
            results[index] = error.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def second_administrator(django_user_model, administrator):
    other = django_user_model.objects.create_user(username="administrator2", is_staff=True)
    other.groups.set(administrator.groups.all())
    return other


def test_two_administrators_approving_the_same_application_close_it_once(
    make_placement, make_application, administrator, second_administrator, today, slow_decisions
):
    application = make_application(make_placement(days_ago=60), days_ago=10)

    def approve(user, number):
        return lambda: ReturnApplication.objects.get(pk=application.pk).approve(
            by=user, decision_number=number, decision_date=today
        )

    results = race(approve(administrator, "A-1"), approve(second_administrator, "B-2"))

    assert sorted(results) == ["final", "ok"]
    winner = administrator if results[0] == "ok" else second_administrator
    application.refresh_from_db()
    placement = Placement.objects.get(pk=application.placement_id)
    assert application.status == ReturnApplication.Status.APPROVED
    assert application.decided_by == winner
    assert application.decision_number == ("A-1" if winner == administrator else "B-2")
    assert (placement.status, placement.outcome, placement.closed_by) == (
        Placement.Status.CLOSED,
        Placement.Outcome.RETURNED,
        winner,
    )


def test_an_approval_and_a_rejection_at_once_leave_one_decision(
    make_placement, make_application, administrator, second_administrator, today, slow_decisions
):
    application = make_application(make_placement(days_ago=60), days_ago=10)

    def approve():
        ReturnApplication.objects.get(pk=application.pk).approve(
            by=administrator, decision_number="A-1", decision_date=today
        )

    def reject():
        ReturnApplication.objects.get(pk=application.pk).reject(
            by=second_administrator, decision_number="B-2", decision_date=today, reason="Жоқ"
        )

    results = race(approve, reject)

    assert sorted(results) == ["final", "ok"]
    application.refresh_from_db()
    placement = Placement.objects.get(pk=application.placement_id)
    if results[0] == "ok":
        assert application.status == ReturnApplication.Status.APPROVED
        assert placement.status == Placement.Status.CLOSED
    else:
        assert (application.status, application.decision_number) == ("rejected", "B-2")
        assert placement.status == Placement.Status.ACTIVE
