"""Printable documents of a case, as PDF in the user's language (or ?language=kk|ru|en):
the one-page case summary, the consent form and the return application prefilled for a
parent's signature, the month's visit journal with a signature column, and the act of
handing the child over on return. Each with the home's name, the date and signature
blocks; opening one is noted in the read log like the case page."""

import calendar
import datetime

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.models import Home
from crisisunit import need_to_know
from crisisunit.auth import staff_view
from crisisunit.lib.dates import start_of_day
from crisisunit.lib.plausible import date_bounds
from crisisunit.pdf import pdf_response, render_pdf
from families.models import ChildParent
from placements.models import Placement, return_evidence
from placements.views.common import VIEW

DOCUMENTS = {
    "summary": gettext_lazy("Case summary"),
    "consent": gettext_lazy("Consent to the processing of personal data"),
    "application": gettext_lazy("Application for the return of the child"),
    "journal": gettext_lazy("Journal of parents' visits"),
    "handover": gettext_lazy("Act of handing over the child to the family"),
}
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@staff_view(VIEW, reads=Placement)
def printout(request, pk, document):
    if document not in DOCUMENTS:
        raise Http404
    placement = get_object_or_404(Placement.objects.select_related("child", "social_worker"), pk=pk)
    language = language_of(request)
    with translation.override(language):
        context = BUILDERS[document](request, placement)  # Http404 for a wrong choice
        context.update(common(request, placement, document, language, DOCUMENTS[document]))
        pdf = render_pdf(f"placements/print/{document}.html", context, request)
    return pdf_response(pdf, f"{document}-{placement.pk}-{language}.pdf")


def language_of(request):
    """?language=kk|ru|en, by default the user's."""
    language = request.GET.get("language")
    return language if language in LANGUAGES else translation.get_language()


def common(request, placement, document, language, title):
    """What every printout shows: the home, the child, who printed it and when."""
    home = Home.load()
    return {
        "title": title,
        "document": document,
        "language": language,
        "home": home,
        "home_name": home.text("name"),
        "home_address": home.text("address"),
        "placement": placement,
        "child": placement.child,
        "today": timezone.localdate(),
        "printed_on": timezone.localdate(),
        "printed_by": request.user.get_full_name() or request.user.username,
        "shown": need_to_know.shown(request.user),
    }


def _links(placement):
    return list(ChildParent.objects.filter(child=placement.child_id).select_related("parent"))


def _chosen_link(request, placement):
    """The parent the form is for (?parent=<id>), by default the first on file."""
    links = _links(placement)
    wanted = request.GET.get("parent")
    for link in links:
        if wanted is None or str(link.parent_id) == wanted:
            return link
    raise Http404


def _summary(request, placement):
    visits = list(placement.visits.values_list("visited_at", flat=True))
    today = timezone.localdate()
    _weeks, rate = placement.weekly_visit_record(
        [timezone.localtime(v).date() for v in visits], today
    )
    return {
        "links": _links(placement),
        "extensions": list(placement.extensions.all()),
        "visit_count": len(visits),
        "last_visit": timezone.localtime(max(visits)).date() if visits else None,
        "rate": round(rate * 100) if rate is not None else None,
        "consultation_count": placement.consultations.count(),
        "applications": list(placement.return_applications.select_related("applicant")),
        "follow_ups": list(placement.follow_ups.all()),
        "signers": [_("Social worker")],
        **family_work_evidence(placement),
    }


def family_work_evidence(placement):
    return return_evidence(placement, timezone.localdate())


def _for_parent(request, placement):
    link = _chosen_link(request, placement)
    return {
        "link": link,
        "parent": link.parent,
        "signers": [_("Parent (legal representative)"), _("Accepted by the home")],
        "blank_lines": range(4),
    }


def _journal(request, placement):
    month = _month(request.GET.get("month"), placement)
    last_day = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    visits = list(
        placement.visits.filter(
            visited_at__gte=start_of_day(month),
            visited_at__lt=start_of_day(last_day + datetime.timedelta(days=1)),
        )
        .select_related("parent", "recorded_by")
        .order_by("visited_at")
    )
    for visit in visits:
        visit.local = timezone.localtime(visit.visited_at)
    return {
        "month": month,
        "visits": visits,
        "blank_lines": range(max(3, 8 - len(visits))),
        "signers": [_("Social worker")],
    }


def _month(text, placement):
    """The first day of ?month=YYYY-MM; by default this month, or the stay's last."""
    if not text:
        day = placement.closed_on or timezone.localdate()
        return day.replace(day=1)
    try:
        month = datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise Http404 from None
    earliest, latest = date_bounds()
    if not earliest.replace(day=1) <= month <= latest:  # 9999-12 has no month after it
        raise Http404
    return month


def _handover(request, placement):
    context = _for_parent(request, placement)
    approved = (
        placement.return_applications.filter(
            status=placement.return_applications.model.Status.APPROVED
        )
        .select_related("applicant")
        .first()
    )
    if approved is not None and request.GET.get("parent") is None:
        context["link"] = next(
            (link for link in _links(placement) if link.parent_id == approved.applicant_id),
            context["link"],
        )
        context["parent"] = context["link"].parent
    returned = placement.outcome == Placement.Outcome.RETURNED
    context.update(
        application=approved,
        handed_on=placement.closed_on if returned else None,
        signers=[_("Handed over, for the home"), _("Received, parent (legal representative)")],
    )
    return context


BUILDERS = {
    "summary": _summary,
    "consent": _for_parent,
    "application": lambda request, placement: {
        **_for_parent(request, placement),
        **family_work_evidence(placement),
    },
    "journal": _journal,
    "handover": _handover,
}
