from django import forms
from django.conf import settings
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from crisisunit.lib.forms import CapitalizedLabels
from stats.indicators import Period

LAST_12_MONTHS = ""


class IndicatorPeriodForm(CapitalizedLabels, forms.Form):
    mark_optional = False

    period = forms.ChoiceField(label=_("period"), required=False)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        years = [
            (str(year), str(year)) for year in range(today.year, settings.STATS_FIRST_YEAR - 1, -1)
        ]
        self.fields["period"].choices = [(LAST_12_MONTHS, _("the last 12 months"))] + years

    def chosen_period(self):
        chosen = self.cleaned_data.get("period")
        if chosen == LAST_12_MONTHS or chosen is None:
            return Period.last_12_months(self.today)
        return Period.year_of(int(chosen))


class ReportPeriodForm(CapitalizedLabels, forms.Form):
    """A year, and in it the whole year, a quarter or a month."""

    mark_optional = False

    year = forms.TypedChoiceField(label=_("year"), coerce=int)
    part = forms.ChoiceField(label=_("part of the year"), required=False)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            (year, str(year)) for year in range(today.year, settings.STATS_FIRST_YEAR - 1, -1)
        ]
        self.fields["year"].initial = today.year
        quarters = [(f"q{n}", _("quarter %(number)s") % {"number": n}) for n in range(1, 5)]
        months = [(str(n), capfirst(MONTHS[n])) for n in range(1, 13)]
        self.fields["part"].choices = [("", _("the whole year")), *quarters, *months]
