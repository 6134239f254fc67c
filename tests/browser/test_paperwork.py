"""A social worker keeps a scanned consent with the case, takes it back, and prints the
case summary."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from placements.models import Document
from tests.browser.conftest import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCAN = b"%PDF-1.4\n% a scanned, signed consent\n%%EOF\n"


def test_a_social_worker_keeps_a_scanned_consent_and_prints_the_summary(
    page, live_server, social_worker, make_placement, tmp_path
):
    placement = make_placement(days_ago=20)
    scan = tmp_path / "согласие.pdf"
    scan.write_bytes(SCAN)
    sign_in(page, live_server, social_worker)

    page.goto(f"{live_server.url}/staff/placements/{placement.pk}/")
    page.get_by_role("link", name="Документы дела: 0").click()
    page.select_option("select[name=kind]", "consent")
    page.set_input_files("input[name=file]", str(scan))
    page.click("main form.form button[type=submit]")

    assert "Документ сохранён в деле." in page.locator(".messages").inner_text()
    document = Document.objects.get(placement=placement)
    assert document.file_name == "согласие.pdf" and document.uploaded_by == social_worker
    with page.expect_download() as download:
        page.get_by_role("link", name="согласие.pdf").click()
    assert download.value.suggested_filename == "согласие.pdf"
    assert Path(download.value.path()).read_bytes() == SCAN

    page.goto(f"{live_server.url}/staff/placements/{placement.pk}/")
    summary = page.get_by_role("link", name="Краткая справка по делу", exact=True)
    response = page.request.get(live_server.url + summary.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert placement.child.surname in text and "Краткая справка по делу" in text
