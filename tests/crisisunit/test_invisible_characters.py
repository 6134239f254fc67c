"""Issue 29, security #5 and reliability #12: a free text that others read (a note, an
address, a reason, a page of the public site) holds no invisible control character,
and a kept document downloads under the portal's name with its checked type's
extension."""

import datetime

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import timezone

from crisisunit.lib.plausible import validate_name, validate_visible_text
from crisisunit.lib.uploads import download_name
from placements.models import Document

pytestmark = pytest.mark.django_db

RLO = "\u202e"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Validators that already refuse every control character: names, IINs, phones, e-mail,
# addresses of web pages, the anchors of the information page.
STRICT = {"validate_name", "validate_iin", "validate_kz_phone", "validate_phone_lines"}
STRICT_TYPES = {"EmailValidator", "URLValidator", "RegexValidator"}


def test_every_free_text_of_a_record_refuses_invisible_characters():
    unguarded = []
    for label in ("families", "placements", "content", "stats"):
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.CharField | models.TextField):
                    continue
                if field.choices or not field.editable or field.name == "sha256":
                    continue
                names = {getattr(v, "__name__", type(v).__name__) for v in field.validators}
                if validate_visible_text in field.validators or names & (STRICT | STRICT_TYPES):
                    continue
                unguarded.append(f"{model.__name__}.{field.name}")
    assert unguarded == []


@pytest.mark.parametrize(
    "text", [f"called the mother {RLO}fdp.exe", "a\u200bb", "\ufeffnote", "bell\x07"]
)
def test_a_visit_note_with_an_invisible_character_is_refused_with_a_message(
    client, social_worker, make_placement, text
):
    placement = make_placement()
    client.force_login(social_worker)

    response = client.post(
        f"/staff/placements/{placement.pk}/visits/new/",
        {
            "parent": placement.child.parents.get().pk,
            "visited_at": timezone.localtime(timezone.now() - datetime.timedelta(days=1)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "duration_minutes": 45,
            "notes": text,
        },
    )

    assert response.status_code == 200
    assert "invisible control character" in response.content.decode()
    assert not placement.visits.exists()


def test_lines_and_tabs_and_every_script_are_text():
    validate_visible_text("Анасы келді.\nӘлия ұйықтап жатты;\tO'Neil — ok 😀")


def test_the_public_sites_texts_refuse_them_too(client, administrator):
    from content.models import Home

    home = Home.load()
    home.name_en = f"Home {RLO}emoh"
    with pytest.raises(Exception) as refused:
        home.full_clean()
    assert "invisible control character" in str(refused.value)


def test_names_were_already_refused():
    with pytest.raises(Exception):  # noqa: B017
        validate_name(f"Әлия{RLO}")


@pytest.mark.parametrize(
    ("uploaded", "content", "served"),
    [
        ("referral.cmd", PDF, "referral.pdf"),
        ("scan.html", PDF, "scan.pdf"),
        ("Анықтама 2024.PDF", PDF, "Анықтама_2024.pdf"),
        ("...", PDF, "document-{pk}.pdf"),
        ("photo.png.exe", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "photo_png.jpg"),
    ],
)
def test_a_document_downloads_under_the_portals_name_with_its_checked_extension(
    client, social_worker, make_placement, uploaded, content, served
):
    placement = make_placement()
    client.force_login(social_worker)
    upload(client, placement, uploaded, content)
    document = Document.objects.get()

    download = client.get(f"/staff/documents/{document.pk}/")
    listed = client.get(f"/staff/placements/{placement.pk}/documents/").content.decode()

    name = served.format(pk=document.pk)
    assert download["Content-Disposition"] in (
        f'attachment; filename="{name}"',
        f"attachment; filename*=utf-8''{_quoted(name)}",
    )
    assert name in listed and uploaded not in listed.replace(name, "")


def upload(client, placement, name, content):
    """A scan kept with the case through its documents page, as a social worker does."""
    data = {"kind": "consent", "dated_on": "2025-01-10", "note": "", "parent": ""}
    data["file"] = SimpleUploadedFile(name, content)
    return client.post(f"/staff/placements/{placement.pk}/documents/", data)


def _quoted(name):
    from urllib.parse import quote

    return quote(name)


def test_a_name_with_a_direction_override_downloads_as_what_it_is(
    client, social_worker, make_placement
):
    """Django drops the unprintable override from the upload's name; the .exe it then
    ends with is not kept either."""
    placement = make_placement()
    client.force_login(social_worker)

    upload(client, placement, f"abc{RLO}fdp.exe", PDF)

    download = client.get(f"/staff/documents/{Document.objects.get().pk}/")
    assert download["Content-Disposition"] == 'attachment; filename="abcfdp.pdf"'


def test_download_names_keep_letters_and_digits_only():
    assert download_name("a/b\\c:d*?.pdf", "application/pdf", fallback="x") == "a_b_c_d.pdf"
    assert download_name("", "image/png", fallback="document-7") == "document-7.png"
    assert download_name("a.exe", "text/html", fallback="x") == "a.bin"
