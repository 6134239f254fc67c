"""Whatever is typed into a form, the user gets a page with a message or the record is
saved, never a server error; markup typed in is never sent back unescaped; and a
refused form saves nothing.

Property-based (hypothesis): Kazakh and Russian letters, emoji, control characters,
10,000-character strings, HTML and script tags and SQL fragments, in every field of
every form, and into the IIN and phone validators."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisunit.lib.csv import FORMULA_STARTS, csv_lines
from crisisunit.lib.iin import parse_iin, validate_iin
from crisisunit.lib.phone import normalize_kz_phone, validate_kz_phone
from families.models import Child, Parent
from placements import forms
from placements.models import Consultation, Placement, ReturnApplication, TermExtension, Visit

pytestmark = pytest.mark.django_db

# Markup that must never come back as markup, wherever it was typed.
MARKUP = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "</textarea><b>b</b>"]
# What a page that refused a form shows: a field's error, the summary of errors, or
# the intake's question whether a record already on file is this person.
MESSAGES = ['class="errorlist', 'class="error-summary"', 'class="matches"']
NASTY = st.one_of(
    st.builds(
        lambda a, m, b: a + m + b,
        st.text(max_size=20),
        st.sampled_from(MARKUP),
        st.text(max_size=20),
    ),
    st.text(max_size=200),  # any Unicode: control characters, emoji, other scripts
    st.text(alphabet="әғқңөұүһіӘҒҚҢӨҰҮҺІабвгдеёжзийклмнопрстуфхцчшщъыьэюяЁ -'", max_size=60),
    st.builds(
        lambda char, n: char * n,
        st.characters(exclude_categories=["Cs"]),  # what UTF-8 can carry
        st.integers(1_000, 10_000),
    ),
    st.sampled_from(
        [
            "'; DROP TABLE placements_placement; --",
            "1 OR 1=1",
            "\x00",
            "a\x00b",
            "\u202e\u200b",
            "😀👶🏽‍🍼",
            '=HYPERLINK("http://x")',
            "x" * 10_000,
            " ",
            "",
            "0",
            "-1",
            "99999999999999999999",
            "2026-02-30",
            "31.12.9999",
        ]
    ),
)
FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# The validators.


@FAST
@given(NASTY)
def test_the_iin_validator_accepts_only_twelve_digits_that_check(value):
    try:
        validate_iin(value)
    except ValidationError as error:
        assert error.messages and all(error.messages)
    else:
        if value:  # an empty value is left to the field's `blank`
            assert len(value) == 12 and value.isdigit()
            assert parse_iin(value).birth_date


@FAST
@given(NASTY)
def test_the_phone_field_turns_any_input_into_a_kazakhstan_number_or_a_message(value):
    try:
        phone = normalize_kz_phone(value)
    except ValidationError as error:
        assert error.messages and all(error.messages)
    else:
        validate_kz_phone(phone)
        assert phone == "" or (len(phone) == 12 and phone[:3] in {"+76", "+77"})


@FAST
@given(NASTY)
def test_the_stored_phone_validator_accepts_only_the_canonical_form(value):
    try:
        validate_kz_phone(value)
    except ValidationError as error:
        assert error.messages and all(error.messages)
    else:
        assert value == "" or (len(value) == 12 and value[:3] in {"+76", "+77"})


# The forms, through their pages.


@pytest.fixture
def placement(make_placement):
    return make_placement(days_ago=40)


@pytest.fixture
def signed_in(client, administrator):
    """An administrator may use every staff form."""
    client.force_login(administrator)
    return client


def _rows():
    return [
        m.objects.count()
        for m in (Child, Parent, Placement, Visit, Consultation, ReturnApplication, TermExtension)
    ]


def _check_answer(response, value, rows_before, *, saved_ok=True):
    """A refused form comes back with a message and has saved nothing; markup typed in
    is never sent back as markup."""
    html = response.content.decode()
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        # An error, or the intake's question whether a record on file is this person.
        assert any(mark in html for mark in MESSAGES), "no message"
        assert _rows() == rows_before, "a refused form saved something"
    else:
        assert saved_ok
    _no_markup(value, html)


def _no_markup(value, html):
    for markup in MARKUP:
        if markup in value:
            assert markup not in html


def _form_page_test(url, base, fields):
    """Post `base` with one of `fields` replaced by nasty text."""

    @FAST
    @given(field=st.sampled_from(fields), value=NASTY)
    def run(signed_in, placement, field, value):
        before = _rows()
        data = {k: v(placement) if callable(v) else v for k, v in base.items()}
        data[field] = value
        response = signed_in.post(url.format(pk=placement.pk), data)
        _check_answer(response, value, before)
        if response.status_code == 302:
            page = signed_in.get(f"/staff/placements/{placement.pk}/").content.decode()
            _no_markup(value, page)

    return run


def _now():
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def _today():
    return timezone.localdate().isoformat()


def _mother(placement):
    return placement.child.parents.get().pk


test_the_visit_form_survives_any_input = _form_page_test(
    "/staff/placements/{pk}/visits/new/",
    {"parent": _mother, "visited_at": lambda p: _now(), "duration_minutes": "30", "notes": ""},
    ["parent", "visited_at", "duration_minutes", "notes"],
)
test_the_consultation_form_survives_any_input = _form_page_test(
    "/staff/placements/{pk}/consultations/new/",
    {
        "parent": _mother,
        "specialist": "lawyer",
        "specialist_name": "",
        "held_on": lambda p: _today(),
        "summary": "Кеңес",
    },
    ["parent", "specialist", "specialist_name", "held_on", "summary", "follow_up_needed"],
)
test_the_application_form_survives_any_input = _form_page_test(
    "/staff/placements/{pk}/applications/new/",
    {"applicant": _mother, "filed_on": lambda p: _today(), "comment": ""},
    ["applicant", "filed_on", "comment"],
)
test_the_extension_form_survives_any_input = _form_page_test(
    "/staff/placements/{pk}/extensions/new/",
    {
        "new_end_on": lambda p: (p.planned_end_on + datetime.timedelta(days=30)).isoformat(),
        "reason": "Ана жұмыс іздеп жүр",
        "basis_number": "Б-1",
        "basis_date": lambda p: _today(),
    },
    ["new_end_on", "reason", "basis_number", "basis_date"],
)


INTAKE_FIELDS = [
    "child-surname",
    "child-given_name",
    "child-patronymic",
    "child-date_of_birth",
    "child-sex",
    "child-iin",
    "child-existing",
    "parent1-relation",
    "parent1-surname",
    "parent1-given_name",
    "parent1-date_of_birth",
    "parent1-iin",
    "parent1-phone",
    "parent1-address",
    "parent1-consent_given_on",
    "parent1-consent_covers",
    "parent1-existing",
    "parent2-surname",
    "parent2-phone",
    "placement-admitted_on",
    "placement-referral_source",
    "placement-referral_number",
    "placement-crisis_reason",
    "placement-crisis_notes",
    "placement-social_worker",
]


@FAST
@given(field=st.sampled_from(INTAKE_FIELDS), value=NASTY)
def test_the_intake_survives_any_input(signed_in, intake_form, field, value):
    before = _rows()

    response = signed_in.post("/staff/placements/new/", {**intake_form, field: value})

    _check_answer(response, value, before)
    if response.status_code == 302:
        _no_markup(value, signed_in.get(response["Location"]).content.decode())


@FAST
@given(
    field=st.sampled_from(["q", "status", "social_worker", "crisis_reason", "page"]), value=NASTY
)
def test_the_placement_search_survives_any_input(signed_in, placement, field, value):
    response = signed_in.get("/staff/placements/", {field: value})

    assert response.status_code == 200
    _no_markup(value, response.content.decode())


@FAST
@given(field=st.sampled_from(["what", "date_from", "date_to", "with_names"]), value=NASTY)
def test_the_export_form_survives_any_input(signed_in, placement, field, value):
    data = {"what": "placements", "date_from": "2026-01-01", "date_to": _today(), field: value}

    response = signed_in.post("/staff/exports/", data)

    assert response.status_code == 200
    if response["Content-Type"].startswith("text/html"):
        assert 'class="errorlist' in response.content.decode()
        _no_markup(value, response.content.decode())


@FAST
@given(field=st.sampled_from(["username", "password"]), value=NASTY)
def test_the_login_form_survives_any_input(client, social_worker, field, value):
    data = {"username": social_worker.username, "password": "wrong-password", field: value}

    response = client.post("/staff/login/", data)

    html = response.content.decode()
    assert response.status_code in (200, 429)  # 429: five failures lock the name
    assert any(mark in html for mark in [*MESSAGES, "Sign-in locked"])
    _no_markup(value, html)


def _no_markup(value, html):
    for markup in MARKUP:
        if markup in value:
            assert markup not in html


# The admin's decision forms validate on their own.


@FAST
@given(field=st.sampled_from(["decision_number", "decision_date", "returned_on"]), value=NASTY)
def test_the_approval_form_gives_a_message_or_clean_data(field, value):
    data = {"decision_number": "ҚҚ-1", "decision_date": _today(), "returned_on": "", field: value}

    form = forms.ApprovalForm(data)

    assert form.is_valid() or form.errors


@FAST
@given(field=st.sampled_from(["outcome", "closed_on"]), value=NASTY)
def test_the_closing_form_gives_a_message_or_clean_data(field, value):
    outcome = forms.ClosingForm.base_fields["outcome"].choices[0][0]

    form = forms.ClosingForm({"outcome": outcome, "closed_on": _today(), field: value})

    assert form.is_valid() or form.errors


@FAST
@given(field=st.sampled_from(["decision_number", "decision_date", "reason"]), value=NASTY)
def test_the_rejection_form_gives_a_message_or_clean_data(field, value):
    data = {"decision_number": "ҚҚ-1", "decision_date": _today(), "reason": "Жоқ", field: value}

    form = forms.RejectionForm(data)

    assert form.is_valid() or form.errors


# CSV injection: no exported cell starts a formula, and none loses what was typed.


@FAST
@given(
    st.lists(st.one_of(NASTY, st.sampled_from(["=1+1", "+7 701", "-2", "@SUM(A1)"])), min_size=1)
)
def test_no_exported_cell_starts_a_formula(cells):
    written = "".join(csv_lines(["h"] * len(cells), [cells]))

    row = list(csv.reader(io.StringIO(written, newline="")))[1]

    for typed, cell in zip(cells, row, strict=True):
        assert not cell.startswith(FORMULA_STARTS)
        assert cell in (typed, "'" + typed)


@pytest.mark.parametrize("url", ["/staff/login/", "/admin/login/"])
def test_bytes_that_are_not_utf_8_get_a_page_not_an_error(client, url):
    response = client.generic(
        "POST",
        url,
        b"username=%FF%FE%C3&password=%80",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code in (200, 403)  # 403: the CSRF check, with its page
