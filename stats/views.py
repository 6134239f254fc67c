import csv

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from stats import chart, figures
from stats.caching import cached_public_page


@cached_public_page
def returns(request):
    """The public statistics page: children returned home per year, chart and table."""
    yearly = figures.yearly_returns()
    recorded_years = [f.year for f in yearly if not f.published]
    return render(
        request,
        "stats/returns.html",
        {
            "figures": yearly,
            "summary": figures.summary(yearly),
            "chart": chart.bars(yearly),
            "recorded_years": recorded_years,
            "by_reason": figures.returns_by_reason(recorded_years),
            "small_cell": figures.SMALL_CELL,
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
