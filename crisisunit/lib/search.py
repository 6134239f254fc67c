"""What staff type into a search box, read as terms: several words in any order, each a
name (by its spelling-blind key, crisisunit.lib.names), an IIN or part of one, a date
of birth, or a phone number however it is written."""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from crisisunit.lib.names import name_key
from crisisunit.lib.phone import normalize_kz_phone

NAME, IIN, DIGITS, DATE, PHONE = "name", "iin", "digits", "date", "phone"

# A run that may be a phone number written with spaces, brackets or dashes.
_PHONE_LIKE = re.compile(r"\+?\d[\d\s().\-]{7,}\d")
_DATE_FORMATS = ["%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]
MAX_TERMS = 8


@dataclass(frozen=True)
class Term:
    kind: str
    value: object


def _phone(candidate: str) -> str | None:
    digits = re.sub(r"\D", "", candidate)
    if len(digits) < 10 or re.fullmatch(r"\d{12}", candidate):  # 12 bare digits: an IIN
        return None
    try:
        return normalize_kz_phone(candidate)
    except ValidationError:
        return None


def _date(word: str) -> datetime.date | None:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(word, pattern).date()
        except ValueError:
            continue
    return None


def parse_query(text: str) -> list[Term]:
    """The terms of a search, at most MAX_TERMS, each to be matched (all of them)."""
    terms = []

    def take_phone(match: re.Match[str]) -> str:
        number = _phone(match.group(0).strip())
        if number is None:
            return match.group(0)
        terms.append(Term(PHONE, number))
        return " "

    rest = _PHONE_LIKE.sub(take_phone, text or "")
    for word in rest.split():
        day = _date(word)
        if day is not None:
            terms.append(Term(DATE, day))
        elif re.fullmatch(r"\d{12}", word):
            terms.append(Term(IIN, word))
        elif re.fullmatch(r"\d{4,11}", word):
            terms.append(Term(DIGITS, word))
        elif key := name_key(word):
            terms.append(Term(NAME, key))
    return list(dict.fromkeys(terms))[:MAX_TERMS]
