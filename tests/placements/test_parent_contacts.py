"""Social workers keep parents' phones and addresses current: from the case page, and
at an intake that picks a parent already on file (the typed contacts are offered, not
silently dropped). The history keeps what they were."""

import datetime

import pytest

from families.models import Parent

pytestmark = pytest.mark.django_db

URL = "/staff/placements/new/"


@pytest.fixture
def placement(make_placement):
    return make_placement(days_ago=30)


def contacts_url(placement, parent):
    return f"/staff/placements/{placement.pk}/parents/{parent.pk}/"


def test_a_social_worker_updates_a_parents_phone_and_address_from_the_case(
    client, social_worker, placement
):
    parent = placement.child.parents.get()
    before = (parent.phone, parent.address)
    client.force_login(social_worker)
    page = client.get(f"/staff/placements/{placement.pk}/").content.decode()
    assert f'href="{contacts_url(placement, parent)}"' in page

    response = client.post(
        contacts_url(placement, parent),
        {"phone": "8 (701) 010-30-06", "address": "Астана, Жаңа көше 5"},
    )

    assert response.status_code == 302
    parent.refresh_from_db()
    assert (parent.phone, parent.address) == ("+77010103006", "Астана, Жаңа көше 5")
    oldest = parent.history.earliest()
    assert (oldest.phone, oldest.address) == before
    assert parent.history.latest().history_user == social_worker


def test_a_bad_phone_is_refused_and_nothing_changes(client, social_worker, placement):
    parent = placement.child.parents.get()
    client.force_login(social_worker)

    response = client.post(contacts_url(placement, parent), {"phone": "12", "address": "X"})

    assert response.status_code == 200
    assert "Enter a Kazakhstan phone number" in response.content.decode()
    assert Parent.objects.get(pk=parent.pk).address == parent.address


def test_only_a_parent_of_this_child_and_only_with_the_permission(
    client, social_worker, medical_staff, placement, make_parent
):
    stranger = make_parent()
    client.force_login(social_worker)
    assert client.get(contacts_url(placement, stranger)).status_code == 404
    client.force_login(medical_staff)
    parent = placement.child.parents.get()
    assert client.post(contacts_url(placement, parent), {"phone": ""}).status_code == 403


@pytest.fixture
def on_file(make_parent):
    """The mother of the intake form, on file with an older phone and address."""
    return make_parent(
        surname="Қасымова",
        given_name="Әлия",
        date_of_birth=datetime.date(1998, 4, 2),
        phone="+77770000000",
        address="Қарағанды",
    )


def test_an_intake_shows_what_differs_from_the_parent_on_file(
    client, social_worker, intake_form, on_file
):
    client.force_login(social_worker)

    html = client.post(URL, intake_form).content.decode()

    assert f'name="parent1-existing" value="{on_file.pk}"' in html
    assert "«Қарағанды»" in html and "«Астана»" in html
    assert 'name="parent1-update" value="1"' in html


@pytest.mark.parametrize("update", [True, False])
def test_the_typed_contacts_replace_those_on_file_only_when_asked(
    client, social_worker, intake_form, on_file, update
):
    client.force_login(social_worker)
    intake_form["parent1-existing"] = str(on_file.pk)
    if update:
        intake_form["parent1-update"] = "1"

    response = client.post(URL, intake_form)

    assert response.status_code == 302
    on_file.refresh_from_db()
    expected = ("+77015554433", "Астана") if update else ("+77770000000", "Қарағанды")
    assert (on_file.phone, on_file.address) == expected
    assert Parent.objects.count() == 1
