"""Every URL of the project, found in the URLconf, opened as anonymous, social worker,
medical staff, administrator and content editor, against a table of what each may get.

A URL that is not in the table fails the test, so no new page escapes it. Every staff
and admin response, whatever its status, must be `no-store`."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver, reverse

from placements.models import Placement

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "social_worker", "medical_staff", "administrator", "content_editor")
SW, MS, AD, ED = "social_worker", "medical_staff", "administrator", "content_editor"
# The roles that work with cases; the content editor sees none of them.
ALL = frozenset({SW, MS, AD})
SIGNED_IN = frozenset(ROLES[1:])
NOBODY = frozenset()


def only(*roles, ok=200, other=403, anonymous=302):
    """Anonymous gets `anonymous`; `roles` get `ok`; other roles get `other`."""
    return (anonymous, *(ok if role in roles else other for role in ROLES[1:]))


def same(status):
    return (status,) * len(ROLES)


# Admin pages of each model: (who may open the list and a record, who may add, who may
# delete). Django's rules: 403 without the permission; the change page opens read-only
# with the view permission.
ADMIN_MODELS = {
    "families_parent": (ALL, {SW, AD}, NOBODY),
    "families_child": (ALL, {SW, AD}, NOBODY),
    "families_childparent": (ALL, {SW, AD}, NOBODY),
    "families_consent": (ALL, {SW, AD}, NOBODY),
    "placements_placement": (ALL, {SW, AD}, NOBODY),
    "placements_termextension": (ALL, NOBODY, NOBODY),  # added by placement_extend
    # Logged in the workspace; in the admin only administrators add or correct them.
    "placements_visit": (ALL, {AD}, NOBODY),
    "placements_consultation": (ALL, {AD}, NOBODY),
    "placements_returnapplication": (ALL, {AD}, NOBODY),
    "placements_followup": (ALL, NOBODY, NOBODY),  # scheduled by a return, never added
    "stats_yearlyfigure": ({AD}, {AD}, NOBODY),
    "crisisunit_readaccess": ({AD}, NOBODY, NOBODY),
    "crisisunit_user": (NOBODY, NOBODY, NOBODY),  # superusers only
    "auth_group": (NOBODY, NOBODY, NOBODY),  # superusers only
    "axes_accessattempt": ({AD}, NOBODY, {AD}),  # deleting one unlocks a sign-in
    "axes_accesslog": ({AD}, NOBODY, NOBODY),
    "axes_accessfailurelog": ({AD}, NOBODY, NOBODY),
    # The public site: edited, never deleted; the home's one row is never added.
    "content_home": ({AD, ED}, NOBODY, NOBODY),
    "content_office": ({AD, ED}, {AD, ED}, NOBODY),
    "content_section": ({AD, ED}, {AD, ED}, NOBODY),
    "content_documentitem": ({AD, ED}, {AD, ED}, NOBODY),
    "content_question": ({AD, ED}, {AD, ED}, NOBODY),
    "content_announcement": ({AD, ED}, {AD, ED}, NOBODY),
}
# Models whose admin keeps a change history (django-simple-history).
WITH_HISTORY_VERSIONS = {
    m for m in ADMIN_MODELS if m.split("_")[0] in {"families", "placements", "content"}
}
# Each admin app's index page: 404 for a user who may see none of its models.
ADMIN_APPS = {
    "families": ALL,
    "placements": ALL,
    "stats": {AD},
    "crisisunit": {AD},
    "axes": {AD},
    "auth": NOBODY,
    "content": {AD, ED},
}
STAFF = ("social_worker", "administrator")
EXPECTED = {
    # Public pages: the same for everyone.
    "home": same(200),
    "stats:returns": same(200),
    "downloads:returns_csv": same(200),
    "downloads:returns_json": same(200),
    "robots_txt": same(200),
    "favicon": same(302),
    "django.contrib.sitemaps.views.sitemap": same(200),
    "content:contacts": same(200),
    "content:documents": same(200),
    "content:questions": same(200),
    "low_vision": same(302),
    "set_language": same(302),  # a GET changes nothing and goes back
    # Sign-in and out.
    "login": (200, 302, 302, 302, 302),  # a signed-in user goes on (dashboard or admin)
    "logout": same(405),  # POST only
    "choose_language": same(405),  # POST only: the header's language switch
    # The second factor: a signed-in test user has given a code, so goes on.
    "verify_second_factor": same(302),
    "setup_second_factor": same(302),
    # The team: administrators only; a new member's link answers anyone (400 for a
    # link that is not valid, as here).
    "team:team": only(AD),
    "team:member_new": only(AD),
    "team:member": only(AD),
    "team:member_link": only(AD, ok=405),  # POST only
    "team:member_deactivate": only(AD, ok=405),  # POST only
    "team:member_reactivate": only(AD, ok=405),  # POST only
    "team:caseload": only(AD),
    "team:second_factor_reset": only(AD),
    "team:welcome": same(400),
    # The staff workspace.
    "placements:dashboard": only(*ALL),
    "placements:list": only(*ALL),
    "placements:detail": only(*ALL),
    "placements:printout": only(*ALL),
    # Identity papers and decisions: social workers and administrators only.
    "placements:documents": only(*STAFF),
    "placements:document_download": only(*STAFF),
    "placements:document_remove": only(*STAFF, ok=405),  # POST only
    "placements:new": only(*STAFF),
    "placements:reassign": only(AD, ok=405),  # POST only
    "placements:task_done": only(*ALL, ok=405),  # POST only
    "placements:tasks": only(*ALL),
    "placements:task_new": only(*ALL),
    "placements:notices": only(*ALL),
    # The social worker logged both: their own, within OWN_EDIT_DAYS; administrators any.
    "placements:visit_edit": only(SW, AD),
    "placements:consultation_edit": only(SW, AD),
    "placements:contact_edit": only(SW, AD),
    "placements:notices_read": only(*ALL, ok=405),  # POST only
    "placements:visit_new": only(*STAFF),
    "placements:parent_contacts": only(*STAFF),
    "placements:contact_new": only(*STAFF),
    "placements:visitor_new": only(*STAFF),
    "placements:agreed_visits": only(*STAFF),
    "placements:week": only(*ALL),
    "placements:consultation_new": only(*ALL),
    "placements:application_new": only(*STAFF),
    "placements:application_progress": only(*STAFF, ok=405),  # POST only
    "placements:application_send": only(*STAFF),
    "placements:consent_new": only(*STAFF),
    "placements:consent_withdraw": only(*STAFF),
    "placements:extension_new": only(AD),
    "placements:export": only(*STAFF),
    "placements:followup_record": only(*STAFF),
    # The work with the family: medical staff read the plan, and no act's findings.
    "placements:family_work": only(*ALL),
    "placements:plan_start": only(*STAFF, ok=302),  # the stay has its plan: to its page
    "placements:goal_new": only(*STAFF),
    "placements:action_new": only(*STAFF),
    "placements:review_new": only(*STAFF),
    "placements:action_edit": only(*STAFF),
    "placements:inspection_new": only(*STAFF),
    "placements:inspection_detail": only(*STAFF),
    "placements:inspection_pdf": only(*STAFF),
    "placements:referral_new": only(*STAFF),
    "placements:referral_answer": only(*STAFF),
    "placements:import": only(AD),
    "placements:import_template": only(AD),
    "placements:import_detail": only(AD),
    "placements:import_progress": only(AD),
    "placements:import_confirm": only(AD, ok=405),  # POST only
    "placements:import_discard": only(AD, ok=405),  # POST only
    "indicators": only(*STAFF),
    "period_report": only(AD),
    # Admin pages not tied to a model.
    "admin:index": only(*SIGNED_IN),
    "admin:login": (200, 302, 302, 302, 302),
    "admin:logout": only(*SIGNED_IN, ok=405),  # POST only
    "admin:password_change": only(*SIGNED_IN),
    "admin:password_change_done": only(*SIGNED_IN),
    "admin:autocomplete": only(*ALL),  # the child field of a placement: needs view_child
    "admin:jsi18n": only(*SIGNED_IN),
    "admin:view_on_site": only(*SIGNED_IN, ok=302),  # only says where the public page is
    "admin:auth_user_password_change": only(),  # superusers only
    "admin/(?P<url>.*)$": (302, 404, 404, 404, 404),
}
for model, (viewers, adders, deleters) in ADMIN_MODELS.items():
    EXPECTED[f"admin:{model}_changelist"] = only(*viewers)
    EXPECTED[f"admin:{model}_change"] = only(*viewers)
    EXPECTED[f"admin:{model}_history"] = only(*viewers)
    EXPECTED[f"admin:{model}_add"] = only(*adders)
    EXPECTED[f"admin:{model}_delete"] = only(*deleters)
    # admin/<model>/<id>/ redirects to the change page, for anyone signed in.
    app, name = model.split("_", 1)
    EXPECTED[f"admin/{app}/{name}/<path:object_id>/"] = only(*SIGNED_IN, ok=302, other=302)
for model in WITH_HISTORY_VERSIONS:
    EXPECTED[f"admin:{model}_simple_history"] = only(*ADMIN_MODELS[model][0])
# The home's one row: its list goes straight to it.
EXPECTED["admin:content_home_changelist"] = only(AD, ED, ok=302)
for app, viewers in ADMIN_APPS.items():
    EXPECTED[f"admin:app_list[{app}]"] = only(*viewers, other=404)


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            route = prefix + str(pattern.pattern)
            yield (namespace + pattern.name) if pattern.name else route, route


def project_urls():
    """Every URL pattern of the project: (its key in EXPECTED, its route)."""
    found = []
    for key, route in _walk(get_resolver().url_patterns):
        if key == "admin:app_list":
            found += [(f"admin:app_list[{app}]", route) for app in ADMIN_APPS]
        else:
            found.append((key, route))
    return found


def test_every_url_of_the_project_is_in_the_table():
    keys = [key for key, _route in project_urls()]

    assert sorted(set(keys) - set(EXPECTED)) == []
    assert sorted(set(EXPECTED) - set(keys)) == []  # nothing stale in the table either
    assert len(keys) > 130


def url_of(key, route, records):
    """A concrete URL for a pattern, pointing at one of `records`."""
    placement = records["placements_placement"]
    if key.startswith("admin:app_list["):
        return reverse("admin:app_list", kwargs={"app_label": key[len("admin:app_list[") : -1]})
    if key == "admin/(?P<url>.*)$":
        return "/admin/no-such-page/"
    if key == "admin:view_on_site":
        return reverse(key, args=[ContentType.objects.get_for_model(Placement).pk, placement.pk])
    if key == "admin:auth_user_password_change":
        return reverse(key, args=[records["crisisunit_user"].pk])
    if key == "admin:autocomplete":
        query = "app_label=placements&model_name=placement&field_name=child"
        return f"{reverse(key)}?{query}"
    if key.startswith("admin/"):  # admin/<app>/<model>/<id>/
        app, name = key.split("/")[1:3]
        return f"/admin/{app}/{name}/{records[f'{app}_{name}'].pk}/"
    if key.startswith("admin:") and key.endswith("_simple_history"):
        obj = records[key[len("admin:") : -len("_simple_history")]]
        return reverse(key, args=[obj.pk, obj.history.latest().history_id])
    if key.startswith("admin:"):
        model = key[len("admin:") :].rsplit("_", 1)[0]
        if model in records and key.endswith(("_change", "_history", "_delete")):
            return reverse(key, args=[records[model].pk])
        return reverse(key)
    if key == "placements:consent_new":
        parent = records["families_parent"]
        return reverse(key, kwargs={"pk": placement.pk, "parent_pk": parent.pk})
    if key == "placements:consent_withdraw":
        consent = records["families_consent"]
        return reverse(key, kwargs={"pk": consent.pk}) + f"?placement={placement.pk}"
    if key == "placements:application_send":
        return reverse(key, kwargs={"pk": records["placements_returnapplication"].pk})
    if key == "placements:application_progress":
        application = records["placements_returnapplication"]
        return reverse(key, kwargs={"pk": application.pk, "step": "review"})
    if key == "placements:contact_edit":
        return reverse(key, kwargs={"pk": records["placements_contact"].pk})
    if key in ("placements:visit_edit", "placements:consultation_edit"):
        record = records[f"placements_{key.split(':')[1].removesuffix('_edit')}"]
        return reverse(key, kwargs={"pk": record.pk})
    if key == "placements:parent_contacts":
        parent = records["families_parent"]
        return reverse(key, kwargs={"pk": placement.pk, "parent_pk": parent.pk})
    family_work = {
        "placements:action_edit": "placements_planaction",
        "placements:inspection_detail": "placements_inspectionact",
        "placements:inspection_pdf": "placements_inspectionact",
        "placements:referral_answer": "placements_referral",
    }
    if key in family_work:
        return reverse(key, kwargs={"pk": records[family_work[key]].pk})
    if key == "placements:followup_record":
        return reverse(key, kwargs={"pk": records["placements_followup"].pk})
    if key in ("placements:document_download", "placements:document_remove"):
        return reverse(key, kwargs={"pk": records["placements_document"].pk})
    if key == "placements:printout":
        return reverse(key, kwargs={"pk": placement.pk, "document": "summary"})
    if key.startswith("placements:import_") and "<int:pk>" in route:
        return reverse(key, kwargs={"pk": records["placements_caseloadimport"].pk})
    if key == "team:welcome":
        return reverse(key, kwargs={"uidb64": "MQ", "token": "not-a-token"})
    if key.startswith("team:") and "<int:pk>" in route:
        return reverse(key, kwargs={"pk": records["crisisunit_user"].pk})
    if "<int:pk>" in route:
        return reverse(key, kwargs={"pk": placement.pk})
    return reverse(key)


@pytest.mark.parametrize(("key", "route"), project_urls(), ids=lambda value: str(value))
def test_each_url_answers_each_role_as_the_table_says(client, request, records, key, route):
    url = url_of(key, route, records)
    got = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        response = client.get(url)
        got.append(response.status_code)
        if url.startswith(("/staff/", "/admin/")):
            assert "no-store" in response.get("Cache-Control", ""), (role, response)

    assert tuple(got) == EXPECTED[key], url
