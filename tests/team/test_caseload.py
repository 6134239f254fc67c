"""Issue 33: the caseload page a supervisor opens on Monday — each social worker's
active cases, overdue visits, overdue tasks and follow-ups — with several cases
reassigned at once from it."""

import datetime

import pytest
from django.utils import timezone

from crisisunit import roles
from crisisunit.models import ReadAccess
from placements import services
from placements.models import Placement, Task
from tests.conftest import _user

pytestmark = pytest.mark.django_db


def test_the_caseload_counts_each_workers_cases_and_what_is_overdue(
    client, administrator, social_worker, make_placement, django_user_model
):
    other = _user(django_user_model, "other_worker", roles.SOCIAL_WORKER)
    overdue = make_placement(days_ago=30)  # no visit since admission
    make_placement(days_ago=2)
    make_placement(days_ago=2, social_worker=other)
    task = services.task_add(
        title="Справка", due_on=timezone.localdate(), assigned_to=social_worker, by=social_worker
    )
    Task.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(administrator)

    response = client.get("/staff/team/caseload/")

    rows = {w.username: w for w in response.context["workers"]}
    mine = rows["social_worker"]
    assert (mine.active, mine.overdue_visits, mine.overdue_tasks) == (2, 1, 1)
    assert (rows["other_worker"].active, rows["other_worker"].overdue_visits) == (1, 0)
    assert mine.cases[0] == overdue  # the most overdue first
    line = ReadAccess.objects.latest("pk")
    assert (line.content_type.model, line.results) == ("placement", 3)


def test_several_cases_are_reassigned_at_once_from_the_caseload(
    client, administrator, social_worker, make_placement, django_user_model
):
    other = _user(django_user_model, "other_worker", roles.SOCIAL_WORKER)
    cases = [make_placement(), make_placement(), make_placement()]
    client.force_login(administrator)
    page = client.get("/staff/team/caseload/").content.decode()
    assert f'id="to-{social_worker.pk}"' in page and f'id="case-{cases[0].pk}"' in page

    response = client.post(
        "/staff/placements/reassign/",
        {
            "placements": [cases[0].pk, cases[1].pk],
            "social_worker": other.pk,
            "next": "/staff/team/caseload/",
        },
        follow=True,
    )

    assert "2 placements are now assigned to" in response.content.decode()
    assert response.redirect_chain[-1][0] == "/staff/team/caseload/"
    assert list(
        Placement.objects.filter(social_worker=other).order_by("pk").values_list("pk", flat=True)
    ) == [cases[0].pk, cases[1].pk]


def test_a_long_caseload_lists_the_first_cases_and_says_how_many(
    client, administrator, social_worker, make_placement, monkeypatch
):
    from team import views

    monkeypatch.setattr(views, "CASES_SHOWN", 2)
    oldest = make_placement(days_ago=40)
    make_placement(days_ago=20)
    make_placement(days_ago=10)
    client.force_login(administrator)

    response = client.get("/staff/team/caseload/")

    (worker,) = response.context["workers"]
    assert [p.pk for p in worker.cases][:1] == [oldest.pk] and len(worker.cases) == 2
    assert "Showing 2 of 3; see all in the list of placements" in response.content.decode()
