"""Printable documents as PDF, rendered from a template with WeasyPrint, in DejaVu
fonts (Debian's fonts-dejavu-core), which carry every Kazakh letter. Nothing is fetched
from outside: a document may load only the portal's own print stylesheet."""

from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

PRINT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "print-pdf.css"


def _local_only(url, *args, **kwargs):
    """Refuse every address: a name or a note can never make the renderer fetch one."""
    raise ValueError(f"not fetched: {url[:80]}")


def render_pdf(template: str, context: dict, request=None) -> bytes:
    from weasyprint import CSS, HTML  # loaded only when a document is printed

    html = render_to_string(template, context, request=request)
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_local_only)
    # Tagged (a structure tree of headings, tables and paragraphs, read by a screen
    # reader in order), with the document's language and title.
    return document.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))], pdf_tags=True)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """The PDF to open in the browser's viewer and print (or save)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
