"""The team's pages, for administrators: the staff list, adding a member, one
member's page (a new link, deactivate, re-activate, reset the second factor), the
caseload each social worker carries; and the page a new member's link opens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from crisisunit import roles
from crisisunit.audit import record_list
from crisisunit.auth import staff_view
from crisisunit.forms import ResetSecondFactorForm
from crisisunit.lib.forms import add_refusal
from crisisunit.models import SecondFactorReset, User
from placements.models import FollowUp, Placement, Task
from team import services
from team.forms import DeactivateForm, MemberForm
from team.models import StaffChange

MANAGE = services.MANAGE
LINK_SHOWN = "team_new_link"
CASES_SHOWN = 200  # a worker's cases listed on the caseload page; more via the list


def _count(queryset, field):
    """A correlated count of `queryset`'s rows whose `field` is the outer user."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field)
    counted = counted.annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _staff():
    """Every account but superusers without a role, with what the list shows."""
    return (
        User.objects.filter(Q(groups__isnull=False) | Q(is_superuser=False))
        .distinct()
        .annotate(
            enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            open_cases=_count(Placement.objects.in_hand(), "social_worker"),
            open_tasks=_count(Task.objects.open(), "assigned_to"),
        )
        .prefetch_related("groups")
        .order_by("-is_active", "last_name", "first_name", "username")
    )


@staff_view(MANAGE)
def team(request):
    return render(
        request,
        "team/team.html",
        {
            "staff": list(_staff()),
            "changes": StaffChange.objects.select_related("member", "by", "successor")[:30],
        },
    )


@staff_view(MANAGE)
def member_new(request):
    form = MemberForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            member = services.staff_add(**form.cleaned_data, by=request.user)
            link = services.link_send(member=member, by=request.user)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            request.session[LINK_SHOWN] = [member.pk, link]
            messages.success(request, _("%(name)s is added.") % {"name": member})
            return redirect("team:member", pk=member.pk)
    return render(request, "team/member_new.html", {"form": form})


@staff_view(MANAGE)
def member(request, pk):
    member = get_object_or_404(_staff(), pk=pk)
    shown = request.session.pop(LINK_SHOWN, None)
    link = shown[1] if shown and shown[0] == member.pk else None
    return render(
        request,
        "team/member.html",
        {
            "member": member,
            "link": link,
            "link_hours": settings.STAFF_LINK_HOURS,
            "deactivate_form": DeactivateForm(member=member, auto_id="deactivate_%s"),
            "reset_form": ResetSecondFactorForm(initial={"user": member.pk}, auto_id="reset_%s"),
            "changes": StaffChange.objects.filter(member=member).select_related("by", "successor"),
        },
    )


def _refused(request, error):
    messages.error(request, " ".join(error.messages))


@staff_view(MANAGE)
@require_POST
def member_link(request, pk):
    member = get_object_or_404(User, pk=pk)
    try:
        link = services.link_send(member=member, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        request.session[LINK_SHOWN] = [member.pk, link]
        messages.success(request, _("A new link is made."))
    return redirect("team:member", pk=pk)


@staff_view(MANAGE)
@require_POST
def member_deactivate(request, pk):
    member = get_object_or_404(User, pk=pk)
    form = DeactivateForm(request.POST, member=member)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(map(str, errors)))
        return redirect("team:member", pk=pk)
    successor = form.cleaned_data["successor"]
    try:
        work = services.staff_deactivate(member=member, successor=successor, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        text = _("%(name)s is deactivated.") % {"name": member}
        if successor is not None and (work["cases"] or work["tasks"]):
            text += " " + _(
                "Now with %(successor)s: open cases %(cases)s, open tasks %(tasks)s."
            ) % {**work, "successor": successor}
        messages.success(request, text)
    return redirect("team:member", pk=pk)


@staff_view(MANAGE)
@require_POST
def member_reactivate(request, pk):
    member = get_object_or_404(User, pk=pk)
    try:
        services.staff_reactivate(member=member, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("%(name)s is active again.") % {"name": member})
    return redirect("team:member", pk=pk)


@staff_view("crisisunit.reset_second_factor")
def second_factor_reset(request):
    """An administrator takes away a member of staff's authenticator and backup codes
    (a lost phone), with the reason; they enrol again at their next sign-in."""
    form = ResetSecondFactorForm(request.POST or None, initial={"user": request.GET.get("user")})
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["user"]
        services.second_factor_reset(
            member=member, reason=form.cleaned_data["reason"], by=request.user
        )
        messages.success(
            request,
            _("%(user)s enrols a new second factor at the next sign-in.") % {"user": member},
        )
        if request.user.has_perm(MANAGE):
            return redirect("team:member", pk=member.pk)
        return redirect("team:second_factor_reset")
    resets = SecondFactorReset.objects.select_related("user", "by")[:20]
    return render(request, "staff/second_factor_reset.html", {"form": form, "resets": resets})


@staff_view(MANAGE, "placements.change_placement")
def caseload(request):
    """Each social worker's cases, overdue visits, overdue tasks and follow-ups: the
    page a supervisor opens on Monday, reassigning several cases at once from it."""
    today = timezone.localdate()
    workers = list(
        roles.assignable().annotate(
            active=_count(Placement.objects.active(), "social_worker"),
            overdue_visits=_count(Placement.objects.overdue_for_visit(today), "social_worker"),
            overdue_tasks=_count(Task.objects.late(today), "assigned_to"),
            overdue_follow_ups=_count(FollowUp.objects.overdue(today), "placement__social_worker"),
        )
    )
    cases: dict[int, list] = {}
    # Each worker's first CASES_SHOWN, the longest without a visit first, in one query.
    shown = (
        Placement.objects.active()
        .filter(social_worker__in=workers)
        .with_visit_reference()
        .annotate(
            row=Window(
                RowNumber(),
                partition_by=F("social_worker"),
                order_by=[F("visit_reference").asc(), F("pk").asc()],
            )
        )
        .filter(row__lte=CASES_SHOWN)
        .select_related("child")
        .order_by("visit_reference", "pk")
    )
    for placement in shown:
        placement.days_since_visit = (today - placement.visit_reference).days
        cases.setdefault(placement.social_worker_id, []).append(placement)
    for worker in workers:
        worker.cases = cases.get(worker.pk, [])
    record_list(request, Placement, query="caseload", results=sum(len(w.cases) for w in workers))
    return render(
        request,
        "team/caseload.html",
        {
            "workers": workers,
            "today": today,
            "visit_days": settings.VISIT_DUTY_DAYS,
            "cases_shown": CASES_SHOWN,
            "next": request.get_full_path(),
        },
    )


@never_cache
def welcome(request, uidb64, token):
    """A new member's link: set a password (the link is then spent), then enrol the
    second factor. Refused, with what to do, when used, expired or deactivated."""
    member = _member_of(uidb64)
    problem = _link_problem(member, token)
    if problem:
        return render(request, "team/welcome.html", {"problem": problem}, status=400)
    form = SetPasswordForm(member, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_set(member=member, form=form)
        login(request, member, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(f"{reverse('setup_second_factor')}?next={reverse('placements:dashboard')}")
    return render(request, "team/welcome.html", {"form": form, "member": member})


def _member_of(uidb64):
    try:
        return User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None


def _link_problem(member, token) -> str:
    if member is None or not member.is_active:
        return _("This link is not valid. Ask an administrator of the unit for a new one.")
    if default_token_generator.check_token(member, token):
        return ""
    if member.has_usable_password():
        return _(
            "This link was already used to set a password. Sign in with it, or ask an "
            "administrator for a new link if you have forgotten it."
        )
    return _("This link has expired. Ask an administrator of the unit for a new one.")
