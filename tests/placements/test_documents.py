"""Scans of a case's papers: kept only when they are what they say, read only through
the portal, removed with a reason and never deleted."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from crisisunit.models import ReadAccess
from placements.models import Document
from placements.services import documents as document_services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def documents_folder():
    return Path(Document._meta.get_field("file").storage.location)


def upload(client, placement, content=PDF, name="consent.pdf", **fields):
    data = {"kind": "consent", "dated_on": "2025-01-10", "note": "", "parent": "", **fields}
    data["file"] = SimpleUploadedFile(name, content)
    return client.post(f"/staff/placements/{placement.pk}/documents/", data)


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [(PDF, "consent.pdf", "application/pdf"), (JPEG, "скан.jpg", "image/jpeg"),
     (PNG, "birth.png", "image/png")],
)  # fmt: skip
def test_a_social_worker_keeps_a_scan_and_downloads_it(
    client, social_worker, make_placement, content, name, content_type
):
    placement = make_placement()
    client.force_login(social_worker)

    response = upload(client, placement, content, name)
    document = Document.objects.get()
    download = client.get(f"/staff/documents/{document.pk}/")

    assert response.status_code == 302
    assert (document.content_type, document.size, document.file_name) == (
        content_type, len(content), name,
    )  # fmt: skip
    assert document.history.get().history_user == social_worker
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == content_type
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "sandbox; default-src 'none'"
    entry = ReadAccess.objects.get()
    assert (entry.user, entry.content_type.model, entry.object_id) == (
        social_worker, "document", str(document.pk),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 60, "setup.pdf", "Only PDF, JPEG and PNG files are kept"),
        (b"<html><script>alert(1)</script></html>", "scan.pdf", "Only PDF, JPEG and PNG"),
        (b"PK\x03\x04" + b"\x00" * 60, "scans.zip", "Only PDF, JPEG and PNG"),
        (b"", "empty.pdf", "The file is empty."),
    ],
)
def test_a_file_that_is_not_a_scan_is_refused_and_nothing_is_stored(
    client, social_worker, make_placement, content, name, message
):
    placement = make_placement()
    client.force_login(social_worker)

    response = upload(client, placement, content, name)

    assert response.status_code == 200 and message in response.content.decode()
    assert not Document.objects.exists()
    assert not [path for path in documents_folder().rglob("*") if path.is_file()]


def test_a_file_over_the_limit_is_refused(client, social_worker, make_placement, settings):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    placement = make_placement()
    client.force_login(social_worker)

    response = upload(client, placement, PDF + b"0" * (1024 * 1024))

    assert "The file is larger than 1 MB." in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize("name", ["scan\x07.pdf", "a\u202egpj.pdf", "scan\x1b[31m.pdf"])
def test_a_name_with_folders_or_control_characters_is_refused_by_the_service(
    social_worker, make_placement, name
):
    with pytest.raises(ValidationError, match="folders or control characters"):
        document_services.document_add(
            placement=make_placement(), kind="other", dated_on=datetime.date(2025, 1, 1),
            upload=SimpleUploadedFile(name, PDF), by=social_worker,
        )  # fmt: skip
    assert not Document.objects.exists()


def test_a_path_in_an_uploaded_name_never_reaches_the_disk(client, social_worker, make_placement):
    placement = make_placement()
    client.force_login(social_worker)

    upload(client, placement, name="../../../etc/cron.d/evil.pdf")

    document = Document.objects.get()
    assert document.file_name == "evil.pdf"  # Django keeps the name only
    stored = (documents_folder() / document.file.name).resolve()
    assert stored.is_relative_to(documents_folder().resolve()) and stored.is_file()
    assert "evil" not in document.file.name


def test_no_static_or_media_url_serves_a_document(client, social_worker, make_placement):
    placement = make_placement()
    client.force_login(social_worker)
    upload(client, placement)
    stored = Document.objects.get().file.name

    for prefix in ("/static/", "/media/", "/documents/", "/private/documents/", "/"):
        assert client.get(prefix + stored).status_code == 404, prefix


def test_who_may_see_keep_and_remove_documents(
    client, social_worker, medical_staff, outsider, make_placement
):
    placement = make_placement()
    url = f"/staff/placements/{placement.pk}/documents/"
    assert client.get(url).status_code == 302
    client.force_login(social_worker)
    upload(client, placement)
    document = Document.objects.get()
    for user in (medical_staff, outsider):  # identity papers are not theirs to read
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.get(f"/staff/documents/{document.pk}/").status_code == 403
        assert upload(client, placement).status_code == 403
    assert Document.objects.count() == 1
    assert not ReadAccess.objects.exists()


def test_a_removal_needs_a_reason_and_keeps_the_file_and_the_history(
    client, social_worker, make_placement
):
    placement = make_placement()
    client.force_login(social_worker)
    upload(client, placement)
    document = Document.objects.get()

    refused = client.post(f"/staff/documents/{document.pk}/remove/", {"reason": " "}, follow=True)
    client.post(f"/staff/documents/{document.pk}/remove/", {"reason": "Скан не той стороны"})

    assert "Say why the document is removed." in refused.content.decode()
    document.refresh_from_db()
    assert document.removal_reason == "Скан не той стороны"
    assert document.removed_by == social_worker
    assert (documents_folder() / document.file.name).is_file()
    assert document.history.count() == 2
    assert client.get(f"/staff/documents/{document.pk}/").status_code == 404
    page = client.get(f"/staff/placements/{placement.pk}/documents/").content.decode()
    assert "Скан не той стороны" in page


def test_a_parent_named_must_be_the_childs(client, social_worker, make_placement, make_parent):
    placement = make_placement()
    stranger = make_parent()
    client.force_login(social_worker)

    response = upload(client, placement, parent=stranger.pk)

    assert response.status_code == 200 and not Document.objects.exists()


@pytest.mark.parametrize(
    ("code", "why"), [(28, "No space left on device"), (30, "Read-only file system")]
)
def test_a_full_or_read_only_store_is_a_message_and_nothing_saved(
    client, social_worker, make_placement, monkeypatch, code, why
):
    """Issue 35, reliability finding 6: this was a 500."""
    placement = make_placement()
    storage = Document._meta.get_field("file").storage

    def refuse(name, content):
        raise OSError(code, why)

    monkeypatch.setattr(storage, "_save", refuse)
    client.force_login(social_worker)

    response = upload(client, placement)

    assert response.status_code == 200
    assert "The file could not be stored just now, and nothing was saved." in (
        response.content.decode()
    )
    assert not Document.objects.exists()
    assert not [p for p in documents_folder().rglob("*") if p.is_file()]
