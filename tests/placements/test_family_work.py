"""Issue 31, items 1-3: the work with the family that brings a child home — the plan
(goals, actions, monthly reviews), the inspection act of the living conditions with a
risk level, and referrals to outside services — through the pages, with the bad input
of the issue refused on the field and nothing saved, and medical staff reading the
plan and the risk level, never an act's findings nor a referral."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from crisisunit.models import ReadAccess
from families.models import Consent, Relation
from placements import services
from placements.models import (
    FamilyPlan,
    GoalProgress,
    InspectionAct,
    PlanAction,
    PlanGoal,
    PlanReview,
    Referral,
    Task,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def placement(make_placement):
    return make_placement(days_ago=40)


@pytest.fixture
def plan(placement, social_worker):
    services.plan_start(placement=placement, started_on=placement.admitted_on, by=social_worker)
    return placement.plan


def goal(placement, by, area="housing", description="Тұрғын үй табу"):
    return services.goal_add(placement=placement, area=area, description=description, by=by)


def act_fields(**changes):
    fields = {
        "inspected_on": timezone.localdate().isoformat(),
        "inspectors": "Сейітова А., әлеуметтік қызметкер",
        "address": "Астана, Сарыарқа ауданы, Жеңіс даңғылы 5-12",
        "housing": "Жалға алынған бір бөлмелі пәтер",
        "infant_sleeping": "Балалар кереуеті бар",
        "conclusion": "Тұрмыстық жағдай баланы қайтаруға жарамды",
        "risk_level": "low",
        "risk_reason": "Ана жұмыс істейді, пәтер жылы",
    }
    fields.update(changes)
    return fields


def page(client, placement):
    return client.get(f"/staff/placements/{placement.pk}/family-work/").content.decode()


def test_a_social_worker_starts_a_plan_adds_goals_and_actions_and_reviews_it(
    client, social_worker, placement, today
):
    client.force_login(social_worker)
    base = f"/staff/placements/{placement.pk}"

    assert "No plan yet." in page(client, placement)
    client.post(f"{base}/plan/start/", {"started_on": today.isoformat()})
    client.post(f"{base}/plan/goals/new/", {"area": "housing", "description": "Пәтер жалдау"})
    client.post(f"{base}/plan/goals/new/", {"area": "income", "description": "Жұмыс табу"})
    housing, income = PlanGoal.objects.filter(plan__placement=placement).order_by("pk")
    response = client.post(
        f"{base}/plan/actions/new/",
        {"goal": income.pk, "what": "Еңбек орталығына бару", "by_whom": "parent",
         "due_on": (today + 7 * DAY).isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == f"{base}/family-work/"
    response = client.post(
        f"{base}/plan/reviews/new/",
        {"held_on": today.isoformat(), "parent_took_part": "on",
         "participants": "ана, әлеуметтік қызметкер", "decision": "continue",
         f"progress_{housing.pk}": "2", f"progress_{income.pk}": "3"},
    )  # fmt: skip

    assert response.status_code == 302
    review = PlanReview.objects.get(plan__placement=placement)
    assert review.parent_took_part and review.recorded_by == social_worker
    assert dict(review.progress.values_list("goal_id", "step")) == {housing.pk: 2, income.pk: 3}
    shown = page(client, placement)
    assert "Пәтер жалдау" in shown and "Еңбек орталығына бару" in shown
    assert "some progress" in shown.lower() and "mostly achieved" in shown.lower()
    assert "Continue the plan" in shown
    assert placement.plan.history.count() == 1  # history kept


def test_a_review_must_rate_every_goal(client, social_worker, placement, plan, today):
    housing = goal(placement, social_worker)
    goal(placement, social_worker, area="documents", description="Жеке куәлік алу")
    client.force_login(social_worker)

    response = client.post(
        f"/staff/placements/{placement.pk}/plan/reviews/new/",
        {"held_on": today.isoformat(), "participants": "ана", "decision": "continue",
         f"progress_{housing.pk}": "2"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not PlanReview.objects.exists()


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (-5, "The review cannot be before the plan was started"),
        (+1, "The date cannot be in the future."),
    ],
)
def test_a_review_before_the_plan_or_in_the_future_is_refused(
    client, social_worker, placement, today, when, message
):
    services.plan_start(placement=placement, started_on=today - 10 * DAY, by=social_worker)
    housing = goal(placement, social_worker)
    client.force_login(social_worker)

    response = client.post(
        f"/staff/placements/{placement.pk}/plan/reviews/new/",
        {"held_on": (today - 10 * DAY + when * DAY).isoformat() if when < 0
         else (today + DAY).isoformat(),
         "participants": "ана", "decision": "continue", f"progress_{housing.pk}": "1"},
    )  # fmt: skip

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PlanReview.objects.exists() and not GoalProgress.objects.exists()


def test_an_action_due_before_the_admission_is_refused(client, social_worker, placement, plan):
    housing = goal(placement, social_worker)
    client.force_login(social_worker)

    response = client.post(
        f"/staff/placements/{placement.pk}/plan/actions/new/",
        {"goal": housing.pk, "what": "Кезекке тұру", "by_whom": "parent",
         "due_on": (placement.admitted_on - DAY).isoformat()},
    )  # fmt: skip

    assert response.status_code == 200
    assert "An action cannot be due before the admission on" in response.content.decode()
    assert not PlanAction.objects.exists()


def test_an_action_not_done_needs_its_reason(client, social_worker, placement, plan, today):
    action = services.action_add(
        placement=placement, goal=goal(placement, social_worker), what="Кезекке тұру",
        by_whom="parent", due_on=today, by=social_worker,
    )  # fmt: skip
    client.force_login(social_worker)
    url = f"/staff/plan-actions/{action.pk}/"
    fields = {"what": action.what, "by_whom": "parent", "due_on": today.isoformat()}

    refused = client.post(url, {**fields, "status": "not_done"})
    done = client.post(url, {**fields, "status": "not_done", "not_done_reason": "Ана ауырды"})

    assert "Say why the action was not done." in refused.content.decode()
    assert done.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.not_done_reason) == ("not_done", "Ана ауырды")
    assert action.history.count() == 2


def test_a_goal_of_another_stay_cannot_take_an_action(
    social_worker, placement, plan, make_placement, today
):
    other = make_placement(days_ago=20)
    services.plan_start(placement=other, started_on=today, by=social_worker)
    foreign = goal(other, social_worker)

    with pytest.raises(ValidationError, match="Choose a goal of this plan"):
        services.action_add(
            placement=placement, goal=foreign, what="x", by_whom="parent", due_on=today,
            by=social_worker,
        )  # fmt: skip


def test_a_stay_has_one_plan(social_worker, placement, plan, today):
    with pytest.raises(ValidationError, match="already has a plan"):
        services.plan_start(placement=placement, started_on=today, by=social_worker)
    assert FamilyPlan.objects.count() == 1


def test_an_inspection_act_is_recorded_and_shown_with_its_risk_level(
    client, social_worker, placement
):
    client.force_login(social_worker)

    response = client.post(
        f"/staff/placements/{placement.pk}/inspections/new/", act_fields(risk_level="medium")
    )

    assert response.status_code == 302
    act = InspectionAct.objects.get(placement=placement)
    shown = page(client, placement)
    assert "Medium" in shown and "Тұрмыстық жағдай баланы" in shown
    detail = client.get(f"/staff/inspections/{act.pk}/").content.decode()
    assert "Жалға алынған бір бөлмелі пәтер" in detail and "Ана жұмыс істейді" in detail
    case_page = client.get(f"/staff/placements/{placement.pk}/").content.decode()
    assert "risk level medium" in case_page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"risk_reason": ""}, "risk_reason", "This field is required."),
        ({"risk_reason": "   "}, "risk_reason", "This field is required."),
        ({"inspected_on": "2001-01-01"}, "inspected_on", "before the admission"),
        ({"risk_level": "extreme"}, "risk_level", "Select a valid choice."),
    ],
)
def test_an_act_that_does_not_hold_together_is_refused(
    client, social_worker, placement, changes, field, message
):
    client.force_login(social_worker)

    response = client.post(
        f"/staff/placements/{placement.pk}/inspections/new/", act_fields(**changes)
    )

    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not InspectionAct.objects.exists()


def test_an_act_after_the_stay_closed_is_refused(social_worker, make_return, today):
    closed = make_return(on=today - 10 * DAY)

    with pytest.raises(ValidationError, match="after the placement closed"):
        services.inspection_record(
            placement=closed, inspected_on=today - 5 * DAY, inspectors="x", address="y",
            conclusion="z", risk_level="low", risk_reason="r", by=social_worker,
        )  # fmt: skip


def test_a_stay_cannot_close_before_its_family_work(social_worker, administrator, placement, today):
    services.inspection_record(
        placement=placement, inspected_on=today, inspectors="x", address="y", conclusion="z",
        risk_level="low", risk_reason="r", by=social_worker,
    )  # fmt: skip

    with pytest.raises(ValidationError, match="the work with the family"):
        placement.check_stay_window(closed_on=today - DAY)


def test_a_referral_is_sent_and_its_answer_recorded(client, social_worker, placement, plan, today):
    mother = placement.child.parents.get()
    action = services.action_add(
        placement=placement, goal=goal(placement, social_worker), what="Кезекке тұру",
        by_whom="service", due_on=today, by=social_worker,
    )  # fmt: skip
    client.force_login(social_worker)

    client.post(
        f"/staff/placements/{placement.pk}/referrals/new/",
        {"parent": mother.pk, "service": "housing", "organisation": "Астана әкімдігі",
         "sent_on": today.isoformat(), "request": "Тұрғын үй кезегіне қою", "action": action.pk},
    )  # fmt: skip
    referral = Referral.objects.get()
    refused = client.post(
        f"/staff/referrals/{referral.pk}/", {"status": "given", "answered_on": today.isoformat()}
    )
    answered = client.post(
        f"/staff/referrals/{referral.pk}/",
        {"status": "given", "answered_on": today.isoformat(), "outcome": "Кезекке қойылды"},
    )

    assert "Say what came of the referral." in refused.content.decode()
    assert answered.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.action, referral.outcome) == (
        "given",
        action,
        "Кезекке қойылды",
    )
    shown = page(client, placement)
    assert "Астана әкімдігі" in shown and "Service given" in shown


def test_a_referral_of_a_parent_of_another_child_is_refused(
    client, social_worker, placement, make_parent, today
):
    stranger = make_parent(relation=Relation.MOTHER)
    client.force_login(social_worker)

    response = client.post(
        f"/staff/placements/{placement.pk}/referrals/new/",
        {"parent": stranger.pk, "service": "legal", "organisation": "Заң көмегі",
         "sent_on": today.isoformat(), "request": "Кеңес"},
    )  # fmt: skip
    with pytest.raises(ValidationError, match="not recorded as a parent of the child"):
        services.referral_send(
            placement=placement, parent=stranger, service="legal", organisation="Заң көмегі",
            sent_on=today, request="Кеңес", by=social_worker,
        )  # fmt: skip

    assert response.status_code == 200
    assert "Select a valid choice." in str(response.context["form"].errors["parent"])
    assert not Referral.objects.exists()


def test_an_answer_before_the_referral_was_sent_is_refused(social_worker, placement, today):
    referral = services.referral_send(
        placement=placement, parent=placement.child.parents.get(), service="benefits",
        organisation="ХҚКО", sent_on=today, request="Жәрдемақы", by=social_worker,
    )  # fmt: skip

    with pytest.raises(ValidationError, match="before the referral was sent"):
        services.referral_answer(
            referral=referral, status="accepted", answered_on=today - DAY, by=social_worker
        )
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_medical_staff_read_the_plan_and_the_risk_level_only(
    client, social_worker, medical_staff, placement, plan, today
):
    goal(placement, social_worker, description="Пәтер жалдау")
    act = services.inspection_record(
        placement=placement, inspected_on=today, inspectors="x", address="Жеңіс даңғылы 5",
        conclusion="Жағдай нашар", risk_level="high", risk_reason="Пәтер суық", by=social_worker,
    )  # fmt: skip
    services.referral_send(
        placement=placement, parent=placement.child.parents.get(), service="treatment",
        organisation="Наркологиялық орталық", sent_on=today, request="Емдеу", by=social_worker,
    )  # fmt: skip
    client.force_login(medical_staff)

    shown = page(client, placement)

    assert "Пәтер жалдау" in shown and "High" in shown
    for hidden in ("Жағдай нашар", "Пәтер суық", "Жеңіс даңғылы", "Наркологиялық", "Емдеу"):
        assert hidden not in shown
    assert client.get(f"/staff/inspections/{act.pk}/").status_code == 403
    refused = client.post(f"/staff/placements/{placement.pk}/inspections/new/", act_fields())
    assert refused.status_code == 403
    with pytest.raises(PermissionDenied):
        services.goal_add(placement=placement, area="other", description="x", by=medical_staff)
    assert InspectionAct.objects.count() == 1


def test_the_pages_ask_for_a_sign_in_and_the_permission(
    client, content_editor, outsider, placement, plan
):
    url = f"/staff/placements/{placement.pk}/family-work/"
    assert client.get(url).status_code == 302
    for user in (content_editor, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(f"/staff/placements/{placement.pk}/plan/goals/new/").status_code == 403


def test_opening_the_page_is_read_logged(client, medical_staff, placement):
    client.force_login(medical_staff)

    client.get(f"/staff/placements/{placement.pk}/family-work/")

    line = ReadAccess.objects.latest("pk")
    assert (line.user, line.content_type.model, line.object_id) == (
        medical_staff, "placement", str(placement.pk),
    )  # fmt: skip


def test_a_stay_without_a_plan_past_its_deadline_says_so(client, social_worker, make_placement):
    late = make_placement(days_ago=20)
    client.force_login(social_worker)

    assert "The plan is overdue." in page(client, late)
    assert "The plan is overdue." in client.get(f"/staff/placements/{late.pk}/").content.decode()


def test_a_review_without_goals_is_sent_back_to_the_plan(client, social_worker, placement, plan):
    client.force_login(social_worker)

    response = client.get(f"/staff/placements/{placement.pk}/plan/reviews/new/", follow=True)

    assert "Add the plan&#x27;s goals before reviewing it." in response.content.decode()


@pytest.mark.parametrize("size", [0, 50])
def test_the_page_costs_the_same_queries_with_few_or_many_records(
    client, social_worker, placement, plan, today, size, django_assert_max_num_queries
):
    mother = placement.child.parents.get()
    for n in range(size):
        g = goal(placement, social_worker, description=f"Мақсат {n}")
        services.action_add(
            placement=placement, goal=g, what=f"Әрекет {n}", by_whom="parent", due_on=today,
            by=social_worker,
        )  # fmt: skip
        services.inspection_record(
            placement=placement, inspected_on=today, inspectors="x", address="y",
            conclusion=f"Қорытынды {n}", risk_level="low", risk_reason="r", by=social_worker,
        )  # fmt: skip
        services.referral_send(
            placement=placement, parent=mother, service="other", organisation=f"Ұйым {n}",
            sent_on=today, request="x", by=social_worker,
        )  # fmt: skip
    if size:
        services.review_hold(
            placement=placement, held_on=today, participants="ана", decision="continue",
            progress={g.pk: 2 for g in placement.plan.goals.all()}, by=social_worker,
        )  # fmt: skip
    client.force_login(social_worker)

    with django_assert_max_num_queries(17):
        response = client.get(f"/staff/placements/{placement.pk}/family-work/")

    assert response.status_code == 200
    assert response.content.decode().count('<article class="goal"') == size


def test_the_dashboard_lists_a_stay_without_a_plan_past_its_deadline(
    client, social_worker, make_placement, today
):
    late = make_placement(days_ago=20)
    fresh = make_placement(days_ago=3)
    planned = make_placement(days_ago=30)
    services.plan_start(placement=planned, started_on=today, by=social_worker)
    client.force_login(social_worker)

    dashboard = client.get("/staff/").content.decode()

    listed = dashboard[dashboard.index('id="no-plan"') :]
    listed = listed[: listed.index("</section>")]
    assert str(late.child) in listed
    assert str(fresh.child) not in listed and str(planned.child) not in listed
    assert '<span class="count">1</span>' in listed


def test_a_review_overdue_by_a_week_becomes_one_task_for_the_worker(
    social_worker, placement, today
):
    services.plan_start(placement=placement, started_on=today - 38 * DAY, by=social_worker)
    # Due a month after the start (about 8 days ago): more than 7 days late.

    raised = services.family_work_tasks_raise(today=today)
    again = services.family_work_tasks_raise(today=today)

    task = Task.objects.get(kind=Task.Kind.REVIEW)
    assert (raised, again) == (1, 0)
    assert (task.assigned_to, task.placement, task.plan) == (
        social_worker,
        placement,
        placement.plan,
    )


def test_a_review_held_on_time_raises_no_task(social_worker, placement, today):
    services.plan_start(placement=placement, started_on=today - 38 * DAY, by=social_worker)
    housing = goal(placement, social_worker)
    services.review_hold(
        placement=placement, held_on=today - 10 * DAY, participants="ана", decision="continue",
        progress={housing.pk: 2}, by=social_worker,
    )  # fmt: skip

    assert services.family_work_tasks_raise(today=today) == 0
    assert not Task.objects.exists()


def test_a_referral_unanswered_for_two_weeks_becomes_one_task(social_worker, placement, today):
    mother = placement.child.parents.get()
    old = services.referral_send(
        placement=placement, parent=mother, service="legal", organisation="Заң көмегі",
        sent_on=today - 15 * DAY, request="Кеңес", by=social_worker,
    )  # fmt: skip
    services.referral_send(
        placement=placement, parent=mother, service="benefits", organisation="ХҚКО",
        sent_on=today - 3 * DAY, request="Жәрдемақы", by=social_worker,
    )  # fmt: skip

    assert services.family_work_tasks_raise(today=today) == 1
    assert services.family_work_tasks_raise(today=today) == 0
    task = Task.objects.get()
    assert (task.kind, task.referral) == (Task.Kind.REFERRAL, old)


def test_the_morning_job_raises_the_tasks(social_worker, placement, today, mailoutbox):
    from placements.jobs import send_reminders

    services.plan_start(placement=placement, started_on=today - 38 * DAY, by=social_worker)

    send_reminders.enqueue()

    assert Task.objects.filter(kind=Task.Kind.REVIEW, placement=placement).count() == 1


def test_the_act_prints_for_signature_in_kazakh_and_russian(
    client, social_worker, medical_staff, placement
):
    from tests.placements.test_printouts import text_of

    client.force_login(social_worker)
    client.post(f"/staff/placements/{placement.pk}/inspections/new/", act_fields())
    act = InspectionAct.objects.get()
    url = f"/staff/inspections/{act.pk}.pdf"

    kazakh = text_of(client.get(url, {"language": "kk"}))
    russian = text_of(client.get(url, {"language": "ru"}))

    assert "Жалға алынған бір бөлмелі пәтер" in kazakh and "Тәуекел деңгейі" in kazakh
    assert "Төмен" in kazakh and placement.child.surname in kazakh
    assert "Акт обследования жилищно-бытовых условий семьи" in russian and "Низкий" in russian
    assert (
        ReadAccess.objects.filter(
            content_type__model="inspectionact", object_id=str(act.pk)
        ).count()
        == 2
    )
    assert "inspection" in client.get(f"/staff/inspections/{act.pk}/").content.decode()
    client.force_login(medical_staff)
    assert client.get(url).status_code == 403


def test_the_case_page_lists_the_childs_other_stays_with_outcome_plan_and_decision(
    client, social_worker, administrator, make_child, make_placement, make_application, today
):
    """Item 6: the child's whole history, however old."""
    child = make_child(date_of_birth=today - 900 * DAY)
    old = make_placement(child=child, days_ago=500)
    services.plan_start(placement=old, started_on=old.admitted_on + 3 * DAY, by=social_worker)
    decision = make_application(old, days_ago=450)
    services.application_start_review(application=decision, by=social_worker)
    services.application_approve(
        application=decision, decision_number="Ш-12", decision_date=today - 445 * DAY,
        returned_on=today - 440 * DAY, by=administrator,
    )  # fmt: skip
    again = make_placement(child=child, days_ago=30)
    old.refresh_from_db()
    client.force_login(social_worker)

    page_ = client.get(f"/staff/placements/{again.pk}/").content.decode()

    section = page_[page_.index('id="earlier-stays"') :]
    section = section[: section.index("</section>")]
    assert f"{old.admitted_on:%d.%m.%Y}–{old.closed_on:%d.%m.%Y}" in section
    assert "Returned to the biological family" in section
    assert f"started on {old.admitted_on + 3 * DAY:%d.%m.%Y}" in section
    assert "Approved, № Ш-12" in section
    assert ReadAccess.objects.filter(query=f"earlier stays of {again.pk}").exists()


# Item 4: the authority's file.


@pytest.fixture
def application(placement, make_application, today):
    return make_application(placement, filed_on=today - 5 * DAY)


def an_act(placement, by, day):
    return services.inspection_record(
        placement=placement, inspected_on=day, inspectors="x", address="y", conclusion="z",
        risk_level="low", risk_reason="r", by=by,
    )  # fmt: skip


def send(client, application, **fields):
    return client.post(f"/staff/applications/{application.pk}/send/", fields)


def test_an_application_goes_to_the_authority_with_its_number_and_act(
    client, social_worker, placement, application, today
):
    act = an_act(placement, social_worker, today - 6 * DAY)
    client.force_login(social_worker)

    response = send(
        client, application, sent_on=(today - 2 * DAY).isoformat(), outgoing_number="01-15/77",
        inspection=act.pk,
    )  # fmt: skip

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.outgoing_number, application.inspection) == (
        "under_review", "01-15/77", act,
    )  # fmt: skip
    due = today - 2 * DAY + datetime.timedelta(days=30)
    case_page = client.get(f"/staff/placements/{placement.pk}/").content.decode()
    assert f"outgoing № 01-15/77; decision due by {due:%d.%m.%Y}" in case_page


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("before_filing", "sent_on", "before it was filed"),
        ("future", "sent_on", "The date cannot be in the future."),
        ("act_after_sending", "inspection", "dated after the application was sent"),
        ("act_of_another_stay", "inspection", "Select a valid choice."),
        ("no_act", "inspection", "This field is required."),
        ("no_number", "outgoing_number", "This field is required."),
    ],
)
def test_a_sending_that_does_not_hold_together_is_refused(
    client, social_worker, placement, application, make_placement, today, case, field, message
):
    act = an_act(placement, social_worker, today)
    other = an_act(make_placement(days_ago=10), social_worker, today)
    fields = {"sent_on": (today - DAY).isoformat(), "outgoing_number": "7", "inspection": act.pk}
    if case == "before_filing":
        fields["sent_on"] = (today - 6 * DAY).isoformat()
        fields["inspection"] = an_act(placement, social_worker, today - 7 * DAY).pk
    elif case == "future":
        fields["sent_on"] = (today + DAY).isoformat()
    elif case == "act_of_another_stay":
        fields["inspection"] = other.pk
    elif case == "no_act":
        fields["inspection"] = ""
    elif case == "no_number":
        fields["outgoing_number"] = ""
    client.force_login(social_worker)

    response = send(client, application, **fields)

    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    application.refresh_from_db()
    assert application.status == "submitted" and application.sent_on is None


def test_an_application_past_the_deadline_is_flagged_and_becomes_a_task(
    client, social_worker, placement, make_application, today
):
    application = make_application(placement, filed_on=today - 35 * DAY)
    act = an_act(placement, social_worker, today - 36 * DAY)
    services.application_start_review(
        application=application, sent_on=today - 31 * DAY, outgoing_number="9", inspection=act,
        by=social_worker,
    )  # fmt: skip
    client.force_login(social_worker)

    dashboard = client.get("/staff/").content.decode()
    raised = services.family_work_tasks_raise(today=today)

    assert "Past the authority's deadline" in dashboard and str(placement.child) in dashboard
    assert raised == 1 and services.family_work_tasks_raise(today=today) == 0
    task = Task.objects.get(kind=Task.Kind.AUTHORITY)
    assert (task.application, task.assigned_to) == (application, social_worker)


# Item 7: the return decision, evidenced on paper.


def test_the_summary_and_the_application_carry_the_work_with_the_family(
    client, social_worker, medical_staff, placement, plan, today
):
    from tests.placements.test_printouts import text_of

    housing = goal(placement, social_worker, description="Снять квартиру")
    services.review_hold(
        placement=placement, held_on=today, participants="мать", decision="prepare_return",
        progress={housing.pk: 4}, by=social_worker,
    )  # fmt: skip
    services.inspection_record(
        placement=placement, inspected_on=today, inspectors="x", address="y",
        conclusion="Условия хорошие", risk_level="low", risk_reason="Есть работа", by=social_worker,
    )  # fmt: skip
    services.referral_send(
        placement=placement, parent=placement.child.parents.get(), service="legal",
        organisation="Юрцентр", sent_on=today, request="Совет", by=social_worker,
    )  # fmt: skip
    base = f"/staff/placements/{placement.pk}"
    client.force_login(social_worker)

    summary = text_of(client.get(f"{base}/summary.pdf", {"language": "en"}))
    application = text_of(client.get(f"{base}/application.pdf", {"language": "en"}))
    client.force_login(medical_staff)
    doctors = text_of(client.get(f"{base}/summary.pdf", {"language": "en"}))

    for text in (summary, application):
        assert "Снять квартиру" in text and "achieved" in text
        assert "risk level low" in text and "Условия хорошие" in text and "Юрцентр" in text
    assert "Снять квартиру" in doctors and "risk level low" in doctors
    assert "Условия хорошие" not in doctors and "Юрцентр" not in doctors


def test_approving_in_the_admin_shows_the_evidence_and_warns_without_blocking(
    client, administrator, social_worker, placement, plan, make_application, today
):
    from tests.placements.test_admin import _act, _approve

    housing = goal(placement, social_worker, description="Снять квартиру")
    services.review_hold(
        placement=placement, held_on=today, participants="мать", decision="prepare_return",
        progress={housing.pk: 3}, by=social_worker,
    )  # fmt: skip
    services.inspection_record(
        placement=placement, inspected_on=today - 35 * DAY, inspectors="x", address="y",
        conclusion="Холодно", risk_level="high", risk_reason="Нет отопления", by=social_worker,
    )  # fmt: skip
    application = make_application(placement, days_ago=5)
    client.force_login(administrator)

    page_ = _act(client, "approve_applications", [application]).content.decode()

    assert "Снять квартиру" in page_ and "mostly achieved" in page_.lower()
    assert "Холодно" in page_ and "Нет отопления" in page_
    assert (
        "No inspection act of the family&#x27;s living conditions from the last 30 days." in page_
    )
    assert "The last inspection found a high risk level." in page_
    _approve(client, application, today)  # a warning, not a refusal
    application.refresh_from_db()
    assert application.status == "approved"


# Item 5: consent in the workspace.


def test_a_consent_is_recorded_and_withdrawn_from_the_case_page(
    client, social_worker, placement, today
):
    mother = placement.child.parents.get()
    client.force_login(social_worker)
    case_url = f"/staff/placements/{placement.pk}/"
    assert "No valid consent to data processing." in client.get(case_url).content.decode()

    client.post(
        f"/staff/placements/{placement.pk}/parents/{mother.pk}/consents/new/",
        {"given_on": today.isoformat(), "covers": "Имена и дело ребёнка, для его возвращения"},
    )
    consent = Consent.objects.get(parent=mother)
    assert "No valid consent" not in client.get(case_url).content.decode()
    url = f"/staff/consents/{consent.pk}/withdraw/?placement={placement.pk}"
    refused = client.post(url, {"withdrawn_on": today.isoformat()})
    done = client.post(url, {"withdrawn_on": today.isoformat(), "withdrawal_reason": "Передумала"})

    assert "This field is required." in str(refused.context["form"].errors["withdrawal_reason"])
    assert done.status_code == 302
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawal_reason) == (today, "Передумала")
    page_ = client.get(case_url).content.decode()
    assert "withdrawn on" in page_ and "Передумала" in page_
    assert "No valid consent to data processing." in page_


def test_a_withdrawal_before_the_consent_or_of_another_childs_parent_is_refused(
    client, social_worker, placement, make_placement, today
):
    mother = placement.child.parents.get()
    consent = Consent.objects.create(
        parent=mother, given_on=today - DAY, covers="Данные", recorded_by=social_worker
    )
    other = make_placement(days_ago=5)
    client.force_login(social_worker)
    base = f"/staff/consents/{consent.pk}/withdraw/"

    early = client.post(
        f"{base}?placement={placement.pk}",
        {"withdrawn_on": (today - 2 * DAY).isoformat(), "withdrawal_reason": "x"},
    )
    foreign = client.get(f"{base}?placement={other.pk}")
    garbage = client.get(f"{base}?placement=abc")

    assert "before it was given" in str(early.context["form"].errors["withdrawn_on"])
    assert (foreign.status_code, garbage.status_code) == (404, 404)
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_the_sending_and_withdrawal_forms_ask_for_every_field_and_start_from_today(
    client, social_worker, placement, application, today
):
    consent = Consent.objects.create(
        parent=placement.child.parents.get(), given_on=today, covers="Данные",
        recorded_by=social_worker,
    )  # fmt: skip
    client.force_login(social_worker)

    sending = client.get(f"/staff/applications/{application.pk}/send/").content.decode()
    withdrawal = client.get(
        f"/staff/consents/{consent.pk}/withdraw/?placement={placement.pk}"
    ).content.decode()

    for html in (sending, withdrawal):
        assert f'value="{today.isoformat()}"' in html and "(optional)" not in html


def test_a_stay_without_an_inspection_after_its_first_month_says_so(
    client, social_worker, make_placement
):
    late, fresh = make_placement(days_ago=40), make_placement(days_ago=10)
    client.force_login(social_worker)

    assert "The first inspection was due by" in page(client, late)
    assert "The first inspection was due by" not in page(client, fresh)
