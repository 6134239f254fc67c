"""The placement list finds a case however its names, IIN, date of birth or phone are
typed; it shows each child's age and sorts by any column (issue "Daily casework")."""

import datetime
import re

import pytest
from django.db import connection

from families import services as family_services
from families.builders import fictitious_iin
from families.models import Child, Parent, Sex
from placements.services import caseload_load

pytestmark = pytest.mark.django_db

BORN = datetime.date(2024, 3, 12)


@pytest.fixture
def aigerim(make_child, make_parent, make_placement):
    """Айгерім Сынақова, born 12.03.2024, whose mother Дана's phone is +7 701 010 30 06."""
    child = make_child(
        surname="Сынақов",
        given_name="Айгерім",
        sex=Sex.FEMALE,
        date_of_birth=BORN,
        iin=fictitious_iin(BORN, Sex.FEMALE, 4321),
    )
    make_parent(child=child, surname="Сынақов", given_name="Дана", phone="+77010103006")
    make_placement(child=child)
    make_placement(child=make_child(surname="Иванов", given_name="Айгерим", sex=Sex.FEMALE))
    return child


def found(client, user, text, **params):
    client.force_login(user)
    response = client.get("/staff/placements/", {"q": text, **params})
    assert response.status_code == 200
    return [str(p.child) for p in response.context["page"].object_list]


@pytest.mark.parametrize(
    "typed",
    [
        "Сынақова Айгерім",
        "Айгерим Сынакова",  # Russian letters for the Kazakh ones
        "Сынакова",
        "сынақ",  # the start of it, in small letters
        "AIGERIM SYNAKOVA",  # Latin, in capitals
        "Aigerim Sinakova",
        "Дана Айгерим",  # the mother's given name and the child's
    ],
)
def test_each_spelling_of_the_names_finds_the_child(client, social_worker, aigerim, typed):
    assert found(client, social_worker, typed) == [str(aigerim)]


@pytest.mark.parametrize(
    "typed",
    ["8 701 010 30 06", "+7 701 010 30 06", "87010103006", "(701) 010-30-06", "8-701-010-30-06"],
)
def test_the_mothers_phone_in_any_spelling_finds_the_child(client, social_worker, aigerim, typed):
    assert found(client, social_worker, typed) == [str(aigerim)]


@pytest.mark.parametrize("typed", ["12.03.2024", "2024-03-12", "12/03/2024"])
def test_the_date_of_birth_finds_the_child(client, social_worker, aigerim, typed):
    assert found(client, social_worker, typed) == [str(aigerim)]


def test_the_iin_whole_or_in_part_finds_the_child(client, social_worker, aigerim):
    assert found(client, social_worker, aigerim.iin) == [str(aigerim)]
    assert found(client, social_worker, aigerim.iin[:8]) == [str(aigerim)]


def test_every_word_must_match(client, social_worker, aigerim):
    ivanova = Child.objects.get(surname="Иванова")
    assert set(found(client, social_worker, "Айгерим")) == {str(aigerim), str(ivanova)}
    assert found(client, social_worker, "Айгерим Петрова") == []
    assert found(client, social_worker, "Айгерим 8 701 999 99 99") == []


def test_the_list_shows_the_date_of_birth_and_age(client, social_worker, aigerim, today):
    client.force_login(social_worker)
    html = client.get("/staff/placements/", {"q": "Сынақова"}).content.decode()

    years = (today - BORN).days // 365
    assert "12.03.2024" in html
    assert f"{years} year" in html


def test_the_columns_sort_both_ways_and_say_so(client, social_worker, make_child, make_placement):
    for days, name in ((300, "Анна"), (100, "Бота"), (700, "Вера")):
        child = make_child(
            given_name=name, date_of_birth=datetime.date.today() - datetime.timedelta(days=days)
        )
        make_placement(child=child)

    youngest_first = found(client, social_worker, "", sort="age")
    oldest_first = found(client, social_worker, "", sort="-age")
    by_name = found(client, social_worker, "", sort="child")

    assert [n.split()[1] for n in youngest_first] == ["Бота", "Анна", "Вера"]
    assert oldest_first == youngest_first[::-1]
    assert [n.split()[1] for n in by_name] == ["Анна", "Бота", "Вера"]
    html = client.get("/staff/placements/", {"sort": "age"}).content.decode()
    assert 'aria-sort="ascending"' in html and "sort=-age" in html


def test_a_sort_link_that_means_nothing_keeps_the_search(client, social_worker, aigerim):
    assert found(client, social_worker, "Сынакова", sort="password") == [str(aigerim)]


def test_the_stored_name_key_always_equals_the_computed_one(
    aigerim, administrator, social_worker, make_child
):
    def computed(person):
        copy = type(person)(
            surname=person.surname, given_name=person.given_name, patronymic=person.patronymic
        )
        copy.set_search_key()
        return copy.search_key

    aigerim.surname = "Қасымова"
    family_services.person_save(person=aigerim, by=administrator)
    bulk = make_child(given_name="Жаңа")  # saved through full_clean
    loaded = Child(surname="Тоқтарова", given_name="Әсем", date_of_birth=BORN, sex=Sex.FEMALE)
    caseload_load(records=[(Child, [loaded])], by=social_worker, validate=False)

    for person in [*Child.objects.all(), *Parent.objects.all()]:
        assert person.search_key == computed(person), person
    assert Child.objects.get(pk=aigerim.pk).search_key.startswith("kasimova")
    assert bulk.search_key


@pytest.mark.postgres
def test_on_postgresql_the_name_keys_have_a_trigram_index():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%search_key_trgm"]
        )
        names = {row[0] for row in cursor.fetchall()}

    assert names == {"families_child_search_key_trgm", "families_parent_search_key_trgm"}


def test_the_intake_phone_input_takes_any_spelling_without_cutting_it(client, social_worker):
    client.force_login(social_worker)
    html = client.get("/staff/placements/new/").content.decode()

    inputs = re.findall(r"<input[^>]*name=\"[^\"]*phone\"[^>]*>", html)
    assert inputs
    for tag in inputs:
        assert 'maxlength="32"' in tag and 'inputmode="tel"' in tag, tag
