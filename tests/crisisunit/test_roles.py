import pytest
from django.contrib.auth.models import Permission

pytestmark = pytest.mark.django_db


def test_a_social_worker_logs_visits_consultations_and_applications(social_worker):
    for perm in [
        "families.view_child",
        "families.view_parent",
        "placements.view_placement",
        "placements.add_visit",
        "placements.add_consultation",
        "placements.add_returnapplication",
        "placements.review_returnapplication",
        "placements.record_followup",
    ]:
        assert social_worker.has_perm(perm), perm


def test_workspace_records_are_not_changed_in_the_admin_but_by_an_administrator(
    social_worker, medical_staff, administrator
):
    records = ["visit", "consultation", "returnapplication", "followup"]
    for user in (social_worker, medical_staff):
        for record in records:
            assert not user.has_perm(f"placements.change_{record}"), (user, record)
    for record in records:
        assert administrator.has_perm(f"placements.change_{record}"), record


def test_a_social_worker_registers_an_intake_and_exports_without_names(social_worker):
    for perm in [
        "families.add_child",
        "families.add_parent",
        "families.add_childparent",
        "families.add_consent",
        "placements.add_placement",
        "placements.export_placements",
    ]:
        assert social_worker.has_perm(perm), perm
    assert not social_worker.has_perm("placements.export_personal_data")


def test_a_social_worker_cannot_approve_extend_or_change_families(social_worker):
    for perm in [
        "placements.approve_returnapplication",
        "placements.add_termextension",
        "placements.change_placement",
        "families.change_child",
    ]:
        assert not social_worker.has_perm(perm), perm


def test_medical_staff_log_consultations_only(medical_staff):
    assert medical_staff.has_perm("placements.add_consultation")
    assert medical_staff.has_perm("placements.view_visit")
    assert not medical_staff.has_perm("placements.add_visit")
    assert not medical_staff.has_perm("placements.add_returnapplication")
    assert not medical_staff.has_perm("placements.approve_returnapplication")
    assert not medical_staff.has_perm("placements.record_followup")


def test_an_administrator_can_change_everything_and_approve(administrator):
    assert administrator.has_perm("placements.approve_returnapplication")
    assert administrator.has_perm("placements.add_termextension")
    assert administrator.has_perm("families.change_parent")
    assert administrator.has_perm("placements.change_placement")


def test_a_content_editor_edits_the_public_site_and_sees_no_case_data(content_editor):
    for perm in ["content.change_home", "content.add_question", "content.change_section"]:
        assert content_editor.has_perm(perm), perm
    granted = Permission.objects.filter(group__user=content_editor)
    assert set(granted.values_list("content_type__app_label", flat=True)) == {"content"}
    assert not content_editor.has_perm("content.delete_section")


def test_an_administrator_runs_the_public_site_too(administrator):
    assert administrator.has_perm("content.change_home")
    assert administrator.has_perm("content.add_announcement")


def test_no_role_may_delete_case_records(
    administrator, social_worker, medical_staff, content_editor
):
    for user in (administrator, social_worker, medical_staff, content_editor):
        deletes = Permission.objects.filter(
            group__user=user, codename__startswith="delete_"
        ).exclude(codename="delete_accessattempt")  # unlocking a locked sign-in
        assert not deletes.exists(), user


def test_a_user_without_a_role_may_do_nothing(outsider):
    assert not outsider.has_perm("placements.view_placement")
    assert not outsider.has_perm("families.view_child")


def test_a_content_editor_at_the_workspace_is_sent_on_to_the_administration(client, content_editor):
    """Accessibility review #14: the editor's 403 page offered the workspace's lists,
    each one another 403."""
    client.force_login(content_editor)

    page = client.get("/staff/").content.decode()

    assert 'href="/staff/placements/"' not in page and 'href="/staff/week/"' not in page
    assert 'href="/staff/tasks/"' not in page
    assert 'href="/staff/"' not in page.split("<main")[1]
    assert 'href="/admin/"' in page.split("<main")[1]
