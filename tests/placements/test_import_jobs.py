"""Issue 35: the web import's check and import run as background jobs (Django's task
API, django-tasks-db), with a progress bar, and a job killed half-way saves nothing."""

import datetime
import io
import re
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from crisisunit import jobs
from families.models import Child
from placements.models import CaseloadImport, Placement
from placements.services import stays
from tests.placements.test_import import a_row, csv_bytes

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue(settings):
    """Jobs wait in the database until the worker takes them, as in production."""
    settings.TASKS = DATABASE_QUEUE


def run_the_worker():
    """The worker of `manage.py db_worker`, until the queue is empty. Inside the test's
    transaction: its "close the connections a request leaves" would end that."""
    with mock.patch.object(db_worker, "close_old_connections"):
        call_command(
            "db_worker", batch=True, reload=False, startup_delay=False, stdout=io.StringIO()
        )


def upload(client, rows, social_worker):
    return client.post(
        "/staff/import/",
        {"file": SimpleUploadedFile("c.csv", csv_bytes(rows)), "social_worker": social_worker.pk},
    )


def two_rows():
    return [a_row(), a_row(child_iin="", child_given_name="Дана")]


def test_an_upload_is_checked_then_imported_by_the_worker(
    client, administrator, social_worker, queue
):
    client.force_login(administrator)
    response = upload(client, two_rows(), social_worker)
    run = CaseloadImport.objects.get()

    waiting = client.get(response.url).content.decode()
    assert "Checking the file" in waiting and '<progress id="job-bar"' in waiting
    assert "Waiting for the background worker" in waiting
    assert DBTaskResult.objects.count() == 1

    run_the_worker()
    checked = client.get(response.url).content.decode()
    assert "<title>The file is checked: nothing to correct. —" in checked
    assert "Import 2 placements" in checked and "<progress" not in checked

    client.post(f"/staff/import/{run.pk}/confirm/")
    importing = client.get(response.url).content.decode()
    assert "Importing the file" in importing and not Placement.objects.exists()

    run_the_worker()
    done = client.get(response.url).content.decode()
    run.refresh_from_db()
    assert run.status == CaseloadImport.Status.IMPORTED and bytes(run.content) == b""
    assert Placement.objects.count() == 2
    assert "<title>Imported — placements: 2, visits: 4. —" in done
    assert client.get(f"/staff/import/{run.pk}/progress/").json()["working"] is False


def test_the_page_and_its_progress_address_say_how_far_the_job_has_got(
    client, administrator, social_worker, queue
):
    client.force_login(administrator)
    upload(client, two_rows(), social_worker)
    run = CaseloadImport.objects.get()
    jobs.Reporter(run.progress_key)(done=12000, total=20000, percent=60, stage="check")

    answer = client.get(f"/staff/import/{run.pk}/progress/").json()
    page = client.get(f"/staff/import/{run.pk}/").content.decode()

    assert answer == {"working": True, "stopped": False, "done": 12000, "total": 20000,
                      "percent": 60, "stage": "check"}  # fmt: skip
    assert '<progress id="job-bar" max="100" value="60"' in page
    assert re.search(r"Checking the rows: 12.000 of 20.000 \(60 %\)", page)
    assert 'src="/static/js/job-progress.js"' in page and "Refresh the page" in page
    assert "<script>" not in page  # no inline script (the CSP allows none)


def test_the_job_speaks_the_language_of_whoever_uploaded(
    client, administrator, social_worker, queue
):
    client.force_login(administrator)
    client.cookies["django_language"] = "ru"
    upload(client, [a_row(admitted_on="31.02.2024")], social_worker)

    run_the_worker()

    problem = CaseloadImport.objects.get().problems[0]["message"]
    assert re.search("[а-яё]", problem) and "date" not in problem


def test_a_job_whose_worker_was_killed_is_said_to_have_stopped_and_can_start_again(
    client, administrator, social_worker, queue
):
    """The worker killed in the import's transaction: nothing was saved, the page says
    so once the job has stopped reporting, and the import can be started again."""
    client.force_login(administrator)
    upload(client, two_rows(), social_worker)
    run_the_worker()
    run = CaseloadImport.objects.get()
    client.post(f"/staff/import/{run.pk}/confirm/")
    DBTaskResult.objects.all().delete()  # the job taken by a worker that then died
    stale = timezone.now() - datetime.timedelta(seconds=jobs.STALLED_SECONDS + 1)
    CaseloadImport.objects.filter(pk=run.pk).update(job_since=stale)

    page = client.get(f"/staff/import/{run.pk}/").content.decode()
    assert "The work stopped before it finished" in page and "Nothing of it was saved" in page
    assert client.get(f"/staff/import/{run.pk}/progress/").json()["stopped"] is True
    assert not Placement.objects.exists()

    client.post(f"/staff/import/{run.pk}/confirm/")  # Start again
    run_the_worker()
    run.refresh_from_db()
    assert run.status == CaseloadImport.Status.IMPORTED and Placement.objects.count() == 2


def test_a_job_under_way_is_not_queued_twice(client, administrator, social_worker, queue):
    client.force_login(administrator)
    upload(client, two_rows(), social_worker)
    run = CaseloadImport.objects.get()

    page = client.post(f"/staff/import/{run.pk}/confirm/", follow=True).content.decode()

    assert "The file is being worked on already." in page
    assert DBTaskResult.objects.count() == 1


def test_an_import_that_fails_half_way_saves_nothing_and_says_why(
    client, administrator, social_worker, monkeypatch
):
    client.force_login(administrator)
    upload(client, two_rows(), social_worker)
    run = CaseloadImport.objects.get()
    written = stays.copy_to_history

    def dies_after_the_children(model, pks, **kwargs):
        written(model, pks, **kwargs)
        if model is Child:
            raise OSError("the disk went away")

    monkeypatch.setattr(stays, "copy_to_history", dies_after_the_children)
    page = client.post(f"/staff/import/{run.pk}/confirm/", follow=True).content.decode()

    run.refresh_from_db()
    assert not Child.objects.exists() and not Placement.objects.exists()
    assert run.status == CaseloadImport.Status.CHECKED and run.job == ""
    assert "The import stopped on an error; nothing was imported." in page
    assert "Import 2 placements" in page  # it may be tried again


def test_a_file_discarded_while_its_job_waited_is_not_imported(
    client, administrator, social_worker, queue
):
    client.force_login(administrator)
    upload(client, two_rows(), social_worker)
    run_the_worker()
    run = CaseloadImport.objects.get()
    client.post(f"/staff/import/{run.pk}/confirm/")
    client.post(f"/staff/import/{run.pk}/discard/")

    run_the_worker()

    run.refresh_from_db()
    assert run.status == CaseloadImport.Status.DISCARDED and not Placement.objects.exists()


def test_a_job_of_someone_deactivated_meanwhile_imports_nothing_and_says_why(
    client, administrator, social_worker, queue, django_user_model
):
    client.force_login(administrator)
    upload(client, two_rows(), social_worker)
    run_the_worker()
    run = CaseloadImport.objects.get()
    client.post(f"/staff/import/{run.pk}/confirm/")
    django_user_model.objects.filter(pk=administrator.pk).update(is_active=False)

    run_the_worker()

    run.refresh_from_db()
    assert run.job == "" and run.job_error == "The account that asked is inactive."
    assert run.status == CaseloadImport.Status.CHECKED and not Placement.objects.exists()


def test_a_file_that_can_no_longer_be_read_is_dropped_with_the_reason(
    client, administrator, social_worker, queue, settings
):
    """Taken when IMPORT_MAX_ROWS allowed it; the setting lowered before the check ran."""
    client.force_login(administrator)
    upload(client, two_rows(), social_worker)
    settings.IMPORT_MAX_ROWS = 1

    run_the_worker()

    run = CaseloadImport.objects.get()
    page = client.get(f"/staff/import/{run.pk}/").content.decode()
    assert run.status == CaseloadImport.Status.DISCARDED and bytes(run.content) == b""
    assert "The file has more than 1 rows." in page and run.sha256
