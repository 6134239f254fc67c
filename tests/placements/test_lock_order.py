"""Every write takes its locks in one order (placements.locks): the pairs of services
that can touch the same rows, run at the same moment in threads on PostgreSQL, are
served one after the other and never deadlock (code review finding 2, whose probe
re-admitted a returned child while a follow-up of its earlier stay was recorded).

Each test holds the first write inside its transaction, after its first lock, long
enough for the second to take whatever it takes first."""

import datetime
import io
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from placements import notices, services
from placements.models import FollowUp, Placement

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between threads need PostgreSQL")


def staggered(first, second, delay=0.15):
    """Run `first`, then `second` `delay` seconds later, each in its own thread and
    connection; what each ended with: "ok", a ValidationError's code, or the name of
    any other error (a deadlock is an OperationalError)."""
    results = {}

    def run(name, call, wait):
        time.sleep(wait)
        try:
            call()
            results[name] = "ok"
        except ValidationError as error:
            results[name] = getattr(error, "code", None) or "invalid"
        except Exception as error:
            results[name] = f"{type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("first", first, 0)),
        threading.Thread(target=run, args=("second", second, delay)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def slow_new_placement(monkeypatch):
    """A new placement's checks take 0.5 s: the intake then holds its first locks."""
    clean = Placement.clean

    def slow(self):
        if self.pk is None:
            time.sleep(0.5)
        return clean(self)

    monkeypatch.setattr(Placement, "clean", slow)


def test_readmission_and_a_follow_up_of_the_earlier_stay_never_deadlock(
    make_return, administrator, slow_new_placement, today
):
    earlier = make_return(on=today - 40 * DAY)
    follow_up = FollowUp.objects.filter(placement=earlier).order_by("due_on").first()

    def readmit():
        services.placement_open(
            placement=Placement(
                child=earlier.child, admitted_on=today,
                referral_source=earlier.referral_source, crisis_reason=earlier.crisis_reason,
                social_worker=earlier.social_worker,
            ),
            by=administrator,
        )  # fmt: skip

    def record():
        services.followup_record(
            follow_up=FollowUp.objects.get(pk=follow_up.pk), done_on=today,
            method=FollowUp.Method.PHONE_CALL, situation=FollowUp.Situation.STABLE,
            by=administrator,
        )  # fmt: skip

    results = staggered(readmit, record)

    assert results["first"] == "ok"
    # Served after the re-admission: the follow-up is closed by then, and says so.
    assert results["second"] == "recorded"
    follow_up.refresh_from_db()
    assert f"{today:%d.%m.%Y}" in follow_up.missed_reason  # "came back into care on …"


def test_reassignment_and_closing_never_deadlock(
    make_placement, social_worker, administrator, monkeypatch, today
):
    first, second = make_placement(days_ago=30), make_placement(days_ago=30)
    other = type(social_worker).objects.create_user("second_worker")
    other.groups.set(social_worker.groups.all())
    notify = notices.notify

    def slow_notify(**kwargs):
        time.sleep(0.5)  # the reassignment holds both placements and children
        return notify(**kwargs)

    monkeypatch.setattr(notices, "notify", slow_notify)

    results = staggered(
        lambda: services.placement_reassign(
            placements=[second, first], social_worker=other, by=administrator
        ),
        lambda: services.placement_close(
            placement=Placement.objects.get(pk=second.pk),
            outcome=Placement.Outcome.OTHER,
            on=today,
            by=administrator,
        ),  # fmt: skip
    )

    assert results == {"first": "ok", "second": "ok"}
    second.refresh_from_db()
    assert second.social_worker == other and second.status == Placement.Status.CLOSED


def test_an_import_and_an_intake_of_the_same_child_never_deadlock(
    make_return, administrator, social_worker, slow_new_placement, tmp_path, today
):
    earlier = make_return(on=today - 40 * DAY)
    child, parent = earlier.child, earlier.child.parents.first()
    path = tmp_path / "back.csv"
    path.write_text(
        "child_surname;child_given_name;child_date_of_birth;child_sex;child_iin;"
        "admitted_on;referral_source;crisis_reason\n"
        f"{child.surname};{child.given_name};{child.date_of_birth:%d.%m.%Y};"
        f"{child.sex};{child.iin};{today - DAY:%d.%m.%Y};mother_and_child;housing\n",
        encoding="utf-8",
    )

    def import_file():
        call_command(
            "import_caseload", str(path), by=administrator.username,
            social_worker=social_worker.username, commit=True, language="en",
            stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip

    def intake():
        services.placement_open(
            placement=Placement(
                child=child, admitted_on=today, social_worker=social_worker,
                referral_source=Placement.ReferralSource.GUARDIANSHIP,
                crisis_reason=Placement.CrisisReason.HOUSING,
            ),
            by=administrator,
        )  # fmt: skip

    results = staggered(intake, import_file, delay=0.2)

    assert results["first"] == "ok"
    # The import comes second and finds the child in care: refused, never a deadlock.
    assert results["second"].startswith("CommandError"), results
    assert Placement.objects.filter(child=child, status=Placement.Status.ACTIVE).count() == 1
    assert parent is not None


def test_a_worker_leaving_and_their_task_marked_done_never_deadlock(
    make_placement, administrator, social_worker, django_user_model, monkeypatch
):
    """Issue 33: deactivating a worker moves their cases and tasks (placements, then
    tasks) while the worker marks one of those tasks done (placement, then the task)."""
    from crisisunit import roles
    from placements.models import Task
    from team import services as team_services
    from tests.conftest import _user

    colleague = _user(django_user_model, "colleague", roles.SOCIAL_WORKER)
    placement = make_placement()
    task = services.task_add(
        title="Позвонить", due_on=datetime.date.today(), assigned_to=social_worker,
        placement=placement, by=social_worker,
    )  # fmt: skip
    check = Task.check_assignee

    def slow_check(user):
        time.sleep(0.5)  # the deactivation holds the case's lock meanwhile
        return check(user)

    monkeypatch.setattr(Task, "check_assignee", staticmethod(slow_check))

    results = staggered(
        lambda: team_services.staff_deactivate(
            member=social_worker, successor=colleague, by=administrator
        ),
        lambda: services.task_done(task=task, by=social_worker),
    )

    assert results["first"] == "ok", results
    assert results["second"] in ("ok", "PermissionDenied: "), results
    task.refresh_from_db()
    assert task.assigned_to == colleague


def test_two_imports_at_once_one_imports_and_the_other_is_told(
    administrator, social_worker, tmp_path, monkeypatch
):
    """Issue 35, reliability finding 7: the loser died with a raw statement timeout."""
    from placements import import_check

    check = import_check.check

    def slow_check(*args, **kwargs):
        time.sleep(7)  # longer than the other import waits for the lock
        return check(*args, **kwargs)

    monkeypatch.setattr(import_check, "check", slow_check)
    files = []
    for n, name in enumerate(("Айару", "Дана")):
        path = tmp_path / f"{n}.csv"
        path.write_text(
            "child_surname;child_given_name;child_date_of_birth;child_sex;"
            "admitted_on;referral_source;crisis_reason\n"
            f"Импортова;{name};14.02.2023;F;01.09.2024;mother_and_child;housing\n",
            encoding="utf-8",
        )
        files.append(path)

    def import_file(path):
        def run():
            call_command(
                "import_caseload", str(path), by=administrator.username,
                social_worker=social_worker.username, commit=True, language="en",
                stdout=io.StringIO(), stderr=io.StringIO(),
            )  # fmt: skip

        return run

    results = staggered(import_file(files[0]), import_file(files[1]), delay=0.5)

    assert results["first"] == "ok", results
    assert results["second"].startswith("CommandError: Another import is under way"), results
    assert Placement.objects.count() == 1
