"""Intake: child, parents, consent and placement in one flow, without duplicates."""

import datetime

import pytest
from django.utils import timezone

from families.models import Child, ChildParent, Consent, Parent
from placements.models import Placement
from placements.services import IntakeError

pytestmark = pytest.mark.django_db

URL = "/staff/placements/new/"


@pytest.fixture
def signed_in(client, social_worker):
    client.force_login(social_worker)
    return client


@pytest.fixture
def form_data(intake_form):
    return intake_form


def test_the_intake_registers_child_mother_consent_and_placement(
    signed_in, form_data, social_worker
):
    response = signed_in.post(URL, form_data)

    placement = Placement.objects.get()
    assert response["Location"] == f"/staff/placements/{placement.pk}/"
    assert str(placement.child) == "Қасымова Айару"
    mother = Parent.objects.get()
    assert mother.sex == "F" and mother.phone == "+77015554433"
    assert ChildParent.objects.get().relation == "mother"
    consent = Consent.objects.get()
    assert (consent.parent, consent.recorded_by) == (mother, social_worker)
    assert placement.planned_end_on > placement.admitted_on


def test_a_second_parent_is_registered_when_filled_in(signed_in, form_data):
    form_data.update(
        {
            "parent2-surname": "Қасымов",
            "parent2-given_name": "Ерлан",
            "parent2-date_of_birth": "1995-01-09",
        }
    )

    signed_in.post(URL, form_data)

    relations = set(ChildParent.objects.values_list("relation", flat=True))
    assert relations == {"mother", "father"}
    assert Parent.objects.get(given_name="Ерлан").sex == "M"
    assert Consent.objects.count() == 2


def test_errors_keep_every_value_typed_and_save_nothing(signed_in, form_data):
    form_data["child-date_of_birth"] = "2099-01-01"
    form_data["parent1-phone"] = "12345"

    response = signed_in.post(URL, form_data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "The date of birth cannot be in the future." in html
    assert "Әлия" in html and "Қасымова" in html and 'value="12345"' in html
    assert not Child.objects.exists() and not Parent.objects.exists()


def test_a_parent_with_the_same_iin_is_offered_and_never_duplicated(
    signed_in, form_data, make_parent
):
    existing = make_parent(surname="Касымова", given_name="Алия", iin="980402410001",
                           date_of_birth=datetime.date(1998, 4, 2))  # fmt: skip
    form_data["parent1-iin"] = "980402410001"

    response = signed_in.post(URL, form_data)

    html = response.content.decode()
    assert f'name="parent1-existing" value="{existing.pk}"' in html
    assert 'name="parent1-existing" value="new"' not in html  # the IIN is the same person
    assert not Placement.objects.exists()

    form_data["parent1-existing"] = str(existing.pk)
    signed_in.post(URL, form_data)

    assert Parent.objects.count() == 1
    assert Placement.objects.get().child.parents.get() == existing


@pytest.mark.parametrize("spelling", [("Kasymova", "Aliya"), ("КАСЫМОВА", "алия")])
def test_a_parent_with_the_same_birth_date_and_a_similar_name_is_offered(
    signed_in, form_data, make_parent, spelling
):
    surname, given_name = spelling
    existing = make_parent(surname=surname, given_name=given_name,
                           date_of_birth=datetime.date(1998, 4, 2))  # fmt: skip

    html = signed_in.post(URL, form_data).content.decode()

    assert f'name="parent1-existing" value="{existing.pk}"' in html
    assert 'name="parent1-existing" value="new"' in html
    assert "Already on file?" in html
    assert not Placement.objects.exists()


def test_saying_it_is_someone_new_creates_a_new_record(signed_in, form_data, make_parent):
    make_parent(surname="Kasymova", given_name="Aliya", date_of_birth=datetime.date(1998, 4, 2))
    form_data["parent1-existing"] = "new"

    signed_in.post(URL, form_data)

    assert Parent.objects.count() == 2
    assert Placement.objects.count() == 1


def test_a_different_birth_date_is_not_a_match(signed_in, form_data, make_parent):
    make_parent(surname="Қасымова", given_name="Әлия", date_of_birth=datetime.date(1998, 4, 3))

    signed_in.post(URL, form_data)

    assert Placement.objects.count() == 1 and Parent.objects.count() == 2


def test_a_child_already_on_file_is_offered_for_a_new_stay(
    signed_in, form_data, make_return, today
):
    earlier = make_return(today - datetime.timedelta(days=100)).child
    form_data["child-surname"] = earlier.surname.upper()
    form_data["child-given_name"] = earlier.given_name
    form_data["child-date_of_birth"] = earlier.date_of_birth.isoformat()
    form_data["child-sex"] = earlier.sex

    html = signed_in.post(URL, form_data).content.decode()
    assert f'name="child-existing" value="{earlier.pk}"' in html
    stay = earlier.placements.get()
    dates = f"{stay.admitted_on:%d.%m.%Y}–{stay.closed_on:%d.%m.%Y}"
    in_care = f"In care before: {dates}, returned to the biological family"
    assert in_care in html  # issue 31, item 6

    mother = earlier.parents.get()
    form_data["parent1-surname"] = mother.surname
    form_data["parent1-given_name"] = mother.given_name
    form_data["parent1-date_of_birth"] = mother.date_of_birth.isoformat()
    form_data["child-existing"] = str(earlier.pk)
    form_data["parent1-existing"] = str(mother.pk)
    signed_in.post(URL, form_data)

    assert earlier.placements.count() == 2
    assert Child.objects.count() == 1


def test_a_child_still_in_care_cannot_be_admitted_again(
    signed_in, form_data, make_placement, make_child
):
    child = make_child(surname="Қасымова", given_name="Айару",
                       date_of_birth=timezone.localdate() - datetime.timedelta(days=200),
                       sex="F")  # fmt: skip
    mother = make_placement(child=child, days_ago=10).child.parents.get()
    form_data["parent1-surname"] = mother.surname
    form_data["parent1-given_name"] = mother.given_name
    form_data["parent1-date_of_birth"] = mother.date_of_birth.isoformat()
    form_data["child-existing"] = str(child.pk)
    form_data["parent1-existing"] = str(mother.pk)

    response = signed_in.post(URL, form_data)

    assert "This child has another placement over these dates." in response.content.decode()
    assert child.placements.count() == 1
    assert Parent.objects.count() == 1
    assert Consent.objects.count() == 0  # the consent written before the refusal is undone


def test_a_person_registered_while_the_page_was_open_is_not_made_twice(
    signed_in, form_data, social_worker
):
    """Reliability #3, one step at a time: the page was checked for people on file while
    nobody matched; someone else registers the same mother and child; then it is sent."""
    from placements.intake import Intake

    late = Intake(form_data, user=social_worker)
    assert late.is_valid() and late.matches_decided()  # nobody on file yet
    assert signed_in.post(URL, form_data).status_code == 302  # someone else, first

    with pytest.raises(IntakeError) as refused:
        late.admit(by=social_worker)

    assert refused.value.part == "child"
    assert "was registered a moment ago" in refused.value.error.messages[0]
    assert Placement.objects.count() == 1 and Parent.objects.count() == 1
