import pytest
from django.urls import reverse

from families.models import Consent, Parent

pytestmark = pytest.mark.django_db


def _management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def _parent_with_consent(**overrides):
    data = {
        "surname": "Тестова",
        "given_name": "Жанар",
        "patronymic": "",
        "iin": "991231409876",
        "date_of_birth": "1999-12-31",
        "sex": "F",
        "phone": "8 701 555 44 33",
        "address": "",
        **_management("child_links", 0),
        **_management("consents", 1),
        "consents-0-given_on": "2026-11-01",
        "consents-0-covers": "Деректерді өңдеуге келісім",
        "consents-0-withdrawn_on": "",
    }
    data.update(overrides)
    return data


def test_a_parent_is_registered_with_consent_stamped_by_the_user(client, administrator):
    client.force_login(administrator)

    client.post(reverse("admin:families_parent_add"), _parent_with_consent())

    parent = Parent.objects.get()
    consent = Consent.objects.get(parent=parent)
    assert parent.phone == "+77015554433"
    assert consent.recorded_by == administrator


def test_an_iin_that_contradicts_the_birth_date_keeps_everything_typed(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("admin:families_parent_add"), _parent_with_consent(date_of_birth="1999-12-30")
    )

    assert response.status_code == 200
    assert "31.12.1999" in response.content.decode()
    form = response.context["adminform"].form
    assert form["phone"].value() == "8 701 555 44 33"
    assert not Parent.objects.exists()


def test_medical_staff_may_read_but_not_register_parents(client, medical_staff):
    client.force_login(medical_staff)

    response = client.post(reverse("admin:families_parent_add"), _parent_with_consent())

    assert response.status_code == 403
    assert not Parent.objects.exists()
