"""Fixtures of the site-wide tests: one record of every kind a URL can point to."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from content.models import Announcement, DocumentItem, Home, Office, Question, Section
from crisisunit.models import ReadAccess
from families.models import ChildParent, Consent
from placements import services
from placements.models import CaseloadImport, Consultation, Placement, TermExtension
from placements.services import documents as document_services
from stats.models import YearlyFigure


@pytest.fixture
def records(
    make_placement, make_visit, make_application, make_return, administrator, social_worker
):
    """One record of every kind an admin URL can point to."""
    placement = make_placement(days_ago=200)
    child = placement.child
    parent = child.parents.first()
    services.placement_extend(
        placement=placement,
        new_end_on=placement.planned_end_on + datetime.timedelta(days=30),
        reason="Ана жұмысқа орналасып жатыр",
        basis_number="Б-1",
        basis_date=timezone.localdate(),
        by=administrator,
    )
    consent = Consent.objects.create(
        parent=parent,
        given_on=placement.admitted_on,
        covers="Бала туралы деректер",
        recorded_by=social_worker,
    )
    consultation = Consultation.objects.create(
        placement=placement,
        specialist=Consultation.Specialist.LAWYER,
        held_on=timezone.localdate(),
        summary="Құжаттар бойынша кеңес",
        parent=parent,
        recorded_by=social_worker,
    )
    attempt = AccessAttempt.objects.create(
        username="someone", ip_address="10.0.0.1", failures_since_start=1
    )
    returned = make_return(on=timezone.localdate() - datetime.timedelta(days=40))
    family_work = _family_work(placement, parent, social_worker)
    return {
        **family_work,
        "placements_followup": returned.follow_ups.first(),
        "families_parent": parent,
        "families_child": child,
        "families_childparent": ChildParent.objects.get(child=child, parent=parent),
        "families_consent": consent,
        "placements_placement": placement,
        "placements_termextension": TermExtension.objects.get(placement=placement),
        "placements_visit": make_visit(placement, days_ago=3),
        "placements_consultation": consultation,
        "placements_returnapplication": make_application(placement),
        "stats_yearlyfigure": YearlyFigure.objects.get(year=2016),
        "crisisunit_readaccess": ReadAccess.objects.create(
            user=administrator,
            content_type=ContentType.objects.get_for_model(Placement),
            object_id=str(placement.pk),
        ),
        "crisisunit_user": social_worker,
        "placements_contact": services.contact_record(
            placement=placement,
            kind="call",
            happened_on=timezone.localdate(),
            parent=parent,
            outcome="reached",
            by=social_worker,
        ),
        "auth_group": Group.objects.get(name="Social worker"),
        "axes_accessattempt": attempt,
        "axes_accesslog": AccessLog.objects.create(username="someone", ip_address="10.0.0.1"),
        "axes_accessfailurelog": AccessFailureLog.objects.create(
            username="someone", ip_address="10.0.0.1", locked_out=False
        ),
        "placements_document": document_services.document_add(
            placement=placement,
            kind="referral",
            dated_on=placement.admitted_on,
            upload=SimpleUploadedFile("referral.pdf", b"%PDF-1.4 a scan"),
            by=social_worker,
        ),
        "placements_caseloadimport": CaseloadImport.objects.create(
            file_name="caseload.csv",
            sha256="0" * 64,
            content="child_surname;admitted_on\nТестов;01.01.2025\n".encode(),
            uploaded_by=administrator,
        ),
        "content_home": Home.objects.get(),
        "content_office": Office.objects.first(),
        "content_section": Section.objects.first(),
        "content_documentitem": DocumentItem.objects.first(),
        "content_question": Question.objects.first(),
        "content_announcement": Announcement.objects.create(
            title_kk="Хабарландыру", body_kk="Мәтін", publish_on=timezone.localdate()
        ),
    }


def _family_work(placement, parent, social_worker):
    """A plan with a goal and an action, an inspection act and a referral."""
    today = timezone.localdate()
    services.plan_start(placement=placement, started_on=placement.admitted_on, by=social_worker)
    goal = services.goal_add(
        placement=placement, area="housing", description="Тұрғын үй табу", by=social_worker
    )
    action = services.action_add(
        placement=placement, goal=goal, what="Кезекке тұру", by_whom="parent", due_on=today,
        by=social_worker,
    )  # fmt: skip
    act = services.inspection_record(
        placement=placement, inspected_on=today, inspectors="Әлеуметтік қызметкер",
        address="Астана", conclusion="Жағдай қанағаттанарлық", risk_level="medium",
        risk_reason="Тұрақты табыс жоқ", by=social_worker,
    )  # fmt: skip
    referral = services.referral_send(
        placement=placement, parent=parent, service="employment", organisation="Еңбек орталығы",
        sent_on=today, request="Жұмысқа орналастыру", action=action, by=social_worker,
    )  # fmt: skip
    return {
        "placements_planaction": action,
        "placements_inspectionact": act,
        "placements_referral": referral,
    }
