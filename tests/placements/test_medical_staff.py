"""Medical staff record a consultation or examination of the child without naming a
parent, with the specialist preset from their role, and see no parent's IIN."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from families import services as family_services
from families.builders import fictitious_iin

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(make_placement):
    return make_placement(days_ago=30)


def consult(client, placement, **fields):
    return client.post(
        f"/staff/placements/{placement.pk}/consultations/new/",
        {"held_on": timezone.localdate().isoformat(), "summary": "Осмотр: рост в норме", **fields},
    )


def test_a_doctor_examines_the_child_without_naming_a_parent(client, medical_staff, placement):
    client.force_login(medical_staff)

    response = consult(client, placement, parent="", specialist="doctor")

    assert response.status_code == 302
    consultation = placement.consultations.get()
    assert consultation.parent is None and consultation.recorded_by == medical_staff
    page = client.get(f"/staff/placements/{placement.pk}/").content.decode()
    assert "the child — Осмотр: рост в норме" in page


def test_a_lawyers_advice_still_names_the_parent(client, social_worker, placement):
    client.force_login(social_worker)

    response = consult(client, placement, parent="", specialist="lawyer")

    assert response.status_code == 200
    assert "Name the parent who was advised." in response.content.decode()
    assert not placement.consultations.exists()


@pytest.mark.parametrize(
    ("role", "preset"),
    [("medical_staff", "doctor"), ("social_worker", "social_worker"), ("administrator", "")],
)
def test_the_specialist_is_preset_from_the_role(client, request, placement, role, preset):
    client.force_login(request.getfixturevalue(role))

    html = client.get(f"/staff/placements/{placement.pk}/consultations/new/").content.decode()

    selected = re.findall(r'<option value="([^"]*)" selected>', html)
    assert (
        (preset in selected)
        if preset
        else not any(s in ("doctor", "social_worker") for s in selected)
    )
    assert "none: the child alone" in html


def test_medical_staff_see_no_parents_iin_anywhere_in_the_admin(
    client, medical_staff, social_worker, administrator, placement
):
    parent = placement.child.parents.get()
    parent.iin = fictitious_iin(parent.date_of_birth, parent.sex, 77)
    family_services.person_save(person=parent, by=administrator)
    parent.phone = "+77010103006"
    family_services.person_save(person=parent, by=administrator)  # a change in the history
    pages = [
        reverse("admin:families_parent_changelist"),
        reverse("admin:families_parent_change", args=[parent.pk]),
        reverse("admin:families_parent_history", args=[parent.pk]),
        reverse(
            "admin:families_parent_simple_history",
            args=[parent.pk, parent.history.earliest().history_id],
        ),
    ]

    client.force_login(medical_staff)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert parent.iin not in response.content.decode(), url
    found = client.get(reverse("admin:families_parent_changelist"), {"q": parent.iin})
    assert found.context["cl"].result_count == 0  # the IIN cannot be probed either

    client.force_login(social_worker)
    found = client.get(reverse("admin:families_parent_changelist"), {"q": parent.iin})
    assert found.context["cl"].result_count == 1
    assert parent.iin in client.get(pages[1]).content.decode()
    assert parent.iin in client.get(pages[2]).content.decode()
