import csv
import datetime
import io
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from content.models import Announcement, Home, Office, Section
from crisisunit.auth import staff_view
from crisisunit.lib.csv import excel_csv_response
from crisisunit.lib.dates import format_date
from crisisunit.pdf import pdf_response, render_pdf
from stats import chart, family_work, figures, reports
from stats.caching import cached_public_page
from stats.forms import IndicatorPeriodForm, ReportPeriodForm
from stats.indicators import DEFINITIONS, Period, kept, yearly_outcomes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@cached_public_page
def home(request):
    """The public information page about the crisis unit: the home's own texts and
    announcements (content), the referral offices, and the latest results."""
    sections = list(Section.objects.shown())
    return render(
        request,
        "home.html",
        {
            "home": Home.load(),
            "announcements": Announcement.objects.current(timezone.localdate()),
            "highlighted": [section for section in sections if section.highlighted],
            "sections": [section for section in sections if not section.highlighted],
            "offices": Office.objects.shown(),
            "summary": figures.summary(figures.yearly_returns()),
        },
    )


@cached_public_page
def returns(request):
    """The public statistics page: children returned home per year, chart and table."""
    yearly, closed = figures.yearly_returns_and_closed()
    # Breakdowns only for calendar years that are over: comparing the page from one day
    # to the next must not tell anyone the reason or the outcome of one child's stay.
    recorded_years = [f.year for f in yearly if not f.published and not f.in_progress]
    return render(
        request,
        "stats/returns.html",
        {
            "figures": yearly,
            "summary": figures.summary(yearly),
            "chart": chart.bars(yearly),
            "recorded_years": recorded_years,
            "this_year": timezone.localdate().year,
            "by_reason": figures.returns_by_reason(recorded_years, closed),
            "outcomes_by_year": yearly_outcomes(recorded_years, settings.STATS_SMALL_CELL, closed),
            "small_cell": settings.STATS_SMALL_CELL,
        },
    )


def _rows():
    return [
        {"year": f.year, "children_returned": f.children_returned, "source": f.source}
        for f in figures.yearly_returns()
    ]


@cached_public_page
def returns_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="returns.csv"'
    writer = csv.DictWriter(response, fieldnames=["year", "children_returned", "source"])
    writer.writeheader()
    writer.writerows(_rows())
    return response


@cached_public_page
def returns_json(request):
    return JsonResponse({"years": _rows()})


@staff_view("placements.view_indicators")
def indicators(request):
    """The unit's indicators for a year or the last 12 months, with charts, tables,
    definitions, and each table as a CSV file (?download=<table>)."""
    today = timezone.localdate()
    form = IndicatorPeriodForm(request.GET or None, today=today)
    period = form.chosen_period() if form.is_valid() else Period.last_12_months(today)
    data = kept(period, today)
    tables = _tables(data)
    download = request.GET.get("download")
    if download in tables and form.is_valid():
        return _csv(tables[download], f"{download}-{period.start}-{period.end}.csv")
    return render(
        request,
        "stats/indicators.html",
        {
            "form": form,
            "data": data,
            "tables": tables,
            "definitions": DEFINITIONS,
            "follow_up_days": settings.FOLLOW_UP_GRACE_DAYS,
            "reentry_months": settings.REENTRY_MONTHS,
            "charts": {
                "outcomes": chart.hbars([(label, n) for _v, label, n in data["outcomes"]]),
                "visits": chart.hbars([(label, n) for _b, label, n in data["visits"]["bands"]]),
                "consultations": chart.hbars(
                    [(label, n) for _v, label, n, _per in data["consultations"]]
                ),
                "follow_ups": chart.hbars(
                    [(label, data["follow_ups"][key]) for key, label in FOLLOW_UP_STATES]
                ),
            },
            "query": request.GET.urlencode(),
        },
    )


FOLLOW_UP_STATES = [
    ("on_time", _("done on time")),
    ("late", _("done late")),
    ("missed", _("missed")),
    ("open", _("still open")),
]


def _tables(data):
    """Each table of the page as (header, rows), the same for the page and the CSV."""
    counts = data["counts"]
    visits = data["visits"]
    return {
        "flow": (
            [_("indicator"), _("value")],
            [
                (_("placements opened"), counts["opened"]),
                (_("placements closed"), counts["closed"]),
                (_("closed: returned home"), counts["returned"]),
                (_("share returned home, %"), data["returned_share"]),
            ],
        ),
        "outcomes": (
            [_("outcome"), _("placements closed")],
            [(label, n) for _v, label, n in data["outcomes"]],
        ),
        "stay": (
            [_("indicator"), _("value")],
            [
                (_("median length of stay, days"), data["median_stay"]),
                (_("90th percentile, days"), data["p90_stay"]),
                (_("closed after at least one extension"), counts["extended"]),
                (_("share extended beyond the first term, %"), data["extended_share"]),
            ],
        ),
        "visits": (
            [_("indicator"), _("value")],
            [
                (_("full weeks in care"), visits["weeks"]),
                (_("of them with a parent visit"), visits["visited_weeks"]),
                (_("weekly visit compliance, %"), visits["compliance"]),
            ]
            + [(label, n) for _b, label, n in visits["bands"]],
        ),
        "consultations": (
            [_("specialist"), _("consultations"), _("per placement in care")],
            [(label, n, per) for _v, label, n, per in data["consultations"]],
        ),
        "follow_ups": (
            [_("follow-ups due in the period"), _("number")],
            [(label, data["follow_ups"][key]) for key, label in FOLLOW_UP_STATES]
            + [
                (
                    _("done on time, percent of those done or missed"),
                    data["follow_ups"]["on_time_share"],
                )
            ],
        ),
        "family_work": ([_("indicator"), _("value")], family_work.table(data["family_work"])),
        "referrals": (
            [
                _("service"),
                _("referrals sent"),
                _("accepted"),
                _("service given"),
                _("refused"),
                _("no answer or waiting"),
            ],
            data["family_work"]["referrals"],
        ),  # fmt: skip
        "reentry": (
            [_("indicator"), _("value")],
            [
                (_("children returned home"), counts["returned"]),
                (
                    _("of them back in care within %(months)s months")
                    % {"months": settings.REENTRY_MONTHS},
                    counts["reentered"],
                ),
                (_("re-entry, %"), data["reentry_share"]),
            ],
        ),
    }


def _csv(table, filename):
    header, rows = table
    return excel_csv_response(
        [str(h) for h in header],
        # Numbers as the page shows them in its language (0,53 in kk and ru).
        ([formats.localize(c) if c is not None else "" for c in row] for row in rows),
        filename=filename,
        language=get_language(),
    )


@staff_view("stats.view_period_report")
def period_report(request):
    """The report for a month, a quarter or a year (the previous month at first), as a
    page or an Excel workbook (?download=xlsx)."""
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    # The period asked for; the previous month when none is (a link that only asks for
    # ?download=… downloads the report shown, not the page itself).
    asked = {key: value for key, value in request.GET.items() if key != "download"}
    data = asked or {"year": last_month.year, "part": str(last_month.month)}
    form = ReportPeriodForm(data, today=today)
    if form.is_valid():
        period = reports.period_of(form.cleaned_data["year"], form.cleaned_data["part"])
    else:
        period = reports.period_of(last_month.year, str(last_month.month))
    report = reports.compute_report(period, today)
    home = Home.load().text("name")
    download = request.GET.get("download") if report is not None and form.is_valid() else None
    name = f"report-{period.start}-{period.end}"
    if download == "xlsx":
        return _report_workbook(report, home, f"{name}.xlsx")
    if download == "pdf":
        context = {
            "title": _("Period report"), "document": "report", "home": Home.load(),
            "home_name": home, "home_address": Home.load().text("address"), "period": period,
            "tables": reports.report_tables(report), "language": get_language(),
            "printed_on": today, "signers": [_("Director"), _("Prepared by")],
            "printed_by": request.user.get_full_name() or request.user.username,
        }  # fmt: skip
        return pdf_response(render_pdf("stats/print/period_report.html", context), f"{name}.pdf")
    return render(
        request,
        "stats/period_report.html",
        {
            "form": form,
            "period": period,
            "report": report,
            "tables": reports.report_tables(report) if report else [],
            "first_record": reports.first_record(),
            "home": home,
            "query": urlencode(data),
        },
    )


def _report_workbook(report, home, filename):
    from openpyxl import Workbook

    from crisisunit.lib.workbook import row

    period = report["period"]
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("Report"))[:31]
    dates = {"start": format_date(period.start), "end": format_date(period.end)}
    sheet.append(row(sheet, [home], bold=True))  # the content editor's text: never a formula
    sheet.append(row(sheet, [_("Report for %(start)s–%(end)s") % dates], bold=True))
    for _id, title, rows in reports.report_tables(report):
        sheet.append([])
        sheet.append(row(sheet, [title], bold=True))
        for label, value in rows:
            sheet.append(row(sheet, [capfirst(str(label)), value]))
    sheet.column_dimensions["A"].width = 60
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
