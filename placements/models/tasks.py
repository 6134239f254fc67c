"""What follows up on casework: tasks raised by a consultation that needs further work,
a follow-up with concerns, a plan's review overdue or a referral unanswered, tasks a
member of staff sets by hand (for a case or none), and in-app notices (a case assigned
to you, an application decided). All are written by services
(placements/services/tasks.py, placements/notices.py)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crisisunit.lib.plausible import validate_visible_text


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)

    def assigned_to(self, user):
        return self.filter(assigned_to=user)

    def late(self, today):
        return self.open().filter(due_on__lt=today)


# Who a task may be given to: an active member of staff who may see the cases.
SEES_CASES = "placements.view_placement"


class TaskKind(models.TextChoices):
    FURTHER_WORK = "further_work", _("further work after a consultation")
    CONCERNS = "concerns", _("concerns at a follow-up after the return")
    MANUAL = "manual", _("set by a member of staff")
    REVIEW = "plan_review", _("review the plan of work with the family (overdue)")
    REFERRAL = "referral", _("ask about a referral the service has not answered")
    AUTHORITY = "authority", _("ask the authority for its decision, past its deadline")


class Task(models.Model):
    """Something a member of staff must do by a date: for a case (raised by a
    consultation, a follow-up, or set by hand), or, set by hand, for none."""

    Kind = TaskKind

    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("placement"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(
        _("what to do"), max_length=200, blank=True, validators=[validate_visible_text]
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("assigned to"),
    )
    due_on = models.DateField(_("due"))
    note = models.TextField(_("note"), blank=True, validators=[validate_visible_text])
    consultation = models.ForeignKey(
        "placements.Consultation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consultation"),
    )
    follow_up = models.ForeignKey(
        "placements.FollowUp",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follow-up"),
    )
    plan = models.ForeignKey(
        "placements.FamilyPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan of work with the family"),
    )
    referral = models.ForeignKey(
        "placements.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referral to a service"),
    )
    application = models.ForeignKey(
        "placements.ReturnApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("return application"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    done_note = models.TextField(
        _("note on completion"), blank=True, validators=[validate_visible_text]
    )

    history = HistoricalRecords()
    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["assigned_to", "done_at", "due_on"], name="task_open_due")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done_at__isnull=True, done_by__isnull=True)
                | models.Q(done_at__isnull=False, done_by__isnull=False),
                name="task_done_with_who",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=TaskKind.FURTHER_WORK, consultation__isnull=False)
                | models.Q(kind=TaskKind.CONCERNS, follow_up__isnull=False)
                | models.Q(kind=TaskKind.REVIEW, plan__isnull=False)
                | models.Q(kind=TaskKind.REFERRAL, referral__isnull=False)
                | models.Q(kind=TaskKind.AUTHORITY, application__isnull=False)
                | (models.Q(kind=TaskKind.MANUAL) & ~models.Q(title="")),
                name="task_has_its_source",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=TaskKind.MANUAL) | models.Q(placement__isnull=False),
                name="task_of_a_case_unless_set_by_hand",
            ),
        ]

    def __str__(self):
        return self.title or self.get_kind_display()

    def is_late(self, today):
        return self.done_at is None and self.due_on < today

    @property
    def what(self):
        """What to do, as a list shows it: the title set by hand, or the kind."""
        return self.title or self.get_kind_display()

    def clean(self):
        """A task set by hand is given to someone who may see the cases, and is not due
        in the past. (A raised task goes to the case's worker, whoever that is now.)"""
        super().clean()
        if self.kind == TaskKind.MANUAL and self._state.adding:
            if self.assigned_to_id is not None:
                self.check_assignee(self.assigned_to)
            if self.due_on and self.due_on < timezone.localdate():
                raise ValidationError(
                    {"due_on": _("A new task cannot be due in the past.")}, code="past"
                )

    @staticmethod
    def check_assignee(user):
        """Refuse `user` as the one who does a task unless they are an active member of
        staff who may see the children's cases."""
        if not user.is_active or not user.has_perm(SEES_CASES):
            raise ValidationError(
                {
                    "assigned_to": _(
                        "%(name)s cannot see the children's cases: choose a colleague who can."
                    )
                    % {"name": user}
                },
                code="assignee",
            )


class NoticeQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """A line for one staff member on their dashboard (and in an email): shown in the
    reader's language, so it stores what happened, not a sentence."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("a case was assigned to you")
        APPROVED = "approved", _("a return application was approved")
        REJECTED = "rejected", _("a return application was rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("for"),
    )
    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("placement"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_unread")]

    def __str__(self):
        return self.get_kind_display()
