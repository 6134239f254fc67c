"""Issue 33's measured target: at 1280 px, a worker with 34 tasks and 14 notices sees
the overdue visits in the first screen (they started about 40 cards down)."""

import datetime

import pytest
from django.utils import timezone

from placements import services
from placements.models import Notice, Task
from tests.browser.conftest import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_overdue_visits_start_in_the_first_screen_whatever_the_tasks_and_notices(
    page, live_server, social_worker, make_placement
):
    placement = make_placement(days_ago=30)  # no visit since admission: overdue
    for n in range(34):
        services.task_add(
            title=f"Задача {n}", due_on=timezone.localdate(), assigned_to=social_worker,
            placement=placement, by=social_worker,
        )  # fmt: skip
    Task.objects.update(due_on=timezone.localdate() - datetime.timedelta(days=3))
    Notice.objects.bulk_create(
        Notice(user=social_worker, placement=placement, kind=Notice.Kind.ASSIGNED)
        for _ in range(14)
    )
    sign_in(page, live_server, social_worker)
    page.goto(f"{live_server.url}/staff/")

    top = page.evaluate("document.getElementById('overdue').getBoundingClientRect().top")
    screen = page.evaluate("window.innerHeight")

    assert top < screen / 2, (top, screen)
    assert page.locator("#tasks ~ ul > li, section[aria-labelledby=tasks] li").count() == 10
