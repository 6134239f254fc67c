import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from crisisunit.lib.iin import parse_iin

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _catalog(language):
    """(msgid, msgstr) of each live entry of a .po file; a small reader for our catalogs."""
    entries, current, field = [], {}, None
    for line in (LOCALE / language / "LC_MESSAGES" / "django.po").read_text().splitlines():
        if line.startswith("#") or not line.strip():
            if current.get("msgid"):
                entries.append(current)
            current, field = ({}, None) if not line.strip() else (current, field)
            if line.startswith("#,") and "fuzzy" in line:
                current["fuzzy"] = True
            continue
        if line.startswith(("msgid ", "msgstr ", "msgid_plural ", "msgstr[")):
            field, _, literal = line.partition(" ")
            current[field] = ast.literal_eval(literal)
        else:
            current[field] += ast.literal_eval(line)
    if current.get("msgid"):
        entries.append(current)
    return entries


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_message_is_translated_and_compiled(language):
    entries = _catalog(language)
    assert len(entries) > 100

    with translation.override(language):
        for entry in entries:
            assert not entry.get("fuzzy"), entry["msgid"]
            assert entry["msgstr"], f"untranslated in {language}: {entry['msgid']}"
            assert translation.gettext(entry["msgid"]) == entry["msgstr"], (
                f"{language}: the .mo is older than the .po for {entry['msgid']!r}; "
                "run manage.py compilemessages"
            )


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "ЖСН-нің бақылау цифры"), ("ru", "Контрольная цифра ИИН"), ("en", "check digit")],
)
def test_validation_messages_come_in_the_users_language(language, expected):
    with translation.override(language):
        with pytest.raises(ValidationError) as error:
            parse_iin("900101300018")
        message = error.value.messages[0]  # lazy: rendered in the active language

    assert expected in message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "expected"), [("kk", "Орналастырулар"), ("ru", "Помещения детей")]
)
def test_the_admin_speaks_the_staffs_language(client, social_worker, accept, expected):
    client.force_login(social_worker)

    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=accept)

    assert expected in page.content.decode()
