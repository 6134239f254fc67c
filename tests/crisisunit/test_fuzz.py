"""Reliability #4 and #9: thousands of form submissions, workspace and admin alike,
built from each page's own form and bent out of shape (dates far in the past and the
future, impossible dates, non-integer and unknown ids, control and invisible
characters, huge texts, tampered formset counts), end with no server error, and every
record saved passes its own validation.

FUZZ_SUBMISSIONS sets how many (CI runs 10,000 once; the suite's default is smaller),
FUZZ_SEED the seed, fixed so that a failure can be replayed."""

import os
import random
import uuid
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from placements import services
from placements.models import CaseloadImport, FollowUp, Placement
from placements.services import documents as document_services
from placements.services import imports as import_services

SUBMISSIONS = int(os.environ.get("FUZZ_SUBMISSIONS", "400"))
SEED = int(os.environ.get("FUZZ_SEED", "20261125"))

pytestmark = pytest.mark.django_db

CASE_APPS = ("families", "placements", "stats", "crisisunit")
BAD_DATES = [
    "0001-01-01", "1000-01-01", "1900-01-01", "9999-12-31", "9999-07-01", "10000-01-01",
    "2024-02-30", "2023-13-01", "31.12.9999", "0000-00-00", "-1", "", "today",
]  # fmt: skip
BAD_IDS = ["abc", "1.5", "-1", "0", "99999999999999999999", "1e3", "\x00", "1\x00", "[]", ""]
BAD_TEXT = [
    "\x1b[31mred\x1b[0m", "Ай\u200dгерім", "\u202eовакаС", "a\x00b", "x" * 20_000, " ",
    "<script>alert(1)</script>", "Әлия-Қасымқызы", "O'Neil", "😀", "1 OR 1=1", "\ud7ff",
]  # fmt: skip


class FormReader(HTMLParser):
    """The POST forms of a page: their action, and each field with its candidate values."""

    def __init__(self):
        super().__init__()
        self.forms, self._select = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append({"action": attrs.get("action"), "fields": {}})
        if not self.forms or not attrs.get("name") and tag != "option":
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                fields.setdefault(attrs["name"], []).append(attrs.get("value", "on"))
            else:
                fields.setdefault(attrs["name"], []).append(attrs.get("value") or "")
        elif tag == "textarea":
            fields.setdefault(attrs["name"], []).append("")
        elif tag == "select":
            self._select = attrs["name"]
            fields.setdefault(self._select, [])
        elif tag == "option" and self._select:
            fields[self._select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


# Forms on every page that write nothing: signing out would end the run.
NOT_WRITES = ("logout", "/i18n/", "/language/", "low-vision")


def post_forms(html):
    reader = FormReader()
    reader.feed(html)
    return [f for f in reader.forms if not any(s in (f["action"] or "") for s in NOT_WRITES)]


def bent(rng, name, choices):
    """A value for a field: usually a plausible one from the page, often a hostile one."""
    roll = rng.random()
    if name == "submission" and roll < 0.9:  # a new form each time, mostly
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    if roll < 0.45:
        return rng.choice(choices) if choices else ""
    lowered = name.lower()
    if "date" in lowered or lowered.endswith(("_on", "_at", "_0", "_1")):
        return rng.choice(BAD_DATES)
    if lowered.endswith(("id", "parent", "child", "placement", "applicant", "worker", "_by")):
        return rng.choice(BAD_IDS)
    if "TOTAL_FORMS" in name or "INITIAL_FORMS" in name:
        return rng.choice(["40", "-1", "x", "3", ""])
    return rng.choice(BAD_TEXT + BAD_IDS + BAD_DATES)


def targets(placement, followup):
    """Every page with a form that writes, and where its POST goes."""
    pk = placement.pk
    workspace = [
        reverse("placements:new"),
        reverse("placements:visit_new", args=[pk]),
        reverse("placements:consultation_new", args=[pk]),
        reverse("placements:application_new", args=[pk]),
        reverse("placements:extension_new", args=[pk]),
        reverse("placements:followup_record", args=[followup.pk]),
        reverse("placements:export"),
        reverse("placements:detail", args=[pk]),
        reverse("placements:documents", args=[pk]),
        reverse("placements:import"),
        reverse("placements:import_detail", args=[CaseloadImport.objects.get().pk]),
        *family_work_pages(placement),
    ]
    admin = []
    for model in apps.get_models():
        if model._meta.app_label not in CASE_APPS or model.__name__.startswith("Historical"):
            continue
        info = model._meta.app_label, model._meta.model_name
        try:
            admin.append(reverse("admin:{}_{}_add".format(*info)))
            admin.append(reverse("admin:{}_{}_changelist".format(*info)))
            if (record := model.objects.order_by("pk").first()) is not None:
                admin.append(reverse("admin:{}_{}_change".format(*info), args=[record.pk]))
        except Exception:  # noqa: S112 (a model the admin does not show)
            continue
    return workspace + admin


def family_work_pages(placement):
    """The forms of the work with the family (the casework fixture made one of each)."""
    from families.models import Consent
    from placements.models import PlanAction, Referral, ReturnApplication

    pk, parent = placement.pk, placement.child.parents.first()
    application = ReturnApplication.objects.filter(placement=placement).get()
    return [
        reverse("placements:family_work", args=[pk]),
        reverse("placements:goal_new", args=[pk]),
        reverse("placements:action_new", args=[pk]),
        reverse("placements:review_new", args=[pk]),
        reverse("placements:inspection_new", args=[pk]),
        reverse("placements:referral_new", args=[pk]),
        reverse("placements:action_edit", args=[PlanAction.objects.get().pk]),
        reverse("placements:referral_answer", args=[Referral.objects.get().pk]),
        reverse("placements:application_send", args=[application.pk]),
        reverse("placements:consent_new", args=[pk, parent.pk]),
        reverse("placements:consent_withdraw", args=[Consent.objects.get(parent=parent).pk])
        + f"?placement={pk}",
    ]


@pytest.fixture
def casework(make_placement, make_application, make_visit, administrator, today):
    placement = make_placement(days_ago=60)
    make_visit(placement, days_ago=3)
    returned = make_placement(days_ago=90)
    services.placement_close(
        placement=returned, outcome=Placement.Outcome.RETURNED, on=today, by=administrator
    )
    make_application(placement)
    _family_work(placement, administrator, today)
    document_services.document_add(
        placement=placement, kind="referral", dated_on=today, by=administrator,
        upload=SimpleUploadedFile("referral.pdf", b"%PDF-1.4 a scan"),
    )  # fmt: skip
    import_services.caseload_stage(
        file_name="journal.csv", content=b"child_surname;admitted_on\nA;01.01.2025\n",
        by=administrator,
    )  # fmt: skip
    return placement, FollowUp.objects.filter(placement=returned).first()


def _family_work(placement, by, today):
    from families.models import Consent

    services.plan_start(placement=placement, started_on=placement.admitted_on, by=by)
    goal = services.goal_add(placement=placement, area="housing", description="Жильё", by=by)
    services.goal_add(placement=placement, area="income", description="Работа", by=by)
    action = services.action_add(
        placement=placement, goal=goal, what="Очередь", by_whom="parent", due_on=today, by=by
    )
    services.inspection_record(
        placement=placement, inspected_on=today, inspectors="x", address="y", conclusion="z",
        risk_level="low", risk_reason="r", by=by,
    )  # fmt: skip
    services.referral_send(
        placement=placement, parent=placement.child.parents.first(), service="legal",
        organisation="Юрцентр", sent_on=today, request="Совет", action=action, by=by,
    )  # fmt: skip
    Consent.objects.create(
        parent=placement.child.parents.first(), given_on=placement.admitted_on, covers="Данные",
        recorded_by=by,
    )  # fmt: skip


def test_thousands_of_bent_submissions_give_no_server_error(casework, administrator):
    placement, followup = casework
    client = Client(headers={"accept-language": "ru"}, raise_request_exception=False)
    client.force_login(administrator)
    rng = random.Random(SEED)
    forms = {}
    for url in targets(placement, followup):
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            found = post_forms(response.content.decode())
            if found:
                forms[url] = found
    assert len(forms) >= 15, sorted(forms)

    failures, statuses = [], {}
    urls = sorted(forms)
    for n in range(SUBMISSIONS):
        url = rng.choice(urls)
        form = rng.choice(forms[url])
        data = {name: bent(rng, name, choices) for name, choices in form["fields"].items()}
        if "action" in data or url.endswith("/changelist/") or rng.random() < 0.05:
            data["_selected_action"] = [rng.choice(BAD_IDS + ["1", "2"])]
        response = client.post(form["action"] or url, data)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code >= 500:
            failures.append((n, url, {k: v[:40] for k, v in data.items() if isinstance(v, str)}))
    for url in ("/admin/families/parent/autocomplete/", "/admin/autocomplete/"):
        for term in BAD_IDS + BAD_TEXT:
            response = client.get(
                url,
                {
                    "term": term,
                    "app_label": rng.choice(["families", "placements", "x"]),
                    "model_name": rng.choice(["visit", "childparent", "x"]),
                    "field_name": rng.choice(["parent", "child", "x"]),
                },
            )
            if response.status_code >= 500:
                failures.append(("autocomplete", url, term))

    assert failures == [], f"{len(failures)} server errors, first: {failures[:3]}"
    # The run reached past the forms' first checks: records were saved, and refused.
    assert statuses.get(200, 0) > SUBMISSIONS / 4, statuses
    assert statuses.get(302, 0) > 0, statuses
    assert_every_record_valid()


def assert_every_record_valid():
    invalid = []
    for model in apps.get_models():
        if model._meta.app_label not in ("families", "placements"):
            continue
        if model.__name__.startswith("Historical"):
            continue
        for record in model.objects.all():
            try:
                record.full_clean()
            except Exception as error:
                invalid.append((model.__name__, record.pk, str(error)[:200]))
    assert invalid == []
