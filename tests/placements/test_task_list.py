"""Issue 33: tasks as a real list — mine, a colleague's, the team's; overdue first,
filtered, paginated, counted; tasks set by hand from a case or the list, done with a
note, following the case when it changes hands; the dashboard in order of urgency,
every cut list saying "N of M"; the notices on a page of their own."""

import datetime

import pytest
from django.utils import timezone

from crisisunit.models import ReadAccess
from placements import services
from placements.models import Notice, Task

pytestmark = pytest.mark.django_db


def add_tasks(user, n, *, days_from_today=0, placement=None):
    # Written as the services do, then moved into the past where a test needs it late.
    with_dates = []
    for i in range(n):
        task = services.task_add(
            title=f"Задача {i + 1:02d}",
            due_on=timezone.localdate(),
            assigned_to=user,
            placement=placement,
            by=user,
        )
        with_dates.append(task.pk)
    Task.objects.filter(pk__in=with_dates).update(
        due_on=timezone.localdate() + datetime.timedelta(days=days_from_today)
    )
    return with_dates


def test_every_open_task_is_reachable_across_pages_with_its_count(client, social_worker):
    add_tasks(social_worker, 57)
    add_tasks(social_worker, 3, days_from_today=-5)
    client.force_login(social_worker)

    first = client.get("/staff/tasks/")
    second = client.get("/staff/tasks/?page=2")

    html = first.content.decode()
    assert "60 open tasks, 3 overdue" in html
    shown = [t.pk for t in first.context["page"]] + [t.pk for t in second.context["page"]]
    assert len(set(shown)) == 60
    assert [t.is_late(timezone.localdate()) for t in first.context["page"]][:3] == [True] * 3
    line = ReadAccess.objects.latest("pk")
    assert (line.content_type.model, line.results) == ("task", 10)


def test_the_list_filters_by_kind_child_and_due_date(
    client, social_worker, make_placement, make_child
):
    placement = make_placement(child=make_child(given_name="Алмаз"))
    add_tasks(social_worker, 2, placement=placement)
    add_tasks(social_worker, 1, days_from_today=-1)
    add_tasks(social_worker, 1, days_from_today=30)
    client.force_login(social_worker)

    def count(query):
        return client.get(f"/staff/tasks/?{query}").context["page"].paginator.count

    assert count("child=алмаз") == 2
    assert count("due=late") == 1
    assert count("due=later") == 1
    assert count("due=week") == 2
    assert count("kind=further_work") == 0


def test_an_administrator_sees_the_team_and_a_social_worker_only_their_own(
    client, administrator, social_worker, medical_staff
):
    add_tasks(social_worker, 2)
    add_tasks(medical_staff, 1)
    client.force_login(administrator)
    assert client.get("/staff/tasks/?whose=team").context["page"].paginator.count == 3
    assert (
        client.get(f"/staff/tasks/?whose={medical_staff.pk}").context["page"].paginator.count == 1
    )

    client.force_login(social_worker)
    # Another's or the team's tasks are not a choice for a social worker: their own.
    assert client.get("/staff/tasks/?whose=team").context["page"].paginator.count == 2
    assert (
        client.get(f"/staff/tasks/?whose={medical_staff.pk}").context["page"].paginator.count == 2
    )


def test_a_task_set_from_the_case_page_goes_to_the_chosen_colleague(
    client, social_worker, medical_staff, make_placement
):
    placement = make_placement()
    client.force_login(social_worker)
    due = timezone.localdate() + datetime.timedelta(days=3)

    form = client.get(f"/staff/tasks/new/?placement={placement.pk}")
    assert str(placement.child) in form.content.decode()
    response = client.post(
        f"/staff/tasks/new/?placement={placement.pk}",
        {
            "title": "Осмотреть ребёнка после прививки",
            "due_on": due.isoformat(),
            "assigned_to": medical_staff.pk,
            "placement": placement.pk,
        },
    )

    assert response.status_code == 302 and response.url == placement.get_absolute_url()
    task = Task.objects.get()
    assert (task.kind, task.placement, task.assigned_to, task.created_by, task.due_on) == (
        Task.Kind.MANUAL, placement, medical_staff, social_worker, due,
    )  # fmt: skip
    assert task.history.latest().history_user == social_worker
    client.force_login(medical_staff)
    assert "Осмотреть ребёнка" in client.get("/staff/").content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"due_on": "2020-01-01"}, "A new task cannot be due in the past."),
        ({"title": ""}, "This field is required."),
        ({"due_on": "31.02.2027"}, "Enter a valid date."),
        ({"assigned_to": "content_editor"}, "Choose an active colleague."),
    ],
)
def test_a_task_with_bad_input_is_refused_and_the_typing_kept(
    client, social_worker, content_editor, change, message
):
    client.force_login(social_worker)
    data = {"title": "Позвонить в ЦОН", "due_on": timezone.localdate().isoformat()}
    data["assigned_to"] = social_worker.pk
    data.update(change)
    if data["assigned_to"] == "content_editor":
        data["assigned_to"] = content_editor.pk

    response = client.post("/staff/tasks/new/", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Task.objects.exists()


def test_a_task_for_someone_who_cannot_see_the_cases_is_refused_by_the_rule(
    social_worker, content_editor
):
    with pytest.raises(Exception, match="cannot see the children's cases"):
        services.task_add(
            title="Обновить сайт", due_on=timezone.localdate(), assigned_to=content_editor,
            by=social_worker,
        )  # fmt: skip
    assert not Task.objects.exists()


def test_a_task_is_done_with_a_note(client, social_worker):
    (pk,) = add_tasks(social_worker, 1)
    client.force_login(social_worker)

    client.post(f"/staff/tasks/{pk}/done/", {"note": "Позвонила, записали на среду"})

    task = Task.objects.get(pk=pk)
    assert (task.done_by, task.done_note) == (social_worker, "Позвонила, записали на среду")
    assert client.get("/staff/tasks/").context["page"].paginator.count == 0


def test_open_tasks_follow_the_case_when_it_changes_hands(
    client, administrator, social_worker, medical_staff, make_placement, django_user_model
):
    from tests.conftest import _user

    other = _user(django_user_model, "other_worker", "Social worker")
    placement = make_placement()
    (theirs,) = add_tasks(social_worker, 1, placement=placement)
    (doctors,) = add_tasks(medical_staff, 1, placement=placement)
    client.force_login(administrator)

    client.post(
        "/staff/placements/reassign/", {"placements": [placement.pk], "social_worker": other.pk}
    )

    assert Task.objects.get(pk=theirs).assigned_to == other
    assert Task.objects.get(pk=doctors).assigned_to == medical_staff  # not the worker's


def test_the_dashboard_puts_overdue_visits_first_and_cuts_each_list_with_its_total(
    client, social_worker, make_placement
):
    placement = make_placement(days_ago=30)  # no visit: overdue
    add_tasks(social_worker, 34, days_from_today=-2, placement=placement)
    Notice.objects.bulk_create(
        Notice(user=social_worker, placement=placement, kind=Notice.Kind.ASSIGNED)
        for _ in range(14)
    )
    client.force_login(social_worker)

    html = client.get("/staff/").content.decode()

    assert html.index('id="overdue"') < html.index('id="tasks"') < html.index('id="this-week"')
    assert html.index('id="tasks"') < html.index('id="follow-ups-overdue"')
    assert "Showing 10 of 34, the most overdue first; see all my tasks" in html
    assert "14 new notices for you" in html
    assert html.count(f'href="/staff/placements/{placement.pk}/"') < 20  # not 34 + 14 cards


def test_the_notices_page_lists_them_and_marks_them_read(client, social_worker, make_placement):
    placement = make_placement()
    Notice.objects.create(user=social_worker, placement=placement, kind=Notice.Kind.ASSIGNED)
    client.force_login(social_worker)

    page = client.get("/staff/notices/").content.decode()
    assert "A case was assigned to you" in page and str(placement.child) in page
    client.post("/staff/notices/read/", {"next": "/staff/notices/"})

    assert Notice.objects.unread().count() == 0
    assert "new notice" not in client.get("/staff/").content.decode()


def test_the_placement_list_gives_each_control_its_own_id_and_name(
    client, administrator, make_placement
):
    """Accessibility #1: the reassign select and the filter's had one id."""
    make_placement()
    client.force_login(administrator)

    html = client.get("/staff/placements/?status=active").content.decode()

    import re

    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert '<label for="reassign_social_worker">' in html


@pytest.mark.parametrize(
    "query",
    ["whose=99999&due=someday&kind=chores&page=-3", "whose=team", "child=&page=abc"],
)
def test_odd_filters_show_my_tasks_never_an_error(client, social_worker, medical_staff, query):
    add_tasks(social_worker, 2)
    add_tasks(medical_staff, 1)
    client.force_login(social_worker)

    response = client.get(f"/staff/tasks/?{query}")

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2


def test_a_task_form_for_a_case_that_is_not_there_is_a_404(client, social_worker):
    client.force_login(social_worker)

    assert client.get("/staff/tasks/new/?placement=abc").status_code == 404
    assert client.get("/staff/tasks/new/?placement=999999").status_code == 404


def test_opening_the_notices_is_logged(client, social_worker, make_placement):
    Notice.objects.create(user=social_worker, placement=make_placement(), kind="assigned")
    client.force_login(social_worker)

    client.get("/staff/notices/")

    line = ReadAccess.objects.latest("pk")
    assert (line.user, line.content_type.model, line.results) == (social_worker, "notice", 1)
