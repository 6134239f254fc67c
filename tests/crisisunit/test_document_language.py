"""Every printed form and every email speaks the reader's language: rendered in Kazakh
and in Russian, none carries an English interface word, a Kazakh-only letter on a
Russian one, or a wording the glossary rules out (translations review, issue 36 item 2).
The data here is written in letters both languages share, so that what is found is
the interface's."""

import datetime
import io
import re

import pytest
from django.core import mail
from pypdf import PdfReader

from placements import services
from placements.reminders import reminders_send
from tests.crisisunit.test_language_leaks import ENGLISH_WORDS, KAZAKH_ONLY
from tests.crisisunit.test_translations import glossary_bars

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
PRINTOUTS = ["summary", "consent", "application", "journal", "handover"]

# Words of the English interface a document or an email could leak, beyond the pages'.
ENGLISH_IN_DOCUMENTS = re.compile(
    r"\b(Dear|reminder|Reminder|overdue|Overdue|follow-up|Follow-up|visits?|Visits?|"
    r"placements?|Placements?|Social worker|Administrator|Medical staff|signature|"
    r"Signature|Received|received|decision|Decision|Page|page|of the|and|the)\b"
)
# Beyond what docs/glossary.md bars: the unit's Kazakh name cut short, and the Russian
# «закрытие» of a stay where the reports say «завершение».
OTHER_WORDINGS = {"ru": re.compile(r"[Зз]акрыт"), "kk": re.compile(r"дағдарыс бөлім")}


def leaks(text: str, language: str) -> list[str]:
    text = re.sub(r"https?://\S+", " ", text)  # the links to the portal are no words
    found = ENGLISH_WORDS.findall(text) + ENGLISH_IN_DOCUMENTS.findall(text)
    if language == "ru":
        found += KAZAKH_ONLY.findall(text)
    found += [p.search(text).group(0) for p, _row in glossary_bars(language) if p.search(text)]
    return found + OTHER_WORDINGS[language].findall(text)


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def case(make_child, make_parent, make_placement, make_visit, make_application, administrator):
    child = make_child(surname="Тестова", given_name="Дана", sex="F", iin="")
    make_parent(child=child, surname="Тестова", given_name="Мадина", phone="+77011234567")
    placement = make_placement(child=child, days_ago=60)
    make_visit(placement, days_ago=3)
    application = make_application(placement)
    services.application_start_review(application=application, by=administrator)
    return placement


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("document", PRINTOUTS)
def test_each_printed_form_is_in_the_readers_language(
    client, administrator, case, document, language
):
    client.force_login(administrator)

    text = pdf_text(client.get(f"/staff/placements/{case.pk}/{document}.pdf?language={language}"))

    assert leaks(text, language) == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_period_report_is_in_the_readers_language(client, administrator, case, language):
    administrator.language = language
    administrator.save()
    client.force_login(administrator)
    year = datetime.date.today().year

    text = pdf_text(client.get("/staff/reports/", {"year": year, "download": "pdf"}))

    assert leaks(text, language) == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_email_is_in_the_readers_language(
    make_placement, make_return, make_application, social_worker, administrator,
    django_user_model, django_capture_on_commit_callbacks, language, today,
):  # fmt: skip
    for user, address in ((social_worker, "worker@example.kz"), (administrator, "a@example.kz")):
        user.email, user.language = address, language
        user.save()
    make_placement(days_ago=30)  # overdue for a visit: the worker and the administrators
    returned = make_return(on=today - 200 * DAY)  # its follow-ups overdue
    assert returned.follow_ups.exists()
    other = django_user_model.objects.create_user(
        "second_worker", email="second@example.kz", language=language
    )
    other.groups.set(social_worker.groups.all())
    application = make_application(make_placement(days_ago=40))
    with django_capture_on_commit_callbacks(execute=True):  # the notices' emails
        services.placement_reassign(
            placements=[make_placement(days_ago=2)], social_worker=other, by=administrator
        )
        services.application_start_review(application=application, by=administrator)
        services.application_approve(
            application=application, decision_number="Ш-1", decision_date=today,
            by=administrator,
        )  # fmt: skip

    reminders_send(today=today, base_url="https://crisis.example.kz")

    # Assigned, approved; the worker's and the administrators' reminders.
    assert len(mail.outbox) == 4, [m.subject for m in mail.outbox]
    for email in mail.outbox:
        assert leaks(f"{email.subject}\n{email.body}", language) == [], email.to


def test_the_check_sees_a_leak():
    assert leaks("Напоминание: посещение просрочено (reminder)", "ru") == ["reminder"]
    assert leaks("заявление о возврате ребёнка", "ru") == ["о возврате"]
    assert leaks("Бөлім: дағдарыс бөлімі", "kk") == ["дағдарыс бөлім"]
    assert leaks("Әлия", "ru") == ["Ә"]


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("document", PRINTOUTS)
def test_the_signature_block_stays_on_one_page(client, administrator, case, document, language):
    """Translations review item 24: the return application split it over two pages."""
    from django.utils import translation

    client.force_login(administrator)
    response = client.get(f"/staff/placements/{case.pk}/{document}.pdf?language={language}")
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages]
    with translation.override(language):
        hints = [translation.gettext("signature, full name"), translation.gettext("date")]
    holding = [
        {number for number, text in enumerate(pages) if hint in text.replace("\n", " ")}
        for hint in hints
    ]

    assert holding[0] == holding[1] and len(holding[0]) == 1, (len(pages), holding)
