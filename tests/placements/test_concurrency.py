"""Two administrators deciding at the same moment: row locks make exactly one win.

PostgreSQL only (SQLite has no row locks and serialises writers anyway). Each test
holds the winner inside the locked section for a moment, so the threads overlap."""

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from placements import services
from placements.models import Consultation, Placement, ReturnApplication, Visit
from placements.services import applications

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
    decide = applications._decide

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return decide(*args, **kwargs)

    monkeypatch.setattr(applications, "_decide", slow)


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
        return lambda: services.application_approve(
            application=ReturnApplication.objects.get(pk=application.pk),
            by=user,
            decision_number=number,
            decision_date=today,
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
        services.application_approve(
            application=ReturnApplication.objects.get(pk=application.pk),
            by=administrator,
            decision_number="A-1",
            decision_date=today,
        )

    def reject():
        services.application_reject(
            application=ReturnApplication.objects.get(pk=application.pk),
            by=second_administrator,
            decision_number="B-2",
            decision_date=today,
            reason="Жоқ",
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


@pytest.fixture
def twenty_administrators(django_user_model, administrator):
    users = [administrator]
    for n in range(2, 21):
        user = django_user_model.objects.create_user(username=f"administrator{n}", is_staff=True)
        user.groups.set(administrator.groups.all())
        users.append(user)
    return users


def test_twenty_decisions_on_one_application_at_once_close_the_placement_once(
    make_placement, make_application, twenty_administrators, today, slow_decisions
):
    application = make_application(make_placement(days_ago=60), days_ago=10)

    def decide(n, user):
        def call():
            mine = ReturnApplication.objects.get(pk=application.pk)
            if n % 2:
                services.application_reject(
                    application=mine,
                    by=user,
                    decision_number=f"R-{n}",
                    decision_date=today,
                    reason="Жоқ",
                )
            else:
                services.application_approve(
                    application=mine, by=user, decision_number=f"A-{n}", decision_date=today
                )

        return call

    results = race(*(decide(n, user) for n, user in enumerate(twenty_administrators)))

    assert results.count("ok") == 1 and results.count("final") == 19
    winner = results.index("ok")
    application.refresh_from_db()
    assert application.decided_by == twenty_administrators[winner]
    placement = Placement.objects.get(pk=application.placement_id)
    closings = placement.history.filter(status=Placement.Status.CLOSED)
    if winner % 2:
        assert application.status == ReturnApplication.Status.REJECTED
        assert placement.status == Placement.Status.ACTIVE and not closings.exists()
    else:
        assert application.status == ReturnApplication.Status.APPROVED
        assert placement.status == Placement.Status.CLOSED and closings.count() == 1
    assert ReturnApplication.objects.filter(status="approved").count() == (winner % 2 == 0)


def test_twenty_applications_registered_at_once_leave_one_open(
    make_placement, social_worker, today
):
    placement = make_placement(days_ago=60)
    mother = placement.child.parents.get()

    def register(n):
        def call():
            client = Client()
            client.force_login(social_worker)
            response = client.post(
                f"/staff/placements/{placement.pk}/applications/new/",
                {"applicant": mother.pk, "filed_on": today.isoformat(), "comment": f"№{n}"},
            )
            if response.status_code != 302:
                raise ValidationError("refused", code="refused")

        return call

    results = race(*(register(n) for n in range(20)))

    assert results.count("ok") == 1 and results.count("refused") == 19
    assert ReturnApplication.objects.filter(placement=placement).count() == 1


def test_twenty_visits_logged_at_once_are_all_kept(make_placement, social_worker):
    placement = make_placement(days_ago=60)
    mother = placement.child.parents.get()
    start = timezone.localtime() - datetime.timedelta(days=20)

    def log(n):
        def call():
            client = Client()
            client.force_login(social_worker)
            when = start + datetime.timedelta(hours=n)
            response = client.post(
                f"/staff/placements/{placement.pk}/visits/new/",
                {
                    "parent": mother.pk,
                    "visited_at": when.strftime("%Y-%m-%dT%H:%M"),
                    "duration_minutes": 30,
                    "notes": f"Visit {n}",
                },
            )
            if response.status_code != 302:
                raise ValidationError("refused", code="refused")

        return call

    results = race(*(log(n) for n in range(20)))

    assert results == ["ok"] * 20
    notes = set(Visit.objects.filter(placement=placement).values_list("notes", flat=True))
    assert notes == {f"Visit {n}" for n in range(20)}


# A record added while the placement is being closed (reliability #2, code review F2):
# each write locks the placement first, so one of the two is refused, never both kept.


@pytest.fixture
def slow_validation(monkeypatch):
    """Hold each visit, consultation and application for 0.3 s between its checks and
    its insert: without the placement's lock, a closing would slip in between."""
    for model in (Visit, Consultation, ReturnApplication):
        full_clean = model.full_clean

        def slow(self, *args, _full_clean=full_clean, **kwargs):
            _full_clean(self, *args, **kwargs)
            if self._state.adding:
                time.sleep(0.3)

        monkeypatch.setattr(model, "full_clean", slow)


def _add(kind, placement, parent, by, today):
    now = timezone.now()
    if kind == "visit":
        return lambda: services.visit_record(
            placement=placement, parent=parent, visited_at=now, duration_minutes=30, by=by
        )
    if kind == "consultation":
        return lambda: services.consultation_record(
            placement=placement,
            parent=parent,
            specialist="lawyer",
            held_on=today,
            summary="Кеңес",
            by=by,
        )
    return lambda: services.application_register(
        placement=placement, applicant=parent, filed_on=today, by=by
    )


@pytest.mark.parametrize("kind", ["visit", "consultation", "application"])
def test_a_record_raced_against_the_closing_never_ends_on_a_closed_placement(
    make_placement, social_worker, administrator, today, slow_validation, kind
):
    # Closed yesterday: a visit or consultation today, or an open application, cannot
    # stand beside it.
    closing_on = today - datetime.timedelta(days=1)
    for _ in range(3):
        placement = make_placement(days_ago=30)
        parent = placement.child.parents.get()

        def close(placement=placement):
            time.sleep(0.1)  # the record has passed its checks and waits to insert
            services.placement_close(
                placement=Placement.objects.get(pk=placement.pk),
                outcome=Placement.Outcome.OTHER,
                on=closing_on,
                by=administrator,
            )

        results = race(_add(kind, placement, parent, social_worker, today), close)

        placement.refresh_from_db()
        assert results.count("ok") == 1, results
        if placement.status == Placement.Status.CLOSED:
            assert not placement.visits.filter(visited_at__date__gt=closing_on).exists()
            assert not placement.consultations.filter(held_on__gt=closing_on).exists()
            assert not placement.return_applications.open().exists()
        else:
            assert results == [
                "ok",
                "open_application" if kind == "application" else "closing_date",
            ]


def test_ten_identical_intakes_without_iins_at_once_make_one_family(social_worker, intake_form):
    """Reliability #3: the same mother and child, no IINs, sent ten times at once."""
    from families.models import Child, Parent

    def admit():
        client = Client(headers={"accept-language": "en"})  # the form's English defaults
        client.force_login(social_worker)
        response = client.post("/staff/placements/new/", intake_form)
        if response.status_code != 302:
            body = response.content.decode()
            code = "told" if "registered a moment ago" in body else body
            raise ValidationError(code, code=code)

    results = race(*(admit for _ in range(10)))

    assert results.count("ok") == 1, results
    assert results.count("told") == 9, results
    assert Child.objects.count() == 1
    assert Parent.objects.count() == 1
    assert Placement.objects.count() == 1


def test_the_same_visit_form_sent_ten_times_at_once_logs_one_visit(make_placement, social_worker):
    """Reliability #7: a visit POSTed ten times at once (a retry storm) is saved once;
    every request lands on the case page."""
    import uuid

    placement = make_placement(days_ago=60)
    data = {
        "parent": placement.child.parents.get().pk,
        "visited_at": (timezone.localtime() - datetime.timedelta(days=3)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "duration_minutes": 30,
        "notes": "One visit",
        "submission": str(uuid.uuid4()),
    }

    def send():
        client = Client()
        client.force_login(social_worker)
        response = client.post(f"/staff/placements/{placement.pk}/visits/new/", data)
        if response.status_code != 302 or response["Location"] != placement.get_absolute_url():
            raise ValidationError("refused", code=str(response.status_code))

    results = race(*(send for _ in range(10)))

    assert results == ["ok"] * 10
    assert Visit.objects.filter(placement=placement).count() == 1
