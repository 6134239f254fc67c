"""Issue 29, security #3 and product F1: what a role may see of a person is one rule
(crisisunit.need_to_know), and it holds on every surface: a parent's IIN never reaches
medical staff, in a page, a printout, an export, a search or the admin's search and
autocomplete; the roles that may see it still do."""

import datetime
import io

import pytest
from pypdf import PdfReader

from crisisunit import need_to_know
from families.models import ChildParent, Parent, Sex
from placements.models import Placement

pytestmark = pytest.mark.django_db

PARENT_IIN = "871216492838"  # 16.12.1987, a woman
CHILD_IIN = "240101610004"  # 01.01.2024, a girl


@pytest.fixture
def case(make_child, make_parent, make_placement):
    child = make_child(
        surname="Сынақова",
        given_name="Айгерім",
        iin=CHILD_IIN,
        date_of_birth=datetime.date(2024, 1, 1),
        sex=Sex.FEMALE,
    )
    make_parent(
        child=child,
        surname="Сынақова",
        given_name="Гүлназ",
        iin=PARENT_IIN,
        date_of_birth=datetime.date(1987, 12, 16),
        sex=Sex.FEMALE,
        phone="+77011234567",
        address="Астана, Сарайшық 5",
    )
    return make_placement(child=child)


def pdf_text(response):
    assert response.status_code == 200, response
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(page.extract_text() for page in reader.pages).replace(" ", "")


@pytest.mark.parametrize("document", ["consent", "application", "handover", "summary"])
def test_medical_staff_print_no_parents_iin(client, medical_staff, case, document):
    client.force_login(medical_staff)

    text = pdf_text(client.get(f"/staff/placements/{case.pk}/{document}.pdf"))

    assert PARENT_IIN not in text
    assert "Сынақова" in text  # the document itself is there


@pytest.mark.parametrize("document", ["consent", "application"])
def test_a_social_worker_prints_the_parents_iin_for_the_signature(
    client, social_worker, case, document
):
    client.force_login(social_worker)

    text = pdf_text(client.get(f"/staff/placements/{case.pk}/{document}.pdf"))

    assert PARENT_IIN in text
    assert "7011234567" in text


def found(client, url, query):
    return client.get(url, {"q": query}).content.decode()


@pytest.mark.parametrize("query", [PARENT_IIN, "87121649", "2838"])
def test_medical_staff_cannot_find_a_case_by_a_parents_iin(client, medical_staff, case, query):
    client.force_login(medical_staff)

    page = found(client, "/staff/placements/", query)

    assert f"/staff/placements/{case.pk}/" not in page


def test_medical_staff_find_a_case_by_the_childs_iin_and_the_parents_name(
    client, medical_staff, case
):
    client.force_login(medical_staff)

    assert f"/staff/placements/{case.pk}/" in found(client, "/staff/placements/", CHILD_IIN)
    assert f"/staff/placements/{case.pk}/" in found(client, "/staff/placements/", "Гүлназ")


@pytest.mark.parametrize("query", [PARENT_IIN, "87121649"])
def test_a_social_worker_finds_a_case_by_a_parents_iin(client, social_worker, case, query):
    client.force_login(social_worker)

    assert f"/staff/placements/{case.pk}/" in found(client, "/staff/placements/", query)


ADMIN_SEARCHES = [
    "/admin/placements/placement/",
    "/admin/families/parent/",
    "/admin/families/childparent/",
    "/admin/families/consent/",
    "/admin/placements/visit/",
]


@pytest.mark.parametrize("url", ADMIN_SEARCHES)
def test_the_admins_searches_do_not_answer_medical_staff_by_a_parents_iin(
    client, medical_staff, case, url
):
    client.force_login(medical_staff)

    response = client.get(url, {"q": "87121649"})

    assert response.status_code in (200, 403)
    assert "Гүлназ" not in response.content.decode()
    assert "/change/" not in response.content.decode() or url.endswith("/parent/")


def test_the_admins_placement_search_answers_an_administrator_by_a_parents_iin(
    client, administrator, case
):
    client.force_login(administrator)

    page = client.get("/admin/placements/placement/", {"q": "87121649"}).content.decode()

    assert f"/admin/placements/placement/{case.pk}/change/" in page


def test_the_parent_autocomplete_does_not_search_by_iin_for_medical_staff(
    client, medical_staff, administrator, case
):
    query = {
        "app_label": "families",
        "model_name": "childparent",
        "field_name": "parent",
        "term": "87121649",
    }
    client.force_login(medical_staff)
    doctor = client.get("/admin/autocomplete/", query)
    client.force_login(administrator)
    admin = client.get("/admin/autocomplete/", query)

    assert doctor.status_code == 403 or doctor.json()["results"] == []
    assert ["Гүлназ" in r["text"] for r in admin.json()["results"]] == [True]


def test_the_rule_reaches_the_iin_through_any_relation(medical_staff, social_worker):
    fields = ["child__surname", "child__iin", "child__parents__iin"]

    assert need_to_know.searchable(medical_staff, Placement, fields) == fields[:2]
    assert need_to_know.searchable(medical_staff, ChildParent, ["parent__iin"]) == []
    assert need_to_know.searchable(medical_staff, Parent, ["iin", "phone"]) == ["phone"]
    assert need_to_know.searchable(social_worker, Placement, fields) == fields


def test_what_each_role_sees_of_a_parent(administrator, social_worker, medical_staff, outsider):
    everything = {need_to_know.PARENT_IIN, need_to_know.PARENT_PHONE, need_to_know.PARENT_ADDRESS}
    family_work = {need_to_know.INSPECTION_FINDINGS, need_to_know.REFERRALS}

    assert need_to_know.shown(administrator) == everything | family_work
    assert need_to_know.shown(social_worker) == everything | family_work
    assert need_to_know.shown(medical_staff) == everything - {need_to_know.PARENT_IIN}
    assert need_to_know.shown(outsider) == frozenset()


@pytest.mark.parametrize("what", ["placements", "visits"])
def test_an_export_with_names_leaves_out_the_iin_of_a_parent_the_user_may_not_see(
    client, django_user_model, case, make_visit, what
):
    """A role that may export with names but not see parents' IINs (none has it
    today: the rule holds for any new one)."""
    import csv
    import io

    from django.contrib.auth.models import Permission

    exporter = django_user_model.objects.create_user("exporter", password="x" * 20)
    for codename in ("view_placement", "export_placements", "export_personal_data"):
        exporter.user_permissions.add(Permission.objects.get(codename=codename))
    make_visit(case, days_ago=1)
    client.force_login(exporter)
    today = datetime.date.today()

    response = client.post(
        "/staff/exports/",
        {
            "what": what,
            "date_from": (today - datetime.timedelta(days=60)).isoformat(),
            "date_to": today.isoformat(),
            "with_names": "on",
        },
    )

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Сынақова" in text  # names: yes
    assert PARENT_IIN not in text and CHILD_IIN in text
    assert list(csv.reader(io.StringIO(text)))  # a real table
