import pytest
from django.core.exceptions import ValidationError

from crisisunit.lib.phone import KzPhoneFormField, format_kz_phone, normalize_kz_phone


@pytest.mark.parametrize(
    "written",
    [
        "+7 701 123 45 67",
        "+77011234567",
        "8 (701) 123-45-67",
        "87011234567",
        "77011234567",
        "7011234567",
        " 8-701-123-45-67 ",
        "8.701.123.45.67",
    ],
)
def test_the_usual_ways_of_writing_a_mobile_number_are_normalised(written):
    assert normalize_kz_phone(written) == "+77011234567"


def test_an_astana_landline_is_accepted():
    assert normalize_kz_phone("8 7172 55 66 77") == "+77172556677"


@pytest.mark.parametrize(
    "written",
    [
        "+7 912 345 67 89",  # a Russian mobile number
        "+44 20 7946 0958",  # not +7
        "701 123 45",  # too short
        "+7 701 123 45 678",  # too long
        "phone me",
        "8 701 ABC 45 67",
        "++77011234567",
    ],
)
def test_it_refuses_what_is_not_a_kazakhstan_number(written):
    with pytest.raises(ValidationError) as error:
        normalize_kz_phone(written)

    assert "+7 701 123 45 67" in error.value.messages[0]


def test_the_form_field_hands_on_the_canonical_form_and_allows_empty():
    field = KzPhoneFormField(required=False)

    assert field.clean("8 (701) 123-45-67") == "+77011234567"
    assert field.clean("") == ""


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("8 701 010 30 06", "+77010103006"),  # as the social worker typed it
        ("+7 701 123 45 67", "+77011234567"),  # the help text's own example
        ("8 (7172) 55-66-77", "+77172556677"),
        ("+7 (7172) 55 66 77", "+77172556677"),
    ],
)
def test_the_spellings_that_were_cut_at_12_characters_are_accepted(written, stored):
    assert len(written) > 12
    assert KzPhoneFormField(required=False).clean(written) == stored


def test_letters_are_refused_not_read_as_keypad_digits():
    with pytest.raises(ValidationError):
        normalize_kz_phone("8 701 CALL ME")


def test_a_stored_number_is_shown_as_people_read_it():
    assert format_kz_phone("+77010103006") == "+7 701 010 3006"
    assert format_kz_phone("+77172556677") == "+7 7172 55 66 77"
