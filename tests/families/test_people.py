import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms import modelform_factory
from django.utils import timezone

from families import services
from families.models import Child, ChildParent, Consent, Parent, Relation, Sex

pytestmark = pytest.mark.django_db


def _errors(obj):
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    return error.value.message_dict


def test_it_says_when_the_iin_disagrees_with_the_date_of_birth():
    child = Child(
        surname="Тестов",
        given_name="Мирас",
        iin="210315500049",
        date_of_birth=datetime.date(2021, 3, 16),
        sex=Sex.MALE,
    )

    errors = _errors(child)

    assert "15.03.2021" in errors["date_of_birth"][0]


def test_it_says_when_the_iin_disagrees_with_the_sex():
    child = Child(
        surname="Тестова",
        given_name="Амина",
        iin="210315500049",
        date_of_birth=datetime.date(2021, 3, 15),
        sex=Sex.FEMALE,
    )

    assert "sex" in _errors(child)


def test_an_iin_that_matches_birth_date_and_sex_is_accepted():
    Child(
        surname="Тестов",
        given_name="Мирас",
        iin="210315500049",
        date_of_birth=datetime.date(2021, 3, 15),
        sex=Sex.MALE,
    ).full_clean()


def test_a_bad_iin_is_reported_on_the_iin_field():
    child = Child(
        surname="Тестов",
        given_name="Мирас",
        iin="210315500048",
        date_of_birth=datetime.date(2021, 3, 15),
        sex=Sex.MALE,
    )

    assert "check digit" in _errors(child)["iin"][0]


def test_a_date_of_birth_in_the_future_is_refused():
    child = Child(
        surname="Тестов",
        given_name="Мирас",
        sex=Sex.MALE,
        date_of_birth=timezone.localdate() + datetime.timedelta(days=1),
    )

    assert "date_of_birth" in _errors(child)


def test_two_parents_may_both_have_no_iin(make_parent):
    make_parent(iin="")
    make_parent(iin="")

    assert Parent.objects.filter(iin="").count() == 2


def test_an_iin_is_unique_among_parents(make_parent):
    make_parent(
        iin="900101300017",
        date_of_birth=datetime.date(1990, 1, 1),
        sex=Sex.MALE,
        relation=Relation.FATHER,
    )
    duplicate = Parent(
        surname="Басқа",
        given_name="Адам",
        iin="900101300017",
        date_of_birth=datetime.date(1990, 1, 1),
        sex=Sex.MALE,
    )

    assert "already exists" in " ".join(_errors(duplicate)["__all__"])
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_the_database_refuses_an_iin_of_the_wrong_length(make_parent):
    parent = make_parent()

    with pytest.raises(IntegrityError), transaction.atomic():
        Parent.objects.filter(pk=parent.pk).update(iin="12345")


def test_a_mother_must_be_recorded_as_female(make_child, make_parent):
    child = make_child()
    father = make_parent(relation=Relation.FATHER)

    assert "relation" in _errors(ChildParent(child=child, parent=father, relation=Relation.MOTHER))


def test_a_child_has_at_most_one_mother(make_child, make_parent):
    child = make_child()
    make_parent(child=child, relation=Relation.MOTHER)
    second = make_parent()

    with pytest.raises(IntegrityError), transaction.atomic():
        ChildParent.objects.create(child=child, parent=second, relation=Relation.MOTHER)


def test_a_child_may_have_several_other_legal_representatives(make_child, make_parent):
    child = make_child()
    make_parent(child=child, relation=Relation.REPRESENTATIVE)
    make_parent(child=child, relation=Relation.REPRESENTATIVE)

    assert child.parents.count() == 2


def _parent_form(phone):
    form_class = modelform_factory(
        Parent, fields=["surname", "given_name", "date_of_birth", "sex", "phone"]
    )
    data = {"surname": "Тестова", "given_name": "Дана", "date_of_birth": "1995-05-17"}
    return form_class({**data, "sex": "F", "phone": phone})


def test_the_phone_is_normalised_by_any_form_of_the_model():
    form = _parent_form("8 (701) 123-45-67")

    assert form.is_valid(), form.errors
    assert form.save().phone == "+77011234567"


def test_a_bad_phone_keeps_the_form_and_says_what_to_type():
    form = _parent_form("12345")

    assert not form.is_valid()
    assert "+7 701 123 45 67" in form.errors["phone"][0]
    assert form["surname"].value() == "Тестова"


def test_consent_is_in_force_until_withdrawn(make_parent, social_worker, administrator, today):
    parent = make_parent()
    consent = Consent.objects.create(
        parent=parent,
        given_on=today - datetime.timedelta(days=10),
        covers="Деректер",
        recorded_by=social_worker,
    )
    assert consent.withdrawn_on is None

    services.consent_withdraw(consent=consent, on=today, reason="Передумала", by=administrator)

    consent.refresh_from_db()
    assert consent.withdrawn_on == today
    assert consent.history.latest().history_user == administrator


def test_consent_cannot_be_withdrawn_twice(make_parent, social_worker, administrator, today):
    consent = Consent.objects.create(
        parent=make_parent(), given_on=today, covers="Деректер", recorded_by=social_worker
    )
    services.consent_withdraw(consent=consent, reason="Передумала", by=administrator)

    with pytest.raises(ValidationError):
        services.consent_withdraw(consent=consent, reason="Передумала", by=administrator)


def test_the_database_refuses_a_withdrawal_before_the_consent(make_parent, social_worker, today):
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(
            parent=make_parent(),
            given_on=today,
            covers="Деректер",
            recorded_by=social_worker,
            withdrawn_on=today - datetime.timedelta(days=1),
        )
