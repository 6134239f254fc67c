"""The public figures: children returned to their biological families, per year.

This app counts placements and never reads personal data."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisunit.lib.plausible import validate_visible_text


class YearlyFigure(models.Model):
    """A year's figure fixed by the home. A year without one is counted live from the
    placements closed that year with the child returned home (see stats.figures)."""

    class Source(models.TextChoices):
        PUBLISHED = "published", _("published by the home")
        RECORDED = "recorded", _("counted from the records")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    children_returned = models.PositiveIntegerField(_("children returned"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    note = models.TextField(_("note"), blank=True, validators=[validate_visible_text])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
        editable=False,
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("yearly figure")
        verbose_name_plural = _("yearly figures")
        ordering = ["year"]
        permissions = [("view_period_report", _("Can see the period reports"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(children_returned__gte=0),
                name="figure_children_returned_not_negative",
                violation_error_message=_("The number of children cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100),
                name="figure_year_plausible",
                violation_error_message=_("Enter a year between 2000 and 2100."),
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.children_returned}"

    def clean(self):
        if self.year and self.year > timezone.localdate().year:
            raise ValidationError({"year": _("A year that has not begun cannot have a figure.")})


class Refresh(models.Model):
    """One row whose counter moves after every committed change to a placement or a
    figure (stats.figures.bump, on commit), and so the key of the cached public pages
    with it. A change to a history id alone could be missed: ids are taken in one
    order and committed in another."""

    counter = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("refresh of the public figures")
        verbose_name_plural = _("refreshes of the public figures")

    def __str__(self):
        return str(self.counter)
