"""What the public site shows from the content, where the content comes from, and who
may edit it."""

import importlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.urls import reverse

from content.models import DocumentItem, Home, Office, Question, Section
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

first_content = importlib.import_module("content.migrations.0002_first_content")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("kk", ["Қазір не істеу керек", "ана мен бала бөлімі", "№ 106-486"]),
        ("ru", ["Что делать сейчас", "Отдел опеки и попечительства", "№ 106-486"]),
        ("en", ["What to do now", "Guardianship and custody department", "No. 106-486"]),
    ],
)
def test_the_first_content_is_the_information_page_as_it_was(client, language, words):
    html = client.get(f"/{language}/").content.decode()

    for word in words:
        assert word in html
    assert Section.objects.count() == 6 and Office.objects.count() == 2
    assert Home.load().missing_translations() == []


def test_the_first_content_takes_the_home_contacts_from_the_settings(settings):
    from content import first_run

    settings.HOME_CONTACT = {
        "name": "Дом ребёнка №1",
        "address": "Астана, ул. Примерная, 1",
        "phone": "+7 7172 11 22 33",
        "email": "home@example.kz",
        "hours": "09:00–18:00",
    }
    # The models as the migration sees them: no signals, so no history but its own.
    state = MigrationLoader(connection).project_state(("content", "0002_first_content")).apps
    for name in ("Home", "Section", "Office", "DocumentItem", "Question", "Announcement"):
        for model_name in (name, f"Historical{name}"):  # a database before the content
            state.get_model("content", model_name).objects.all().delete()

    first_content.fill(state, None)
    first_run.home_from_settings()

    home = Home.load()
    assert (home.name_ru, home.address_kk) == ("Дом ребёнка №1", "Астана, ул. Примерная, 1")
    assert (home.phones, home.email, home.office_hours_en) == (
        "+7 7172 11 22 33",
        "home@example.kz",
        "09:00–18:00",
    )
    assert home.history.count() == 2  # the first content, then the settings
    html = Client().get("/ru/").content.decode()
    assert 'href="tel:+77172112233"' in html and 'href="mailto:home@example.kz"' in html


def test_contacts_left_empty_are_left_out(client):
    Home.objects.update(phones="", email="", address_kk="", address_ru="", address_en="")

    html = client.get("/en/").content.decode()

    assert "tel:" not in html.split("<footer")[1] and "mailto:" not in html
    assert "the address is at the bottom of this page" not in html


def test_the_home_page_links_what_a_parent_looks_for(client):
    html = client.get("/ru/").content.decode()

    for page in ("contacts", "documents", "questions"):
        assert f'href="/ru/{page}/"' in html


def test_the_contacts_page_shows_the_home_and_the_referral_offices(client):
    Home.objects.update(
        address_ru="Астана, ул. Примерная, 1",
        map_url="https://2gis.kz/astana",
        visiting_hours_ru="Ежедневно **10:00–12:00**",
    )
    Office.objects.filter(position=10).update(
        address_ru="Астана, ул. Офисная, 5", phones="87172334455"
    )

    html = client.get("/ru/contacts/").content.decode()

    assert "Астана, ул. Примерная, 1" in html and 'href="https://2gis.kz/astana"' in html
    assert "Ежедневно <strong>10:00–12:00</strong>" in html
    assert "Отдел матери и ребёнка" in html and "Астана, ул. Офисная, 5" in html
    assert 'href="tel:+77172334455"' in html


def test_the_documents_and_questions_pages_list_what_is_shown(client):
    documents = client.get("/kk/documents/").content.decode()
    questions = client.get("/en/questions/").content.decode()

    assert DocumentItem.objects.count() == 3
    for document in DocumentItem.objects.all():
        assert document.name_kk in documents
    assert "Do I have to give up my child?" in questions
    assert "at least once a week" in questions.lower()
    assert Question.objects.count() == 4


def test_an_editor_signing_in_lands_in_the_admin(client, content_editor):
    response = client.post(
        "/staff/login/", {"username": content_editor.username, "password": PASSWORD}
    )

    assert response["Location"] == "/admin/"


def test_an_editor_sees_the_public_site_and_nothing_of_the_cases(client, content_editor):
    client.force_login(content_editor)

    index = client.get(reverse("admin:index")).content.decode()

    assert "/admin/content/section/" in index
    assert "/admin/placements/" not in index and "/admin/families/" not in index
    assert client.get("/staff/").status_code == 403
    assert client.get("/staff/placements/").status_code == 403
    assert client.get("/admin/families/parent/").status_code == 403


def test_the_demo_fills_example_contacts_and_an_editor_login(client):
    call_command("demo", password="a-demo-password-for-tests", stdout=open("/dev/null", "w"))  # noqa: SIM115

    html = client.get("/kk/contacts/").content.decode()

    assert "tel:+77172000000" in html and "crisis-unit@example.kz" in html
    assert "Ата-аналардың келу уақыты" in html and "10:00–12:00" in html
    assert Office.objects.exclude(address_kk="").count() == 2
    assert Home.load().missing_translations() == []


@pytest.mark.parametrize("url", ["/kk/", "/kk/contacts/", "/kk/documents/", "/kk/questions/"])
def test_a_public_page_costs_the_same_few_queries_however_much_content_there_is(
    client, url, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        client.get(url)
    for n in range(20):
        Section.objects.create(anchor=f"extra-{n}", title_kk=f"Бөлім {n}", body_kk="Мәтін")
        Question.objects.create(question_kk=f"Сұрақ {n}", answer_kk="Жауап")
        DocumentItem.objects.create(name_kk=f"Құжат {n}")
        Office.objects.create(name_kk=f"Мекеме {n}", phones="+7 7172 00 00 00")

    with django_assert_max_num_queries(8):
        assert client.get(url.replace("/kk/", "/ru/")).status_code == 200


def test_the_settings_never_overwrite_contacts_the_home_edited(settings, administrator):
    from content import first_run

    home = Home.load()
    home.phones, home._change_reason = "+7 7172 99 99 99", "edited"
    home.save()
    settings.HOME_CONTACT = {"name": "", "address": "", "phone": "+7 7172 11 22 33",
                             "email": "", "hours": ""}  # fmt: skip

    first_run.home_from_settings()

    assert Home.load().phones == "+7 7172 99 99 99"


def test_no_migration_reads_a_setting():
    """A migration does the same wherever it runs (code review finding 10)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    reads = []
    for path in root.glob("*/migrations/0*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "settings"
                and node.attr != "AUTH_USER_MODEL"
            ):
                reads.append(f"{path.relative_to(root)}: settings.{node.attr}")
    assert reads == []
