"""The daily reminder emails about overdue visits."""

import datetime
import io
import smtplib

import pytest
from django.core import mail
from django.core.management import call_command

from placements.models import ReminderLog
from placements.reminders import reminders_send

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def overdue(make_placement, social_worker, administrator):
    social_worker.email = "worker@example.kz"
    social_worker.save()
    administrator.email = "admin@example.kz"
    administrator.save()
    return {
        "ten": make_placement(days_ago=10),
        "twenty": make_placement(days_ago=20),
        "fresh": make_placement(days_ago=3),
    }


def test_the_social_worker_hears_of_each_overdue_placement(overdue, today):
    reminders_send(today=today, base_url="https://crisis.example.kz")

    [email] = [m for m in mail.outbox if m.to == ["worker@example.kz"]]
    for key in ("ten", "twenty"):
        child = overdue[key].child
        assert f"{child.given_name} {child.surname[0]}." in email.body
        assert f"https://crisis.example.kz/staff/placements/{overdue[key].pk}/" in email.body
    assert overdue["fresh"].child.given_name not in email.body
    assert overdue["ten"].child.surname not in email.body  # no full names leave the portal


def test_administrators_hear_only_of_placements_overdue_more_than_14_days(overdue, today):
    reminders_send(today=today)

    [email] = [m for m in mail.outbox if m.to == ["admin@example.kz"]]
    assert overdue["twenty"].child.given_name in email.body
    assert overdue["ten"].child.given_name not in email.body


def test_a_second_run_the_same_day_sends_nothing(overdue, today):
    assert reminders_send(today=today) == 2
    assert reminders_send(today=today) == 0

    assert len(mail.outbox) == 2
    assert ReminderLog.objects.count() == 2


def test_the_next_day_brings_a_new_reminder(overdue, today):
    reminders_send(today=today - DAY)
    reminders_send(today=today)

    assert len([m for m in mail.outbox if m.to == ["worker@example.kz"]]) == 2


def test_nobody_is_emailed_when_nothing_is_overdue(make_placement, social_worker, today):
    social_worker.email = "worker@example.kz"
    social_worker.save()
    make_placement(days_ago=2)

    assert reminders_send(today=today) == 0
    assert mail.outbox == []


def test_a_refused_email_is_tried_again_on_the_next_run(overdue, today, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPException("the server is down")

    monkeypatch.setattr("placements.reminders.send_mail", refuse)
    assert reminders_send(today=today) == 0
    assert not ReminderLog.objects.exists()

    monkeypatch.undo()
    assert reminders_send(today=today) == 2


def test_the_command_reports_what_it_sent(overdue, capsys):
    call_command("remind_overdue_visits")
    call_command("remind_overdue_visits")

    assert capsys.readouterr().out.splitlines() == ["Reminders sent: 2.", "Reminders sent: 0."]


def test_each_email_says_how_long_its_own_children_have_gone_unvisited(overdue, today):
    """Translations #10: the administrators' list (over 14 days) said "more than a
    week"; now each email states what is true of every child it lists."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.update(language="en")
    reminders_send(today=today)

    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    assert "for 10 days or more" in by_recipient["worker@example.kz"]
    assert "for 20 days or more" in by_recipient["admin@example.kz"]
    assert "a week" not in by_recipient["admin@example.kz"]


# Issue 35: the reminders as a background job that queues the next morning's


def test_the_next_mornings_reminders_are_queued_once_for_eight_in_astana(settings):
    from django_tasks_db.models import DBTaskResult

    from placements import jobs

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    evening = datetime.datetime(2026, 12, 7, 21, 30, tzinfo=datetime.UTC)  # 02:30 the 8th there

    assert jobs.schedule_reminders(evening) is True
    assert jobs.schedule_reminders(evening) is False  # one a morning, however often asked
    out = io.StringIO()
    call_command("schedule_reminders", stdout=out)

    [queued] = DBTaskResult.objects.all()
    assert queued.run_after == datetime.datetime(2026, 12, 8, 3, 0, tzinfo=datetime.UTC)
    assert "queued already" in out.getvalue()


def test_the_worker_sends_the_reminders_when_due_and_queues_the_next(overdue, settings):
    from unittest import mock

    from django.utils import timezone
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    from placements import jobs

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    jobs.schedule_reminders()
    DBTaskResult.objects.update(run_after=timezone.now() - DAY)  # the morning has come

    with mock.patch.object(db_worker, "close_old_connections"):  # the test's transaction
        call_command("db_worker", batch=True, reload=False, startup_delay=False,
                     stdout=io.StringIO())  # fmt: skip

    assert [m.to for m in mail.outbox if m.to == ["worker@example.kz"]] == [["worker@example.kz"]]
    done, waiting = DBTaskResult.objects.order_by("enqueued_at")
    assert done.status == "SUCCESSFUL" and done.return_value == 2
    assert waiting.status == "READY" and waiting.run_after > timezone.now()


def test_with_jobs_run_at_once_nothing_is_scheduled():
    from placements import jobs

    assert jobs.schedule_reminders() is False


def test_a_morning_whose_emails_fail_still_queues_the_next(overdue, settings, monkeypatch):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from placements import jobs

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def mail_server_down(**kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(jobs, "reminders_send", mail_server_down)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        jobs.send_reminders.call()

    [queued] = DBTaskResult.objects.all()
    assert queued.status == "READY" and queued.run_after > timezone.now()
