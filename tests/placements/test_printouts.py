"""Printable documents of a case as PDF: their text (Kazakh letters included), who may
print them, and the read log."""

import datetime
import io

import pytest
from pypdf import PdfReader

from crisisunit.models import ReadAccess
from placements import services
from placements.models import Placement

pytestmark = pytest.mark.django_db

DOCUMENTS = ["summary", "consent", "application", "journal", "handover"]


def text_of(response):
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")


def approve_a_return(case, make_application, administrator):
    """The authority decided for the return (decision Ш-17): the stay closes today."""
    application = make_application(case)
    services.application_start_review(application=application, by=administrator)
    services.application_approve(
        application=application, decision_number="Ш-17", decision_date=datetime.date.today(),
        by=administrator,
    )  # fmt: skip


@pytest.fixture
def case(make_child, make_placement, make_visit, make_parent):
    child = make_child(surname="Сынақова", given_name="Айгерім", iin="")
    make_parent(child=child, surname="Сынақов", given_name="Әлия", phone="+77011234567")
    placement = make_placement(child=child, days_ago=40)
    make_visit(placement, days_ago=2)
    return placement


@pytest.mark.parametrize("document", DOCUMENTS)
def test_each_document_prints_the_childs_kazakh_name_and_the_signature_blocks(
    client, social_worker, case, document
):
    client.force_login(social_worker)

    response = client.get(f"/staff/placements/{case.pk}/{document}.pdf")

    text = text_of(response)
    assert response["Content-Disposition"] == f'inline; filename="{document}-{case.pk}-en.pdf"'
    assert "Сынақова Айгерім" in text
    assert "signature, full name" in text and "Printed on" in text


def test_the_forms_name_the_parent_for_their_signature(client, social_worker, case):
    client.force_login(social_worker)

    consent = text_of(client.get(f"/staff/placements/{case.pk}/consent.pdf"))
    application = text_of(client.get(f"/staff/placements/{case.pk}/application.pdf"))

    assert "Сынақова Әлия" in consent and "+7 701 123 4567" in consent
    assert "Law of the Republic of Kazakhstan" in consent
    assert "be returned to my family" in application
    assert case.admitted_on.strftime("%d.%m.%Y") in application


def test_a_document_prints_in_kazakh_or_russian_on_request(client, social_worker, case):
    client.force_login(social_worker)

    kazakh = text_of(client.get(f"/staff/placements/{case.pk}/consent.pdf?language=kk"))
    russian = text_of(client.get(f"/staff/placements/{case.pk}/consent.pdf?language=ru"))

    assert "Дербес деректерді өңдеуге келісім" in kazakh
    assert "Согласие на обработку персональных данных" in russian


def test_the_journal_lists_the_months_visits_with_a_signature_column(
    client, social_worker, case, make_visit
):
    client.force_login(social_worker)
    visit = case.visits.get()
    month = visit.visited_at.astimezone().strftime("%Y-%m")

    text = text_of(client.get(f"/staff/placements/{case.pk}/journal.pdf?month={month}"))
    empty = text_of(client.get(f"/staff/placements/{case.pk}/journal.pdf?month=2001-01"))

    assert "Visitor's signature" in text and "Сынақова Әлия" in text
    assert "Сынақова Әлия" not in empty


def test_the_handover_act_names_the_authoritys_decision(
    client, administrator, case, make_application
):
    approve_a_return(case, make_application, administrator)
    client.force_login(administrator)

    text = text_of(client.get(f"/staff/placements/{case.pk}/handover.pdf"))

    assert "№ Ш-17" in text and "Сынақова Әлия" in text


def test_a_case_summary_fits_one_page_with_the_return_and_its_follow_ups(
    client, social_worker, administrator, case, make_application
):
    approve_a_return(case, make_application, administrator)
    client.force_login(social_worker)

    response = client.get(f"/staff/placements/{case.pk}/summary.pdf")

    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1


def test_printing_is_logged_as_a_read_and_refused_without_the_permission(
    client, social_worker, outsider, case
):
    assert client.get(f"/staff/placements/{case.pk}/summary.pdf").status_code == 302
    client.force_login(outsider)
    assert client.get(f"/staff/placements/{case.pk}/summary.pdf").status_code == 403
    client.force_login(social_worker)
    assert client.get(f"/staff/placements/{case.pk + 1000}/summary.pdf").status_code == 404
    assert client.get(f"/staff/placements/{case.pk}/letter.pdf").status_code == 404
    assert client.get(f"/staff/placements/{case.pk}/journal.pdf?month=soon").status_code == 404
    assert client.get(f"/staff/placements/{case.pk}/consent.pdf?parent=0").status_code == 404
    assert not ReadAccess.objects.exists()

    client.get(f"/staff/placements/{case.pk}/summary.pdf")

    entry = ReadAccess.objects.get()
    assert (entry.user, entry.object_id) == (social_worker, str(case.pk))


def test_a_name_cannot_make_the_renderer_fetch_anything(client, social_worker, case):
    Placement.objects.filter(pk=case.pk).update(
        crisis_notes='<img src="http://169.254.169.254/latest">'
    )
    client.force_login(social_worker)

    response = client.get(f"/staff/placements/{case.pk}/summary.pdf")

    assert response.status_code == 200


def test_the_case_page_links_each_document_in_kazakh_and_russian(client, social_worker, case):
    client.force_login(social_worker)
    parent = case.child.parents.get()

    html = client.get(f"/staff/placements/{case.pk}/").content.decode()

    assert f'href="/staff/placements/{case.pk}/summary.pdf?language=kk"' in html
    assert f'href="/staff/placements/{case.pk}/consent.pdf?parent={parent.pk}"' in html
    assert f'action="/staff/placements/{case.pk}/journal.pdf"' in html


@pytest.mark.parametrize("document", DOCUMENTS)
def test_each_printout_is_a_tagged_pdf_with_its_language(client, social_worker, case, document):
    """Accessibility #11: the PDFs had no structure tree."""
    client.force_login(social_worker)

    response = client.get(f"/staff/placements/{case.pk}/{document}.pdf", {"language": "ru"})

    root = PdfReader(io.BytesIO(response.content)).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]).startswith("ru")
