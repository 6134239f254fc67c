import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from placements import services
from placements.models import Placement, ReturnApplication, TermExtension, Visit

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
APPLICATIONS = reverse("admin:placements_returnapplication_changelist")

CHANGELISTS = [
    ("families", "parent"),
    ("families", "childparent"),
    ("families", "child"),
    ("families", "consent"),
    ("placements", "placement"),
    ("placements", "termextension"),
    ("placements", "visit"),
    ("placements", "consultation"),
    ("placements", "returnapplication"),
]


@pytest.mark.parametrize(("app", "model"), CHANGELISTS)
def test_anonymous_visitors_are_sent_to_the_login(client, app, model):
    response = client.get(reverse(f"admin:{app}_{model}_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(("app", "model"), CHANGELISTS)
def test_staff_without_a_role_gets_403(client, outsider, app, model):
    client.force_login(outsider)

    assert client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 403


@pytest.mark.parametrize("role", ["administrator", "social_worker", "medical_staff"])
@pytest.mark.parametrize(("app", "model"), CHANGELISTS)
def test_every_role_can_see_the_case_records(client, request, make_placement, role, app, model):
    make_placement()
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse(f"admin:{app}_{model}_changelist"))

    assert response.status_code == 200


def test_admin_search_finds_a_placement_by_a_parents_iin(
    client, administrator, make_child, make_parent, make_placement
):
    child = make_child(surname="Іздеуов")
    make_parent(child=child, iin="991231409876", date_of_birth=datetime.date(1999, 12, 31))
    make_placement(child=child)
    make_placement(child=make_child(surname="Басқаев"))
    client.force_login(administrator)

    response = client.get(reverse("admin:placements_placement_changelist"), {"q": "991231409876"})

    assert "Іздеуов" in response.content.decode()
    assert "Басқаев" not in response.content.decode()


def test_the_placement_page_shows_visits_and_applications_inline(
    client, administrator, make_placement, make_visit, make_application
):
    placement = make_placement(days_ago=30)
    make_visit(placement, days_ago=3, notes="Ана әлди айтты")
    make_application(placement, comment="Жұмыс тапты")
    client.force_login(administrator)

    page = client.get(reverse("admin:placements_placement_change", args=[placement.pk]))

    assert "Ана әлди айтты" in page.content.decode()
    assert "Жұмыс тапты" in page.content.decode()


# Deleting


@pytest.mark.parametrize(("app", "model"), CHANGELISTS)
def test_nobody_can_delete_case_records_in_the_admin(client, administrator, app, model):
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)

    response = client.get(reverse(f"admin:{app}_{model}_changelist"))

    assert "delete_selected" not in response.content.decode()


def test_the_delete_page_of_a_placement_is_refused(client, administrator, make_placement):
    placement = make_placement()
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)

    url = reverse("admin:placements_placement_delete", args=[placement.pk])

    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Placement.objects.filter(pk=placement.pk).exists()


# Approving and rejecting


def _act(client, action, applications, **form):
    data = {"action": action, ACTION_CHECKBOX_NAME: [a.pk for a in applications], "index": 0}
    if form:
        data.pop("index")
        data.update(form, apply="1")
    return client.post(APPLICATIONS, data, follow=bool(form))


def _approve(client, application, today, *, number="ҚҚ-77", decided_on=None):
    return _act(
        client,
        "approve_applications",
        [application],
        decision_number=number,
        decision_date=(decided_on or today).isoformat(),
        returned_on=today.isoformat(),
    )


def _messages(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def application(make_placement, make_application):
    return make_application(make_placement(days_ago=60), days_ago=10)


def test_approval_asks_for_the_authoritys_decision_first(client, administrator, application):
    client.force_login(administrator)

    response = _act(client, "approve_applications", [application])

    assert response.status_code == 200
    assert 'name="decision_number"' in response.content.decode()
    assert str(application.placement.child) in response.content.decode()
    application.refresh_from_db()
    assert application.status == ReturnApplication.Status.SUBMITTED


def test_an_administrator_approves_and_the_child_goes_home(
    client, administrator, application, today
):
    client.force_login(administrator)

    response = _approve(client, application, today, decided_on=today - DAY)

    application.refresh_from_db()
    assert application.status == ReturnApplication.Status.APPROVED
    assert application.decided_by == administrator
    assert application.placement.outcome == Placement.Outcome.RETURNED
    assert any("approved (decision No. ҚҚ-77)" in m for m in _messages(response))


def test_a_decision_is_written_to_the_applications_history(
    client, administrator, application, today
):
    client.force_login(administrator)
    _approve(client, application, today)

    history = client.get(
        reverse("admin:placements_returnapplication_history", args=[application.pk])
    ).content.decode()

    assert "ҚҚ-77" in history
    assert administrator.username in history


def test_a_missing_decision_number_keeps_the_page_with_a_message(
    client, administrator, application, today
):
    client.force_login(administrator)

    response = _approve(client, application, today, number="")

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert response.context["form"]["decision_date"].value() == today.isoformat()
    application.refresh_from_db()
    assert application.status == ReturnApplication.Status.SUBMITTED


def test_each_application_is_reported_and_invalid_ones_are_refused(
    client, administrator, make_placement, make_application, today
):
    approved = make_application(make_placement(days_ago=60), days_ago=10)
    services.application_approve(
        application=approved, by=administrator, decision_number="1", decision_date=today
    )
    waiting = make_application(make_placement(days_ago=60), days_ago=10)
    client.force_login(administrator)

    response = _act(
        client,
        "reject_applications",
        [approved, waiting],
        decision_number="ҚҚ-78",
        decision_date=today.isoformat(),
        reason="Тұрғын үй жоқ",
    )

    messages = _messages(response)
    assert any(str(approved) in m and "cannot change again" in m for m in messages)
    assert any(str(waiting) in m and "rejected" in m for m in messages)
    approved.refresh_from_db()
    waiting.refresh_from_db()
    assert (approved.status, waiting.status) == ("approved", "rejected")


def test_a_rejection_needs_a_reason_on_the_page(client, administrator, application, today):
    client.force_login(administrator)

    response = _act(
        client,
        "reject_applications",
        [application],
        decision_number="ҚҚ-78",
        decision_date=today.isoformat(),
        reason="",
    )

    assert "reason" in response.context["form"].errors
    application.refresh_from_db()
    assert application.status == ReturnApplication.Status.SUBMITTED


def test_a_social_worker_is_not_offered_approve_or_reject(client, social_worker, application):
    client.force_login(social_worker)

    page = client.get(APPLICATIONS).content.decode()

    assert "start_review" in page
    assert "approve_applications" not in page
    assert "reject_applications" not in page


@pytest.mark.parametrize("action", ["approve_applications", "reject_applications"])
def test_a_direct_decision_post_without_the_permission_gets_403(
    client, social_worker, application, today, action
):
    client.force_login(social_worker)

    response = client.post(
        APPLICATIONS,
        {
            "action": action,
            ACTION_CHECKBOX_NAME: [application.pk],
            "apply": "1",
            "decision_number": "X",
            "decision_date": today.isoformat(),
            "returned_on": today.isoformat(),
            "reason": "X",
        },
    )

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == ReturnApplication.Status.SUBMITTED


def test_a_social_worker_sends_an_application_for_review(client, social_worker, application):
    client.force_login(social_worker)

    client.post(
        APPLICATIONS,
        {"action": "start_review", ACTION_CHECKBOX_NAME: [application.pk], "index": 0},
    )

    application.refresh_from_db()
    assert application.status == ReturnApplication.Status.UNDER_REVIEW


def test_a_decided_application_opens_read_only(client, administrator, application, today):
    services.application_approve(
        application=application, by=administrator, decision_number="1", decision_date=today
    )
    client.force_login(administrator)
    url = reverse("admin:placements_returnapplication_change", args=[application.pk])

    page = client.get(url).content.decode()
    client.post(url, {"comment": "өзгерту"})

    assert 'name="comment"' not in page
    application.refresh_from_db()
    assert application.comment == ""


def test_an_administrator_registers_an_application_as_submitted(
    client, administrator, make_placement, today
):
    placement = make_placement(days_ago=30)
    client.force_login(administrator)

    client.post(
        reverse("admin:placements_returnapplication_add"),
        {
            "placement": placement.pk,
            "applicant": placement.child.parents.first().pk,
            "filed_on": today.isoformat(),
            "comment": "",
            "status": "approved",  # ignored: not a field of the form
        },
    )

    application = ReturnApplication.objects.get()
    assert application.status == ReturnApplication.Status.SUBMITTED
    assert application.registered_by == administrator


# Closing and extending on the placement's page


def test_an_administrator_closes_a_placement_with_another_outcome(
    client, administrator, make_placement, today
):
    placement = make_placement(days_ago=30)
    client.force_login(administrator)

    client.post(
        reverse("admin:placements_placement_changelist"),
        {
            "action": "close_placements",
            ACTION_CHECKBOX_NAME: [placement.pk],
            "apply": "1",
            "outcome": Placement.Outcome.TRANSFERRED,
            "closed_on": today.isoformat(),
        },
    )

    placement.refresh_from_db()
    assert (placement.status, placement.outcome) == ("closed", "transferred")


def test_a_return_home_cannot_be_recorded_without_an_application(
    client, administrator, make_placement, today
):
    placement = make_placement(days_ago=30)
    client.force_login(administrator)

    response = client.post(
        reverse("admin:placements_placement_changelist"),
        {
            "action": "close_placements",
            ACTION_CHECKBOX_NAME: [placement.pk],
            "apply": "1",
            "outcome": Placement.Outcome.RETURNED,
            "closed_on": today.isoformat(),
        },
    )

    assert "outcome" in response.context["form"].errors
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ACTIVE


def _inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def _placement_form(placement, **extra):
    data = {
        "social_worker": placement.social_worker_id,
        "admitted_on": placement.admitted_on.isoformat(),
        "referral_source": placement.referral_source,
        "referral_number": "",
        "referral_date": "",
        "crisis_reason": placement.crisis_reason,
        "crisis_notes": "",
        **_inline_management("extensions"),
        **_inline_management("visits"),
        **_inline_management("consultations"),
        **_inline_management("return_applications"),
    }
    data.update(extra)
    return data


def test_an_extension_added_on_the_placement_page_moves_the_term(
    client, administrator, make_placement, today
):
    placement = make_placement(days_ago=170)
    old_end = placement.planned_end_on
    client.force_login(administrator)

    client.post(
        reverse("admin:placements_placement_change", args=[placement.pk]),
        _placement_form(
            placement,
            **_inline_management("extensions", total=1),
            **{
                "extensions-0-new_end_on": (old_end + 30 * DAY).isoformat(),
                "extensions-0-reason": "Анасы ауруханада",
                "extensions-0-basis_number": "ҰЗ-1",
                "extensions-0-basis_date": today.isoformat(),
            },
        ),
    )

    placement.refresh_from_db()
    assert placement.planned_end_on == old_end + 30 * DAY
    assert TermExtension.objects.get().granted_by == administrator


def test_a_visit_logged_inline_is_stamped_with_who_recorded_it(
    client, administrator, make_placement, today
):
    placement = make_placement(days_ago=20)
    client.force_login(administrator)

    client.post(
        reverse("admin:placements_placement_change", args=[placement.pk]),
        _placement_form(
            placement,
            **_inline_management("visits", total=1),
            **{
                "visits-0-parent": placement.child.parents.first().pk,
                "visits-0-visited_at_0": (today - DAY).isoformat(),
                "visits-0-visited_at_1": "11:00",
                "visits-0-duration_minutes": 45,
                "visits-0-notes": "",
            },
        ),
    )

    assert Visit.objects.get().recorded_by == administrator


def test_the_visit_inline_offers_only_the_childs_parents(
    client, administrator, make_placement, make_parent
):
    placement = make_placement()
    stranger = make_parent(surname="Бөтенова")
    client.force_login(administrator)

    page = client.get(reverse("admin:placements_placement_change", args=[placement.pk]))

    assert str(placement.child.parents.first()) in page.content.decode()
    assert str(stranger) not in page.content.decode()


# Add and change pages, by role


ADD_PAGES = {
    # model: roles that may add it
    # Social workers register intakes (in the workspace, and so also here).
    ("families", "parent"): {"administrator", "social_worker"},
    ("families", "child"): {"administrator", "social_worker"},
    ("placements", "placement"): {"administrator", "social_worker"},
    # What the workspace logs is logged there; here only administrators add it.
    ("placements", "visit"): {"administrator"},
    ("placements", "consultation"): {"administrator"},
    ("placements", "returnapplication"): {"administrator"},
}


@pytest.mark.parametrize(("app", "model"), ADD_PAGES)
def test_add_pages_need_a_login(client, app, model):
    response = client.get(reverse(f"admin:{app}_{model}_add"))

    assert response.status_code == 302


@pytest.mark.parametrize("role", ["administrator", "social_worker", "medical_staff", "outsider"])
@pytest.mark.parametrize(("app", "model"), ADD_PAGES)
def test_add_pages_open_only_for_the_roles_that_may_add(client, request, role, app, model):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse(f"admin:{app}_{model}_add"))

    assert response.status_code == (200 if role in ADD_PAGES[(app, model)] else 403)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("outsider", 403), ("medical_staff", 200), ("administrator", 200)],
)
def test_a_placement_page_by_role(client, request, make_placement, role, expected):
    placement = make_placement()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("admin:placements_placement_change", args=[placement.pk]))

    assert response.status_code == expected


def test_a_viewer_cannot_change_a_placement(client, social_worker, make_placement):
    placement = make_placement()
    client.force_login(social_worker)
    url = reverse("admin:placements_placement_change", args=[placement.pk])

    response = client.post(url, _placement_form(placement, crisis_notes="өзгертілді"))

    assert response.status_code == 403
    placement.refresh_from_db()
    assert placement.crisis_notes == ""


def test_only_active_social_workers_can_be_assigned(
    client, administrator, medical_staff, social_worker, make_placement, django_user_model
):
    former = django_user_model.objects.create_user("former_worker")
    former.groups.add(*social_worker.groups.all())
    placement = make_placement(social_worker=former)
    former.is_active = False  # left after the placement was assigned to them
    former.save()
    client.force_login(administrator)

    new_form = client.get(reverse("admin:placements_placement_add")).context["adminform"].form
    existing = client.get(reverse("admin:placements_placement_change", args=[placement.pk]))
    choices = existing.context["adminform"].form.fields["social_worker"].queryset

    assert list(new_form.fields["social_worker"].queryset) == [social_worker]
    assert set(choices) == {social_worker, former}


def _new_placement(child, social_worker, admitted_on):
    return {
        "child": child.pk,
        "social_worker": social_worker.pk,
        "admitted_on": admitted_on.isoformat(),
        "planned_end_on": "",
        "referral_source": Placement.ReferralSource.GUARDIANSHIP,
        "referral_number": "Ж-12",
        "referral_date": admitted_on.isoformat(),
        "crisis_reason": Placement.CrisisReason.MEDICAL,
        "crisis_notes": "",
    }


def test_an_administrator_admits_a_child_with_the_standard_term(
    client, administrator, social_worker, make_child, make_parent, today
):
    child = make_child()
    make_parent(child=child)
    client.force_login(administrator)

    client.post(
        reverse("admin:placements_placement_add"),
        _new_placement(child, social_worker, today - 3 * DAY),
    )

    placement = Placement.objects.get(child=child)
    assert placement.status == Placement.Status.ACTIVE
    assert placement.planned_end_on > today + 150 * DAY


def test_a_second_active_placement_gets_a_message_and_keeps_the_form(
    client, administrator, social_worker, make_placement, today
):
    existing = make_placement(days_ago=30)
    client.force_login(administrator)

    response = client.post(
        reverse("admin:placements_placement_add"),
        _new_placement(existing.child, social_worker, today - DAY),
    )

    assert response.status_code == 200
    assert "another placement" in response.content.decode()
    assert response.context["adminform"].form["referral_number"].value() == "Ж-12"
    assert Placement.objects.count() == 1


def test_a_second_open_application_added_inline_is_a_form_error(
    client, administrator, make_placement, make_application, today
):
    placement = make_placement(days_ago=20)
    make_application(placement)
    client.force_login(administrator)

    response = client.post(
        reverse("admin:placements_placement_change", args=[placement.pk]),
        _placement_form(
            placement,
            **_inline_management("return_applications", total=2, initial=1),
            **{
                "return_applications-0-id": placement.return_applications.get().pk,
                "return_applications-0-placement": placement.pk,
                "return_applications-1-placement": placement.pk,
                "return_applications-1-applicant": placement.child.parents.first().pk,
                "return_applications-1-filed_on": today.isoformat(),
                "return_applications-1-comment": "",
            },
        ),
    )

    assert response.status_code == 200
    assert "already has an open return application" in response.content.decode()
    assert placement.return_applications.count() == 1


def test_a_refused_extension_on_the_placement_page_saves_nothing_and_says_why(
    client, administrator, make_placement, today
):
    placement = make_placement(days_ago=20)
    old_end = placement.planned_end_on
    client.force_login(administrator)

    response = client.post(
        reverse("admin:placements_placement_change", args=[placement.pk]),
        _placement_form(
            placement,
            crisis_notes="changed with the extension",
            **_inline_management("extensions", total=1),
            **{
                "extensions-0-new_end_on": (old_end - 30 * DAY).isoformat(),
                "extensions-0-reason": "Анасы ауруханада",
                "extensions-0-basis_number": "ҰЗ-1",
                "extensions-0-basis_date": today.isoformat(),
            },
        ),
        follow=True,
    )

    assert "must be after the current one" in response.content.decode()
    placement.refresh_from_db()
    assert (placement.planned_end_on, placement.crisis_notes) == (old_end, "")
    assert not TermExtension.objects.exists()


def test_a_refused_approval_says_so_above_the_form_and_beside_the_field(
    client, administrator, application
):
    """Accessibility review #7: the approve step showed no summary of its errors; the
    admin's script (static/js/admin-labels.js) announces it and focuses it."""
    client.force_login(administrator)

    response = _act(client, "approve_applications", [application], decision_number="")

    page = response.content.decode()
    assert '<p class="errornote">' in page
    assert page.index('<p class="errornote">') < page.index('name="decision_number"')
    assert "admin-labels.js" in page
    application.refresh_from_db()
    assert application.status == ReturnApplication.Status.SUBMITTED


def test_the_history_scrolls_in_its_own_region_and_says_the_reason_in_words(client, administrator):
    """Accessibility review #9 (507 px wide at 320 px) and translations #14 ("first
    content", a code, on every history page of the public site)."""
    from content.models import Section

    administrator.language = "ru"
    administrator.save()
    client.force_login(administrator)
    section = Section.objects.first()

    page = client.get(reverse("admin:content_section_history", args=[section.pk]))

    html = page.content.decode()
    region = 'class="history-wrap" role="region" tabindex="0" aria-label="История изменений"'
    assert f"<div {region}>" in html
    assert "first content" not in html and "первые тексты сайта" in html
