import calendar
import datetime

from django.utils import timezone


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter
    (31 January + 1 month = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def format_date(day: datetime.date) -> str:
    """dd.mm.yyyy, as dates are written in Kazakhstan in every language the portal speaks."""
    return day.strftime("%d.%m.%Y")


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the week (Monday to Sunday) that holds `day`."""
    return day - datetime.timedelta(days=day.weekday())


def start_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant of `day` in the current time zone (Asia/Almaty), for filtering
    date-times by a range an index can serve."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def months_between_dates(start: datetime.date, end: datetime.date) -> int:
    """Whole months from `start` to `end` (a child born on 31 January is one month
    old on 28 February, and on 29 February in a leap year)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months
