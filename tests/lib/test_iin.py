import datetime

import pytest
from django.core.exceptions import ValidationError

from crisisunit.lib.iin import FEMALE, MALE, parse_iin, validate_iin

# Check digits below were worked out by hand with the decree's weights.


@pytest.mark.parametrize(
    ("number", "birth_date", "sex"),
    [
        ("900101300017", datetime.date(1990, 1, 1), MALE),
        ("991231409876", datetime.date(1999, 12, 31), FEMALE),
        ("010103600020", datetime.date(2001, 1, 3), FEMALE),
        ("210315500049", datetime.date(2021, 3, 15), MALE),
        # First pass gives 10; the second pass (weights 3..11,1,2) gives 4.
        ("880315400104", datetime.date(1988, 3, 15), FEMALE),
    ],
)
def test_a_valid_iin_gives_the_birth_date_and_sex(number, birth_date, sex):
    parsed = parse_iin(number)

    assert (parsed.birth_date, parsed.sex) == (birth_date, sex)


def _code(number):
    with pytest.raises(ValidationError) as error:
        parse_iin(number, today=datetime.date(2026, 11, 24))
    return error.value.code


def test_it_refuses_a_wrong_check_digit():
    assert _code("900101300018") == "iin_check_digit"


def test_it_refuses_the_never_issued_numbers_instead_of_using_zero():
    # Both passes give 10 for 88031540013: no check digit exists, 0 included.
    assert _code("880315400130") == "iin_never_issued"
    assert _code("880315400131") == "iin_never_issued"


@pytest.mark.parametrize("number", ["900230300017", "901301300017", "900100300017"])
def test_it_refuses_an_impossible_birth_date(number):
    assert _code(number) == "iin_date"


@pytest.mark.parametrize("century", ["0", "7", "9"])
def test_it_refuses_a_wrong_century_digit(century):
    assert _code(f"900101{century}00017") == "iin_century"


def test_it_refuses_a_birth_date_in_the_future():
    # Century digit 5 makes 85 the year 2085.
    assert _code("850625501233") == "iin_future"


@pytest.mark.parametrize("number", ["90010130001", "9001013000170", ""])
def test_it_refuses_a_wrong_length(number):
    assert _code(number) in {"iin_length", "iin_digits"}


@pytest.mark.parametrize("number", ["90010130001a", "9001 1300017", "٩٠٠١٠١٣٠٠٠١٧", "-90101300017"])
def test_it_refuses_anything_but_ascii_digits(number):
    assert _code(number) == "iin_digits"


def test_the_message_says_how_many_digits_were_typed():
    with pytest.raises(ValidationError) as error:
        parse_iin("90010130001")

    assert "11" in error.value.messages[0]


def test_an_empty_value_is_left_to_the_field():
    validate_iin("")  # no error: the IIN is optional
