import pytest

from crisisunit.lib.names import name_key


@pytest.mark.parametrize(
    "spellings",
    [
        ["Әлия", "Алия", "ALIYA", "Aliya", "Aliia"],
        ["Қасымова", "Касымова", "Qasymova", "Kasymova"],
        ["Жанар", "Zhanar", "Janar"],
        ["Ахметов", "Akhmetov", "Ahmetov"],
        ["Ерлан", "Yerlan", "Erlan"],
        ["Айгүл", "Aigul", "Aygul"],
        ["Наталья", "Natalya", "Natalia"],
        ["Щукина", "Shchukina", "Shukina"],
    ],
)
def test_one_name_spelled_many_ways_has_one_key(spellings):
    assert len({name_key(s) for s in spellings}) == 1


@pytest.mark.parametrize(
    ("one", "other"), [("Алия", "Алина"), ("Жанар", "Анар"), ("Ерлан", "Арлан")]
)
def test_different_names_keep_different_keys(one, other):
    assert name_key(one) != name_key(other)
