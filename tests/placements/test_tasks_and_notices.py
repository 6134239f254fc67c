"""Nothing falls through: a consultation needing further work and a follow-up with
concerns give the assigned worker a task with a due date; a case assigned to you and a
decided application give you a notice and an email in your language."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from crisisunit import roles
from placements import services
from placements.models import FollowUp, Notice, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_worker(django_user_model):
    user = django_user_model.objects.create_user(
        username="second_worker", email="second@example.kz", language="ru", is_staff=True
    )
    user.groups.add(Group.objects.get(name=roles.SOCIAL_WORKER))
    return user


def consult(placement, by, follow_up_needed):
    return services.consultation_record(
        placement=placement,
        parent=placement.child.parents.first(),
        specialist="psychologist",
        held_on=timezone.localdate(),
        summary="Нужна ещё одна встреча",
        follow_up_needed=follow_up_needed,
        by=by,
    )


def test_a_consultation_needing_further_work_gives_the_assigned_worker_a_task(
    client, make_placement, medical_staff, social_worker, other_worker, settings, today
):
    placement = make_placement()
    consult(placement, medical_staff, follow_up_needed=False)
    assert not Task.objects.exists()

    consultation = consult(placement, medical_staff, follow_up_needed=True)

    task = Task.objects.get()
    assert (task.kind, task.assigned_to, task.consultation) == (
        Task.Kind.FURTHER_WORK,
        social_worker,
        consultation,
    )
    assert task.due_on == today + datetime.timedelta(days=settings.TASK_DUE_DAYS)
    client.force_login(social_worker)
    assert "Further work after a consultation" in client.get("/staff/").content.decode()
    client.force_login(other_worker)
    assert client.get("/staff/").context["tasks"] == []


def test_a_follow_up_with_concerns_gives_a_task_and_a_stable_one_none(
    make_return, social_worker, today
):
    returned = make_return(on=today - datetime.timedelta(days=40))
    first, second = returned.follow_ups.order_by("due_on")[:2]

    services.followup_record(
        follow_up=first, done_on=today, method=FollowUp.Method.PHONE_CALL,
        situation=FollowUp.Situation.STABLE, by=social_worker,
    )  # fmt: skip
    assert not Task.objects.exists()
    services.followup_record(
        follow_up=second, done_on=today, method=FollowUp.Method.HOME_VISIT,
        situation=FollowUp.Situation.CONCERNS, by=social_worker,
    )  # fmt: skip

    task = Task.objects.get()
    assert (task.kind, task.follow_up_id, task.placement) == (
        Task.Kind.CONCERNS,
        second.pk,
        returned,
    )


def test_the_worker_marks_a_task_done_and_it_leaves_the_dashboard(
    client, make_placement, medical_staff, social_worker, other_worker
):
    placement = make_placement()
    consult(placement, medical_staff, follow_up_needed=True)
    task = Task.objects.get()

    client.force_login(other_worker)
    assert client.post(f"/staff/tasks/{task.pk}/done/").status_code == 403
    client.force_login(social_worker)
    response = client.post(f"/staff/tasks/{task.pk}/done/", {"next": "/staff/"})

    assert response.status_code == 302 and response["Location"] == "/staff/"
    task.refresh_from_db()
    assert task.done_by == social_worker and task.done_at is not None
    assert task.history.latest().history_user == social_worker
    assert "No open task" in client.get("/staff/").content.decode()


def test_a_case_assigned_to_you_is_a_notice_and_an_email_in_your_language(
    client, administrator, other_worker, make_placement, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    placement = make_placement()
    client.force_login(administrator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/staff/placements/reassign/",
            {"placements": [placement.pk], "social_worker": other_worker.pk},
        )

    notice = Notice.objects.get(user=other_worker)
    assert (notice.kind, notice.placement) == (Notice.Kind.ASSIGNED, placement)
    (email,) = mailoutbox
    assert email.to == ["second@example.kz"]
    assert email.subject == "Вам назначены дела"
    assert f"/staff/placements/{placement.pk}/" in email.body
    assert placement.child.surname not in email.body  # a short name leaves the portal
    client.force_login(other_worker)  # who reads the portal in Russian
    assert "1 новое уведомление" in client.get("/staff/").content.decode()
    assert "Вам назначено дело" in client.get("/staff/notices/").content.decode()
    client.post("/staff/notices/read/")
    assert "новое уведомление" not in client.get("/staff/").content.decode()


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_a_decided_application_tells_the_assigned_worker(
    decision, administrator, social_worker, make_placement, make_application, mailoutbox,
    django_capture_on_commit_callbacks, today,
):  # fmt: skip
    application = make_application(make_placement(days_ago=60))
    social_worker.email = "worker@example.kz"
    social_worker.save()

    with django_capture_on_commit_callbacks(execute=True):
        if decision == "approve":
            services.application_approve(
                application=application, decision_number="Ш-1", decision_date=today,
                by=administrator,
            )  # fmt: skip
        else:
            services.application_reject(
                application=application, decision_number="Ш-1", decision_date=today,
                reason="Тұрғын үй жоқ", by=administrator,
            )  # fmt: skip

    notice = Notice.objects.get(user=social_worker)
    assert (
        notice.kind == {"approve": Notice.Kind.APPROVED, "reject": Notice.Kind.REJECTED}[decision]
    )
    (email,) = mailoutbox
    assert email.to == ["worker@example.kz"]
    # In Kazakh: the worker has not chosen a language yet.
    assert (
        email.subject
        == {
            "approve": "Қайтару туралы өтініш мақұлданды",
            "reject": "Қайтару туралы өтініш қабылданбады",
        }[decision]
    )


def test_no_notice_for_what_you_did_yourself(
    administrator, make_placement, make_application, today
):
    administrator.groups.add(Group.objects.get(name=roles.SOCIAL_WORKER))  # both roles
    placement = make_placement(days_ago=60, social_worker=administrator)
    application = make_application(placement)

    services.application_approve(
        application=application, decision_number="Ш-1", decision_date=today, by=administrator
    )

    assert not Notice.objects.exists()


def test_an_intake_assigned_to_another_worker_tells_them(
    client, social_worker, other_worker, intake_form
):
    intake_form["placement-social_worker"] = other_worker.pk
    client.force_login(social_worker)

    response = client.post("/staff/placements/new/", intake_form)

    assert response.status_code == 302
    notice = Notice.objects.get(user=other_worker)
    assert notice.kind == Notice.Kind.ASSIGNED
    assert not Notice.objects.filter(user=social_worker).exists()
