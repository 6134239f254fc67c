"""Printable documents as PDF, rendered from a template with WeasyPrint, in DejaVu
fonts (Debian's fonts-dejavu-core), which carry every Kazakh letter. Nothing is fetched
from outside: a document may load only the portal's own print stylesheet."""

import ctypes
import ctypes.util
import gc
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
    try:
        return document.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))], pdf_tags=True)
    finally:
        del document
        give_memory_back()


def _libc_trim():
    """glibc's malloc_trim, or None elsewhere (musl, macOS)."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


_trim = _libc_trim()


def give_memory_back() -> None:
    """A PDF's layout takes tens of MB, which glibc keeps in the process once freed:
    after 50 PDFs at once a worker stayed at 122-126 MB (bench/pdf_memory.py, on
    PostgreSQL). The layout's objects, cycles included, are collected and the freed
    pages handed back to the system: 100-101 MB. A full collection costs about 60 ms
    a PDF (which takes 250 ms to 1.2 s); the young generations alone, or the trim
    alone, left 113-123 MB."""
    gc.collect()
    if _trim is not None:
        _trim(0)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """The PDF to open in the browser's viewer and print (or save)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
