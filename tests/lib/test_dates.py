import datetime

from crisisunit.lib.dates import add_months


def test_add_months_keeps_the_day():
    assert add_months(datetime.date(2026, 3, 15), 6) == datetime.date(2026, 9, 15)


def test_add_months_crosses_the_year():
    assert add_months(datetime.date(2026, 10, 2), 6) == datetime.date(2027, 4, 2)


def test_add_months_uses_the_last_day_of_a_shorter_month():
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2027, 8, 31), 6) == datetime.date(2028, 2, 29)


def test_add_months_goes_back():
    assert add_months(datetime.date(2026, 3, 31), -1) == datetime.date(2026, 2, 28)
