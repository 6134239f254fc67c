import datetime

from crisisunit.lib.dates import add_months, start_of_day


def test_add_months_keeps_the_day():
    assert add_months(datetime.date(2026, 3, 15), 6) == datetime.date(2026, 9, 15)


def test_add_months_crosses_the_year():
    assert add_months(datetime.date(2026, 10, 2), 6) == datetime.date(2027, 4, 2)


def test_add_months_uses_the_last_day_of_a_shorter_month():
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2027, 8, 31), 6) == datetime.date(2028, 2, 29)


def test_add_months_goes_back():
    assert add_months(datetime.date(2026, 3, 31), -1) == datetime.date(2026, 2, 28)


def test_a_day_starts_at_local_midnight_in_astana():
    start = start_of_day(datetime.date(2026, 3, 5))

    assert start.isoformat() == "2026-03-05T00:00:00+05:00"
    assert start.astimezone(datetime.UTC).isoformat() == "2026-03-04T19:00:00+00:00"
