"""Issue 29, security #6: every staff page that shows a case record, or the records of
a case, leaves a line in the read log; walked over every staff URL of the URLconf, so
a new page that logs nothing fails here. The admin's pages are walked the same way by
CaseRecordAdmin's own tests."""

import pytest

from crisisunit.models import ReadAccess
from tests.crisisunit.test_url_access import project_urls, url_of

pytestmark = pytest.mark.django_db

# Staff pages that show no case record: sign-in steps, forms that show nothing on file
# until sent, a blank template, counts and reports that name no one.
SHOWS_NO_CASE_DATA = {
    "login",
    "logout",
    "choose_language",
    "verify_second_factor",
    "setup_second_factor",
    "team:second_factor_reset",  # staff accounts, not cases
    "team:team",  # staff accounts, with counts of their cases
    "team:member",
    "team:member_new",
    "team:welcome",  # a new member's link
    "placements:new",  # an empty intake form (people on file it offers are logged as a list)
    "placements:export",  # the form; a download with names is logged as an export
    "placements:import",  # uploaded files: names of files and counts
    "placements:import_template",
    "placements:import_progress",  # a job's numbers: rows done, percent
    "indicators",  # counts
    "period_report",  # counts
}


def staff_pages():
    return [
        (key, route)
        for key, route in project_urls()
        if route.startswith("staff/") or key == "placements:dashboard"
    ]


@pytest.mark.parametrize(("key", "route"), staff_pages(), ids=lambda value: str(value))
def test_each_staff_page_that_shows_case_data_logs_a_read(
    client, administrator, records, key, route
):
    url = url_of(key, route, records)
    client.force_login(administrator)
    before = ReadAccess.objects.count()

    response = client.get(url)

    if response.status_code == 405:  # POST only: a write, no page of its own
        return
    if key == "team:welcome":  # a made-up link: refused, showing nothing
        assert response.status_code == 400
        return
    assert response.status_code in (200, 302), (url, response)
    logged = ReadAccess.objects.count() - before
    if key in SHOWS_NO_CASE_DATA or response.status_code == 302:
        return
    assert logged == 1, f"{url} showed case data and logged {logged} reads"


@pytest.mark.parametrize(
    ("key", "model"),
    [
        ("placements:documents", "placement"),
        ("placements:visit_edit", "visit"),
        ("placements:consultation_edit", "consultation"),
        ("placements:contact_edit", "contact"),
        ("placements:followup_record", "followup"),
        ("placements:visit_new", "placement"),
        ("placements:parent_contacts", "parent"),
        ("placements:document_download", "document"),
        ("placements:family_work", "placement"),
        ("placements:action_edit", "planaction"),
        ("placements:inspection_detail", "inspectionact"),
        ("placements:referral_answer", "referral"),
        ("placements:application_send", "returnapplication"),
        ("placements:consent_new", "parent"),
        ("placements:consent_withdraw", "consent"),
    ],
)
def test_the_line_names_the_record_shown(client, administrator, records, key, model):
    route = dict(project_urls())[key]
    client.force_login(administrator)

    client.get(url_of(key, route, records))

    line = ReadAccess.objects.latest("pk")
    assert (line.user, line.content_type.model) == (administrator, model)
    shown = {
        "placement": records["placements_placement"],
        "visit": records["placements_visit"],
        "consultation": records["placements_consultation"],
        "contact": records["placements_contact"],
        "followup": records["placements_followup"],
        "parent": records["families_parent"],
        "document": records["placements_document"],
        "planaction": records["placements_planaction"],
        "inspectionact": records["placements_inspectionact"],
        "referral": records["placements_referral"],
        "returnapplication": records["placements_returnapplication"],
        "consent": records["families_consent"],
    }[model]
    assert line.object_id == str(shown.pk)


def test_a_refused_or_unknown_record_logs_nothing(client, medical_staff, administrator, records):
    before = ReadAccess.objects.count()
    client.force_login(medical_staff)
    client.get(f"/staff/placements/{records['placements_placement'].pk}/documents/")  # 403
    client.force_login(administrator)
    client.get("/staff/visits/999999/edit/")  # 404

    assert ReadAccess.objects.count() == before
