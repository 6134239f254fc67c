"""The work with the family, on its own page of the case: the plan (its goals,
actions and monthly reviews), the inspection acts of the family's living conditions
and the referrals to outside services. Each form calls a service
(placements/services/familywork.py). Medical staff read the plan and each act's date
and risk level (crisisunit.need_to_know); the act's findings and the referrals only
social workers and administrators."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crisisunit import need_to_know
from crisisunit.auth import staff_view
from crisisunit.lib.forms import add_refusal
from crisisunit.pdf import pdf_response, render_pdf
from families import services as family_services
from families.models import ChildParent, Consent, Parent
from placements import familywork_forms as forms
from placements import services
from placements.models import (
    FamilyPlan,
    GoalProgress,
    InspectionAct,
    Placement,
    PlanAction,
    PlanGoal,
    Referral,
    first_inspection_due,
    plan_due_on,
)
from placements.views import printouts
from placements.views.common import VIEW, add_record, placement_or_404, record_form

PLAN_VIEW = "placements.view_familyplan"
PLAN_WRITE = "placements.add_familyplan"
# The act is printed in Kazakh or Russian, each named in its own language.
PRINT_LANGUAGES = [("kk", "қаз", "Қазақша"), ("ru", "рус", "Русский")]


@staff_view(VIEW, PLAN_VIEW, reads=Placement)
def family_work(request, pk):
    """The stay's work with the family: the plan, the reviews, the acts and the
    referrals."""
    placement = placement_or_404(pk)
    plan = (
        FamilyPlan.objects.filter(placement=placement)
        .prefetch_related(
            Prefetch(
                "goals",
                PlanGoal.objects.prefetch_related(
                    Prefetch("actions", PlanAction.objects.order_by("due_on", "pk"))
                ),
            ),
            Prefetch("reviews__progress", GoalProgress.objects.select_related("goal")),
        )
        .select_related("recorded_by")
        .first()
    )
    shown = need_to_know.shown(request.user)
    today = timezone.localdate()
    reviews = list(plan.reviews.all()) if plan else []
    goals = list(plan.goals.all()) if plan else []
    latest = {p.goal_id: p for p in reviews[0].progress.all()} if reviews else {}
    for goal in goals:
        goal.latest = latest.get(goal.pk)  # type: ignore[attr-defined]
        for action in goal.actions.all():
            action.late = action.is_late(today)  # type: ignore[attr-defined]
    referrals = []
    if need_to_know.REFERRALS in shown:
        referrals = list(placement.referrals.select_related("parent", "action"))
    return render(
        request,
        "placements/family_work.html",
        {
            "placement": placement,
            "plan": plan,
            "goals": goals,
            "reviews": reviews,
            "review_due_on": plan.review_due_on(reviews[0].held_on if reviews else None)
            if plan
            else None,
            "plan_due_on": plan_due_on(placement.admitted_on),
            "act_due_on": first_inspection_due(placement.admitted_on),
            "acts": list(placement.inspections.all()),
            "referrals": referrals,
            "shown": shown,
            "today": today,
            "writes": request.user.has_perm(PLAN_WRITE),
            "active": placement.status == Placement.Status.ACTIVE,
        },
    )


def _add(request, pk, form_class, write, title, saved):
    """A record of the work with the family added; back to its page."""
    landing = reverse("placements:family_work", args=[pk])
    return add_record(request, pk, form_class, write, title, saved, landing=landing)


@staff_view(VIEW, PLAN_WRITE, reads=Placement)
def plan_start(request, pk):
    if FamilyPlan.objects.filter(placement=pk).exists():
        messages.info(request, _("This stay already has a plan."))
        return redirect("placements:family_work", pk)
    return _add(
        request, pk, forms.PlanStartForm, services.plan_start,
        _("Start the plan of work with the family"), _("The plan is started."),
    )  # fmt: skip


@staff_view(VIEW, PLAN_WRITE, reads=Placement)
def goal_new(request, pk):
    _plan_or_404(pk)
    return _add(
        request, pk, forms.GoalForm, services.goal_add, _("Add a goal"), _("The goal is added.")
    )


@staff_view(VIEW, PLAN_WRITE, reads=Placement)
def action_new(request, pk):
    _plan_or_404(pk)
    return _add(
        request, pk, forms.ActionForm, services.action_add, _("Add an action"),
        _("The action is added."),
    )  # fmt: skip


@staff_view(VIEW, PLAN_WRITE, reads=Placement)
def review_new(request, pk):
    plan = _plan_or_404(pk)
    if not plan.goals.exists():
        messages.error(request, _("Add the plan's goals before reviewing it."))
        return redirect("placements:family_work", pk)
    return _add(
        request, pk, forms.ReviewForm, services.review_hold, _("Review the plan"),
        _("The review is recorded."),
    )  # fmt: skip


@staff_view(VIEW, PLAN_WRITE, reads=PlanAction)
def action_edit(request, pk):
    action = get_object_or_404(PlanAction.objects.select_related("goal__plan"), pk=pk)
    return _change(
        request, action, action.goal.plan.placement_id, forms.ActionChangeForm,
        lambda **changes: services.action_update(action=action, **changes),
        _("Change an action"), _("The action is saved."),
    )  # fmt: skip


@staff_view(VIEW, "placements.add_inspectionact", reads=Placement)
def inspection_new(request, pk):
    return _add(
        request, pk, forms.InspectionForm, services.inspection_record,
        _("Record an inspection act"), _("The inspection act is recorded."),
    )  # fmt: skip


@staff_view(VIEW, "placements.view_inspectionact", reads=InspectionAct)
def inspection_detail(request, pk):
    act = get_object_or_404(InspectionAct.objects.select_related("recorded_by"), pk=pk)
    placement = placement_or_404(act.placement_id)
    return render(
        request,
        "placements/inspection_detail.html",
        {"placement": placement, "act": act, "print_languages": PRINT_LANGUAGES},
    )


@staff_view(VIEW, "placements.view_inspectionact", reads=InspectionAct)
def inspection_pdf(request, pk):
    """The act as a PDF for signature, in the user's language or ?language=kk|ru|en."""
    act = get_object_or_404(InspectionAct, pk=pk)
    placement = get_object_or_404(
        Placement.objects.select_related("child", "social_worker"), pk=act.placement_id
    )
    language = printouts.language_of(request)
    with translation.override(language):
        title = _("Act of inspection of the family's living conditions")
        context = printouts.common(request, placement, "inspection", language, title)
        context.update(
            act=act,
            links=list(
                ChildParent.objects.filter(child=placement.child_id).select_related("parent")
            ),
            signers=[_("Inspected by"), _("Parent (legal representative), acquainted")],
        )
        pdf = render_pdf("placements/print/inspection.html", context, request)
    return pdf_response(pdf, f"inspection-{act.pk}-{language}.pdf")


@staff_view(VIEW, "placements.add_referral", reads=Placement)
def referral_new(request, pk):
    return _add(
        request, pk, forms.ReferralForm, services.referral_send, _("Refer a parent to a service"),
        _("The referral is recorded."),
    )  # fmt: skip


@staff_view(VIEW, "placements.change_referral", reads=Referral)
def referral_answer(request, pk):
    referral = get_object_or_404(Referral, pk=pk)
    return _change(
        request, referral, referral.placement_id, forms.ReferralAnswerForm,
        lambda **answer: services.referral_answer(referral=referral, **answer),
        _("The service's answer"), _("The answer is recorded."),
    )  # fmt: skip


def _plan_or_404(pk):
    return get_object_or_404(FamilyPlan, placement=pk)


def _change(request, record, placement_pk, form_class, write, title, saved):
    placement = placement_or_404(placement_pk)
    form = form_class(request.POST or None, instance=record, placement=placement)
    if request.method == "POST" and form.is_valid():
        try:
            write(by=request.user, **{f: form.cleaned_data[f] for f in form.changed_data})
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, saved)
            return redirect("placements:family_work", placement.pk)
    return record_form(request, placement, form, title)


# Consent to the processing of personal data, from the case page.


@staff_view(VIEW, "families.add_consent", reads=Parent, key="parent_pk")
def consent_new(request, pk, parent_pk):
    """Record a parent's consent (the signed scan goes among the case's documents)."""
    placement = placement_or_404(pk)
    link = get_object_or_404(
        ChildParent.objects.select_related("parent"), child=placement.child_id, parent=parent_pk
    )
    form = forms.ConsentForm(request.POST or None, parent=link.parent)
    if request.method == "POST" and form.is_valid():
        try:
            family_services.consent_record(parent=link.parent, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect(placement.get_absolute_url())
    title = _("Consent to the processing of personal data: %(name)s") % {"name": link.parent}
    return record_form(request, placement, form, title)


@staff_view(VIEW, "families.add_consent", reads=Consent)
def consent_withdraw(request, pk):
    """Record that a parent withdrew a consent: when, and the reason they gave."""
    consent = get_object_or_404(Consent.objects.select_related("parent"), pk=pk)
    placement_pk = request.GET.get("placement", "")
    if not placement_pk.isdigit() or len(placement_pk) > 18:
        raise Http404
    link = ChildParent.objects.filter(parent=consent.parent_id, child__placements=placement_pk)
    if not link.exists():
        raise Http404
    placement = placement_or_404(int(placement_pk))
    form = forms.ConsentWithdrawalForm(request.POST or None, instance=consent)
    if consent.withdrawn_on is not None:
        messages.info(request, _("This consent was already withdrawn."))
        return redirect(placement.get_absolute_url())
    if request.method == "POST" and form.is_valid():
        try:
            family_services.consent_withdraw(
                consent=consent,
                on=form.cleaned_data["withdrawn_on"],
                reason=form.cleaned_data["withdrawal_reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The withdrawal of the consent is recorded."))
            return redirect(placement.get_absolute_url())
    return record_form(
        request, placement, form, _("Withdrawal of a consent: %(consent)s") % {"consent": consent}
    )
