"""The papers of a case: the list with its upload form, the download, the removal.
The files are read only here, never through a URL of their own."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crisisunit import submissions
from crisisunit.auth import staff_view
from crisisunit.lib.forms import add_refusal
from placements import upload_forms
from placements.models import Document, Placement
from placements.services import documents as document_services
from placements.views.common import VIEW, created_once, placement_or_404

SEE = (VIEW, "placements.view_document")


@staff_view(*SEE, reads=Placement)
def documents(request, pk):
    placement = placement_or_404(pk)
    may_add = request.user.has_perm("placements.add_document")
    form = upload_forms.DocumentForm(
        request.POST or None, request.FILES or None, placement=placement
    ) if may_add else None  # fmt: skip
    if request.method == "POST":
        if not may_add:
            raise Http404
        landing = reverse("placements:documents", args=[placement.pk])
        if repeat := submissions.already_sent(request, landing):
            return repeat  # the same upload sent twice keeps one document
        assert form is not None  # may_add
        if form.is_valid():
            data = form.cleaned_data
            try:
                return created_once(
                    request,
                    lambda: document_services.document_add(
                        placement=placement, kind=data["kind"], dated_on=data["dated_on"],
                        parent=data["parent"], note=data["note"], upload=data["file"],
                        by=request.user,
                    ),
                    landing,
                    _("The document is kept with the case."),
                )  # fmt: skip
            except ValidationError as error:
                add_refusal(form, error)
    kept = placement.documents.select_related("parent", "uploaded_by", "removed_by")
    return render(
        request,
        "placements/documents.html",
        {"placement": placement, "form": form, "documents": kept,
         "removal_form": upload_forms.DocumentRemovalForm(),
         "submission": submissions.token(request)},
    )  # fmt: skip


@staff_view(*SEE, reads=Document)
def download(request, pk):
    """The file, as an attachment that the browser neither runs nor guesses the type of;
    the read log notes who took it."""
    document = get_object_or_404(Document.objects.kept(), pk=pk)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.download_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@staff_view(*SEE, "placements.remove_document")
@require_POST
def remove(request, pk):
    document = get_object_or_404(Document, pk=pk)
    form = upload_forms.DocumentRemovalForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["reason"]))
        document_services.document_remove(
            document=document, reason=form.cleaned_data["reason"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The document is removed from the list; it is kept."))
    return redirect("placements:documents", pk=document.placement_id)
