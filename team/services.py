"""What an administrator does to the team, each in one transaction and logged as a
StaffChange naming who did it: add a member of staff (who then sets a password and
enrols a second factor through a single-use link), deactivate one (never delete:
their name stays on what they recorded) with their cases and tasks passed to a
colleague, re-activate one, reset a lost second factor."""

import logging
import re

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from crisisunit import roles
from crisisunit.lib.writes import require
from crisisunit.models import SecondFactorReset, User
from crisisunit.sessions import end_sessions
from placements import services as case_services
from placements.models import Placement, Task
from team.models import StaffChange

logger = logging.getLogger(__name__)

MANAGE = "team.manage_staff"


def staff_add(
    *, first_name: str, last_name: str, email: str, role: str, language: str, by: User
) -> User:
    """A new member of staff with one of the roles and no password yet: the link
    (sign_in_link) lets them set one, then enrol their second factor."""
    require(by, MANAGE)
    if role not in roles.ROLES:
        raise ValidationError({"role": _("Choose one of the roles.")}, code="role")
    email = email.strip()
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                {"email": _("A member of staff already has this email.")}, code="email"
            )
        member = User(
            username=_free_username(email),
            first_name=first_name,
            last_name=last_name,
            email=email,
            language=language,
        )
        member.set_unusable_password()
        member.full_clean()
        member.save()
        member.groups.add(Group.objects.get(name=role))
        StaffChange.objects.create(member=member, by=by, kind=StaffChange.Kind.ADDED, note=role)
    return member


def _free_username(email: str) -> str:
    base = re.sub(r"[^\w.+-]", "", email.split("@")[0].lower())[:140] or "staff"
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


def sign_in_link(member: User) -> str:
    """The member's link to set a password: valid STAFF_LINK_HOURS, and only until a
    password is set with it (Django's password-reset token, which the new password
    spends)."""
    path = reverse(
        "team:welcome",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(member.pk)),
            "token": default_token_generator.make_token(member),
        },
    )
    return settings.SITE_URL + path


def link_send(*, member: User, by: User) -> str:
    """A new link for a member who has not set a password yet: logged, emailed to them
    (when they have an email) after commit, and returned for the administrator to
    pass on when email is not set up."""
    require(by, MANAGE)
    if member.has_usable_password() or not member.is_active:
        raise ValidationError(
            _("%(name)s has already set a password, or is deactivated.") % {"name": member},
            code="has_password",
        )
    link = sign_in_link(member)
    StaffChange.objects.create(member=member, by=by, kind=StaffChange.Kind.LINK)
    if member.email:
        transaction.on_commit(lambda: _email_link(member, link))
    return link


def _email_link(member: User, link: str) -> None:
    with translation.override(member.language or settings.LANGUAGE_CODE):
        subject = _("Your account in the crisis unit's workspace")
        body = render_to_string(
            "team/email/welcome.txt",
            {"member": member, "link": link, "hours": settings.STAFF_LINK_HOURS},
        )
    try:
        send_mail(subject, body, None, [member.email])
    except Exception:  # the administrator has the link on the page too
        logger.exception("Sign-in link to %s not sent.", member.email)


def password_set(*, member: User, form) -> None:
    """The member set a password through their link (the form, Django's SetPasswordForm,
    checked): the link is spent with it."""
    with transaction.atomic():
        form.save()
        StaffChange.objects.create(member=member, by=member, kind=StaffChange.Kind.PASSWORD_SET)


def open_work(member: User) -> dict:
    """What a member still has in hand: their cases (active, or with a follow-up
    pending) and open tasks."""
    return {
        "cases": Placement.objects.assigned_to(member).in_hand().count(),
        "tasks": Task.objects.open().assigned_to(member).count(),
    }


def staff_deactivate(*, member: User, successor: User | None, by: User) -> dict:
    """Deactivate `member`: their cases and open tasks go to `successor` (required when
    they have any), they are signed out everywhere, and they can no longer sign in.
    Refused for oneself and for the last active administrator."""
    require(by, MANAGE)
    if member == by:
        raise ValidationError(_("You cannot deactivate yourself."), code="self")
    with transaction.atomic():
        # Two administrators deactivating each other at once: one waits for the other.
        list(roles.members(roles.ADMINISTRATOR).select_for_update().values_list("pk"))
        work = open_work(member)
        _check_deactivation(member, successor, work)
        if work["cases"]:
            case_services.placement_reassign(
                placements=list(Placement.objects.assigned_to(member).in_hand()),
                social_worker=successor,
                by=by,
            )
        if successor is not None:
            case_services.tasks_hand_over(member=member, to=successor, by=by)
        User.objects.select_for_update().filter(pk=member.pk).update(is_active=False)
        member.is_active = False
        end_sessions(member)
        StaffChange.objects.create(
            member=member,
            by=by,
            kind=StaffChange.Kind.DEACTIVATED,
            successor=successor,
            note=_("Open cases passed on: %(cases)s; open tasks: %(tasks)s.") % work,
        )
    return work


def _check_deactivation(member: User, successor: User | None, work: dict) -> None:
    if not member.is_active:
        raise ValidationError(_("%(name)s is already deactivated.") % {"name": member})
    administrators = roles.members(roles.ADMINISTRATOR).filter(is_active=True)
    if (
        administrators.filter(pk=member.pk).exists()
        and not administrators.exclude(pk=member.pk).exists()
    ):
        raise ValidationError(
            _("%(name)s is the last active administrator: add another one first.")
            % {"name": member},
            code="last_administrator",
        )
    if (work["cases"] or work["tasks"]) and successor is None:
        raise ValidationError(
            {"successor": _("Choose who takes over the open cases and tasks.")},
            code="successor",
        )
    if successor is not None and successor == member:
        raise ValidationError(
            {"successor": _("Choose someone other than the person who leaves.")},
            code="successor",
        )
    if work["cases"] and not roles.may_be_assigned(successor):
        raise ValidationError(
            {"successor": _("Cases can only go to an active social worker.")},
            code="successor",
        )


def staff_reactivate(*, member: User, by: User) -> None:
    require(by, MANAGE)
    if member.is_active:
        raise ValidationError(_("%(name)s is already active.") % {"name": member})
    with transaction.atomic():
        User.objects.filter(pk=member.pk).update(is_active=True)
        member.is_active = True
        StaffChange.objects.create(member=member, by=by, kind=StaffChange.Kind.REACTIVATED)


def second_factor_reset(*, member: User, reason: str, by: User) -> None:
    """Take away a member's authenticator and backup codes (a lost phone), keeping the
    reason; they enrol again at the next sign-in, and are signed out everywhere."""
    require(by, "crisisunit.reset_second_factor")
    with transaction.atomic():
        for device in devices_for_user(member, confirmed=None):
            device.delete()  # a credential, not a case record
        SecondFactorReset.objects.create(user=member, by=by, reason=reason)
        StaffChange.objects.create(
            member=member, by=by, kind=StaffChange.Kind.SECOND_FACTOR_RESET, note=reason
        )
        end_sessions(member)
