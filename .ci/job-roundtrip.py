"""A caseload file's check as a background job, end to end: `queue` stages a one-row
file as an administrator and queues its check; `verify` fails unless a worker (make
run's, or the image's `db_worker`) has checked it since. Run by .ci/run through
`manage.py shell` (production settings or DEBUG=on, whichever the step tests):

    python manage.py shell -c "exec(open('.ci/job-roundtrip.py').read()); queue()"
"""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from crisisunit import roles
from placements import jobs
from placements.models import CaseloadImport
from placements.services import imports

FILE = b"child_surname;child_given_name;child_date_of_birth;child_sex;admitted_on\n"
FILE += "Тексерова;Айару;14.02.2023;ж;01.09.2024\n".encode()


def queue():
    roles.ensure_roles()
    user, _ = get_user_model().objects.get_or_create(username="ci-job-roundtrip")
    user.groups.add(Group.objects.get(name=roles.ADMINISTRATOR))
    run = imports.caseload_stage(file_name="ci.csv", content=FILE, by=user)
    assert jobs.start(run, CaseloadImport.Job.CHECK, by=user)
    print(f"queued the check of file {run.pk}")


def verify(seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = CaseloadImport.objects.filter(file_name="ci.csv").latest("pk")
        if run.checked_at is not None and not run.job:
            print(f"the worker checked file {run.pk}: {run.summary}")
            return
        time.sleep(1)
    raise SystemExit(f"no worker checked file {run.pk} within {seconds} s")
