"""Importing the caseload from a spreadsheet: checked first, then all rows or none,
nothing twice, people on file reused, every bad input a row-level message."""

import csv
import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from crisisunit.lib.tabular import TableError, read_table
from families.builders import fictitious_iin
from families.models import Child, ChildParent, Consent, Parent, Sex
from placements import import_check, services
from placements.import_columns import COLUMNS, template_workbook
from placements.models import (
    CaseloadImport,
    FollowUp,
    Notice,
    Placement,
    ReturnApplication,
    Task,
    TermExtension,
    Visit,
)
from placements.services import imports as import_services
from stats import figures, indicators

pytestmark = pytest.mark.django_db

CHILD_BORN = datetime.date(2023, 2, 14)
CHILD_IIN = fictitious_iin(CHILD_BORN, Sex.FEMALE, 1)


def a_row(**changes):
    """A valid row: a girl admitted in 2024 and returned home in 2025, with two visits."""
    row = {
        "child_surname": "Импортова",
        "child_given_name": "Айару",
        "child_date_of_birth": "14.02.2023",
        "child_sex": "ж",
        "child_iin": CHILD_IIN,
        "parent_surname": "Импортова",
        "parent_given_name": "Гүлнар",
        "parent_date_of_birth": "03.07.1999",
        "parent_phone": "8 701 123 45 67",
        "admitted_on": "01.09.2024",
        "referral_source": "mother_and_child",
        "crisis_reason": "housing",
        "closed_on": "15.01.2025",
        "outcome": "returned",
        "visit_dates": "07.09.2024; 14.09.2024 15:30",
    }
    row.update(changes)
    return row


def csv_bytes(rows, headings=None, separator=";"):
    headings = headings or list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator)
    writer.writerow(headings)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headings])
    return out.getvalue().encode()


def xlsx_bytes(headings, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def check(content, by, social_worker=None):
    return import_check.check(
        read_table(content, max_rows=1000), by=by, social_worker=social_worker
    )


def messages_of(plan):
    return [(p.row, p.column, p.message) for p in plan.problems]


def import_file(tmp_path, content, *options, name="caseload.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    out = io.StringIO()
    call_command(
        "import_caseload", str(path), "--by", "administrator", "--language", "en",
        *options, stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    return out.getvalue()


def export_with_names(client, administrator, today, *, days, file_format="csv"):
    """The placements export with names of the last `days` days, as the file's bytes."""
    client.force_login(administrator)
    start = today - datetime.timedelta(days=days)
    response = client.post(
        "/staff/exports/",
        {"what": "placements", "date_from": f"{start}", "date_to": f"{today}",
         "with_names": "on", "format": file_format},
    )  # fmt: skip
    return response.content if file_format == "xlsx" else b"".join(response.streaming_content)


# What an import creates


def test_a_file_is_only_checked_until_the_import_is_confirmed(client, administrator, social_worker):
    client.force_login(administrator)
    upload = SimpleUploadedFile("caseload.csv", csv_bytes([a_row()]))

    response = client.post("/staff/import/", {"file": upload, "social_worker": social_worker.pk})
    run = CaseloadImport.objects.get()
    page = client.get(response.url)

    assert response.url == f"/staff/import/{run.pk}/"
    assert "Import 1 placement" in page.content.decode()
    assert not Placement.objects.exists() and not Child.objects.exists()

    response = client.post(f"/staff/import/{run.pk}/confirm/", follow=True)

    placement = Placement.objects.get()
    assert "Imported — placements: 1, visits: 2." in response.content.decode()
    assert placement.imported == run and placement.social_worker == social_worker
    assert placement.status == Placement.Status.CLOSED
    assert placement.outcome == Placement.Outcome.RETURNED
    assert placement.child.iin == CHILD_IIN and placement.child.sex == Sex.FEMALE
    assert placement.child.parents.get().phone == "+77011234567"
    assert placement.last_visit_at is not None
    first = placement.history.earliest()
    assert first.history_user == administrator
    assert first.history_change_reason == "Imported from caseload.csv"
    assert placement.child.history.earliest().history_user == administrator
    # Each record's first line of history is the record itself, as it was written.
    for record in (placement, placement.child, placement.visits.first()):
        line = record.history.get()
        assert line.history_type == "+" and line.instance == record
        tracked = [
            f.attname for f in line.instance_type._meta.concrete_fields if f.attname in vars(line)
        ]
        assert {f: getattr(line, f) for f in tracked} == {f: getattr(record, f) for f in tracked}
    run.refresh_from_db()
    assert run.status == CaseloadImport.Status.IMPORTED and bytes(run.content) == b""
    assert run.summary["placements"] == 1


def test_visits_are_recorded_at_their_time_or_at_noon(administrator, social_worker, tmp_path):
    import_file(tmp_path, csv_bytes([a_row()]), "--social-worker", "social_worker", "--commit")

    visits = Visit.objects.order_by("visited_at")

    assert [(timezone.localtime(v.visited_at), v.duration_minutes) for v in visits] == [
        (timezone.make_aware(datetime.datetime(2024, 9, 7, 12, 0)), 60),
        (timezone.make_aware(datetime.datetime(2024, 9, 14, 15, 30)), 60),
    ]
    assert {v.parent for v in visits} == {Parent.objects.get()}
    assert {v.recorded_by for v in visits} == {administrator}


def test_importing_the_same_file_twice_creates_nothing_the_second_time(
    administrator, social_worker, tmp_path
):
    content = csv_bytes([a_row(), a_row(admitted_on="01.03.2025", closed_on="", outcome="",
                                       visit_dates="")])  # fmt: skip
    import_file(tmp_path, content, "--social-worker", "social_worker", "--commit")

    out = import_file(tmp_path, content, "--social-worker", "social_worker", "--commit")

    assert "Rows already in the portal, passed over: 2" in out
    assert Placement.objects.count() == 2 and Child.objects.count() == 1
    assert Parent.objects.count() == 1 and Visit.objects.count() == 2


def test_the_people_on_file_are_found_however_their_names_are_spelled(
    administrator, social_worker, make_child, make_parent
):
    child = make_child(surname="Қасымова", given_name="Әлия", sex=Sex.FEMALE,
                       date_of_birth=CHILD_BORN)  # fmt: skip
    mother = make_parent(child=child, surname="Қасымова", given_name="Гүлнар",
                         date_of_birth=datetime.date(1999, 7, 3))  # fmt: skip
    row = a_row(child_surname="КАСЫМОВА", child_given_name="Алия", child_iin="",
                parent_surname="Kasymova", parent_given_name="Gulnar")  # fmt: skip

    plan = check(csv_bytes([row]), administrator, social_worker)

    assert plan.problems == []
    assert plan.children == [] and plan.children_on_file == {child.pk}
    assert plan.parents == [] and plan.parents_on_file == {mother.pk}
    assert plan.links == []  # already linked


def test_two_stays_of_one_child_in_the_file_make_one_child(administrator, social_worker):
    second = {"admitted_on": "01.03.2025", "closed_on": "", "outcome": "", "visit_dates": ""}
    rows = [a_row(), a_row(child_iin="", **second)]

    plan = check(csv_bytes(rows), administrator, social_worker)

    assert plan.problems == []
    assert len(plan.children) == 1 and len(plan.parents) == 1 and len(plan.links) == 1
    assert [p.child for p in plan.placements] == plan.children * 2


def test_a_returned_child_still_to_be_followed_up_gets_the_follow_ups_not_yet_due(
    administrator, social_worker, tmp_path, today
):
    closed = today - datetime.timedelta(days=45)
    row = a_row(admitted_on=f"{closed - datetime.timedelta(days=90):%d.%m.%Y}",
                closed_on=f"{closed:%d.%m.%Y}", visit_dates="")  # fmt: skip

    import_file(tmp_path, csv_bytes([row]), "--social-worker", "social_worker", "--commit")

    due = sorted(FollowUp.objects.values_list("months_after", flat=True))
    assert due == [3, 6, 12]  # the 1-month follow-up was due before the import


def test_headings_in_kazakh_russian_or_english_are_recognised(administrator, social_worker):
    for language in ("kk", "ru", "en"):
        book = load_workbook(io.BytesIO(template_workbook(language)))
        headings = [cell.value for cell in book.worksheets[0][1]]
        example = [cell.value for cell in book.worksheets[0][2]]

        plan = check(xlsx_bytes(headings, [example]), administrator, social_worker)

        assert plan.problems == [], language
        assert len(plan.placements) == 1


def test_the_template_explains_every_column_in_the_users_language():
    book = load_workbook(io.BytesIO(template_workbook("ru")))

    placements, guide = book.worksheets
    assert [cell.value for cell in placements[1]][:2] == ["Ребёнок: фамилия", "Ребёнок: имя"]
    assert guide.max_row == len(COLUMNS) + 1
    explained = {row[0].value: row[2].value for row in guide.iter_rows(min_row=2)}
    assert "31.12.2024" in explained["Дата поступления"]


def test_the_command_writes_the_template_and_shows_its_progress(
    administrator, social_worker, tmp_path, capsys
):
    call_command("import_caseload", "--template", str(tmp_path / "t.xlsx"), stdout=io.StringIO())
    assert load_workbook(tmp_path / "t.xlsx").worksheets[0].max_row == 2

    out = import_file(tmp_path, csv_bytes([a_row()]), "--social-worker", "social_worker")

    assert "New placements: 1" in out and "run again with --commit" in out
    assert not Placement.objects.exists()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_with_names_in_any_language_and_format_imports_back(
    client, administrator, make_placement, make_visit, today, language, file_format
):
    placement = make_placement(days_ago=10)
    make_visit(placement, days_ago=3)
    administrator.language = language
    administrator.save()
    content = export_with_names(client, administrator, today, days=30, file_format=file_format)
    _wipe()

    plan = check(content, administrator)

    assert plan.problems == []
    assert len(plan.placements) == 1 and len(plan.visits) == 1
    imported = plan.placements[0]
    assert (imported.admitted_on, imported.crisis_reason) == (
        placement.admitted_on, placement.crisis_reason,
    )  # fmt: skip
    assert plan.children[0].full_name == placement.child.full_name


# Bad input: a clear message, nothing written


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "not a spreadsheet"),
        ("page.csv", b"<!DOCTYPE html><html><body>hi</body></html>", "not a spreadsheet"),
        ("archive.xlsx", b"PK\x03\x04" + b"\x00" * 40, "not a spreadsheet"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "old Excel file"),
        ("empty.csv", b"", "The file is empty."),
        ("headings.csv", b"child_surname;admitted_on\n", "headings but no rows"),
    ],
)
def test_a_file_that_is_not_a_caseload_is_refused_at_upload(
    client, administrator, name, content, message
):
    client.force_login(administrator)

    response = client.post("/staff/import/", {"file": SimpleUploadedFile(name, content)})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CaseloadImport.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")

    with pytest.raises(TableError, match="not a spreadsheet"):
        read_table(out.getvalue(), max_rows=10)


def test_a_file_over_the_size_limit_is_refused(client, administrator, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(administrator)
    content = csv_bytes([a_row()]) + b"x" * (1024 * 1024)

    response = client.post("/staff/import/", {"file": SimpleUploadedFile("big.csv", content)})

    assert "The file is larger than 1 MB." in response.content.decode()
    assert not CaseloadImport.objects.exists()


def test_a_file_name_with_folders_or_control_characters_is_kept_plain(client, administrator):
    client.force_login(administrator)
    upload = SimpleUploadedFile("../../etc/pass\x07wd.csv", csv_bytes([a_row()]))

    client.post("/staff/import/", {"file": upload})

    assert CaseloadImport.objects.get().file_name == "passwd.csv"


TOO_LONG = "я" * 1_000_000


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"admitted_on": "01.09.2099"}, "Admission date", "cannot be in the future"),
        (
            {"admitted_on": "01.01.2023", "closed_on": "", "outcome": "", "visit_dates": ""},
            "Admission date",
            "before the child's birth",
        ),
        ({"child_iin": "230214600015"}, "Child: IIN", "check digit"),
        ({"closed_on": "01.08.2024"}, "Closing date", "between the admission and today"),
        ({"closed_on": ""}, "Closing date", "An outcome needs a closing date."),
        ({"outcome": ""}, "Outcome", "Choose an outcome."),
        ({"admitted_on": "2024/09/01"}, "Admission date", "Write the date as 31.12.2024."),
        ({"crisis_reason": "bad luck"}, "Crisis reason", "is not one of"),
        ({"child_surname": '=HYPERLINK("http://x")'}, "Child: surname", "A formula"),
        ({"crisis_notes": TOO_LONG}, "Notes on the crisis", "1000000 characters"),
        ({"visit_dates": "01.02.2025"}, "Visit dates", "after the placement closed"),
        ({"social_worker": "nobody"}, "Assigned social worker", "No active social worker"),
        (
            {"parent_surname": "", "parent_given_name": "", "parent_date_of_birth": ""},
            "Visit dates",
            "Visits need the parent's columns",
        ),
        (
            {"child_date_of_birth": "14.02.2029", "child_iin": ""},
            "Child: date of birth",
            "cannot be in the future",
        ),
    ],  # fmt: skip
)
def test_each_bad_row_gets_a_message_with_its_row_and_column(
    administrator, social_worker, tmp_path, changes, column, message
):
    rows = [a_row(child_iin="", child_given_name="Дана", visit_dates=""), a_row(**changes)]

    plan = check(csv_bytes(rows), administrator, social_worker)

    assert any(
        row == 3 and col == column and message in text for row, col, text in messages_of(plan)
    ), messages_of(plan)
    assert {p.row for p in plan.problems} == {3}  # the good row has none
    with pytest.raises(CommandError, match="Nothing was imported"):
        import_file(tmp_path, csv_bytes(rows), "--social-worker", "social_worker", "--commit")
    assert not Placement.objects.exists() and not Child.objects.exists()
    assert not Parent.objects.exists()


def test_a_formula_cell_of_a_workbook_is_refused(administrator, social_worker):
    headings = list(a_row())
    values = list(a_row().values())
    values[0] = '=CONCATENATE("Имп","ортова")'

    plan = check(xlsx_bytes(headings, [values]), administrator, social_worker)

    assert messages_of(plan) == [
        (2, "Child: surname", "A formula is not imported: type the value itself.")
    ]


def test_unknown_missing_and_repeated_columns_are_named(administrator, social_worker):
    headings = ["child_surname", "child_surname", "colour", "admitted_on"]

    plan = check(csv_bytes([{}], headings=headings) + b"a;b;c;01.01.2025\n", administrator)

    messages = messages_of(plan)
    assert (1, "Child: surname", "The column appears twice.") in messages
    assert any("Unknown column «colour»" in text for _r, _c, text in messages)
    assert (1, "Crisis reason", "The column is missing.") in messages
    assert {row for row, _c, _t in messages} == {1}


def test_a_stay_overlapping_another_of_the_same_child_is_refused(
    administrator, social_worker, make_child, make_placement
):
    child = make_child(surname="Импортова", given_name="Айару", sex=Sex.FEMALE,
                       date_of_birth=CHILD_BORN, iin=CHILD_IIN)  # fmt: skip
    make_placement(child=child, admitted_on=datetime.date(2024, 12, 1))
    in_the_file = [a_row(child_given_name="Дана", child_iin=""),
                   a_row(child_given_name="Дана", child_iin="", admitted_on="01.10.2024",
                         visit_dates="")]  # fmt: skip

    on_file = check(csv_bytes([a_row()]), administrator, social_worker)
    within = check(csv_bytes(in_the_file), administrator, social_worker)

    overlap = "This child has another placement over these dates."
    assert messages_of(on_file) == [(2, "Admission date", overlap)]
    assert messages_of(within) == [(3, "Admission date", overlap)]


def test_a_row_with_cells_beyond_the_headings_is_refused(administrator, social_worker):
    content = csv_bytes([a_row()]).rstrip(b"\r\n") + b";stray\r\n"

    plan = check(content, administrator, social_worker)

    assert messages_of(plan) == [(2, "", "The row has cells beyond the last heading.")]


# All rows or none


def test_a_record_saved_between_the_check_and_the_import_stops_the_whole_import(
    client, administrator, social_worker, make_child, make_placement
):
    client.force_login(administrator)
    rows = [a_row(child_given_name="Дана", child_iin=""), a_row()]
    client.post("/staff/import/", {"file": SimpleUploadedFile("c.csv", csv_bytes(rows)),
                                   "social_worker": social_worker.pk})  # fmt: skip
    run = CaseloadImport.objects.get()
    child = make_child(surname="Импортова", given_name="Айару", sex=Sex.FEMALE,
                       date_of_birth=CHILD_BORN, iin=CHILD_IIN)  # fmt: skip
    make_placement(child=child, admitted_on=datetime.date(2024, 12, 1))

    response = client.post(f"/staff/import/{run.pk}/confirm/", follow=True)

    assert "Rows of the file have problems; nothing was imported. Upload the corrected file." in (
        response.content.decode()
    )
    assert Placement.objects.count() == 1 and Child.objects.count() == 1
    run.refresh_from_db()  # the refused file is not kept (issue 35, reliability finding 7)
    assert (run.status, bytes(run.content)) == (CaseloadImport.Status.DISCARDED, b"")


def test_a_failure_while_writing_leaves_nothing_written(administrator, social_worker, monkeypatch):
    rows = [a_row(child_given_name="Дана", child_iin=""), a_row()]
    table = read_table(csv_bytes(rows), max_rows=10)
    run = import_services.caseload_stage(file_name="c.csv", content=b"x", by=administrator,
                                         social_worker=social_worker)  # fmt: skip
    original = Visit.objects.bulk_create

    def failing(*args, **kwargs):
        original(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(Visit.objects, "bulk_create", failing)

    with pytest.raises(RuntimeError):
        import_services.caseload_import(run=run, table=table, by=administrator)

    assert not Child.objects.exists() and not Placement.objects.exists()
    assert not ChildParent.objects.exists() and not Visit.objects.exists()
    run.refresh_from_db()
    assert run.status == CaseloadImport.Status.CHECKED


def test_a_discarded_file_keeps_no_content_and_cannot_be_imported(client, administrator):
    client.force_login(administrator)
    client.post("/staff/import/", {"file": SimpleUploadedFile("c.csv", csv_bytes([a_row()]))})
    run = CaseloadImport.objects.get()

    client.post(f"/staff/import/{run.pk}/discard/")
    response = client.post(f"/staff/import/{run.pk}/confirm/", follow=True)

    run.refresh_from_db()
    assert run.status == CaseloadImport.Status.DISCARDED and bytes(run.content) == b""
    assert "imported or discarded already" in response.content.decode()
    assert not Placement.objects.exists()


# Who may import


def test_only_administrators_may_import(client, social_worker, administrator):
    assert client.get("/staff/import/").status_code == 302
    client.force_login(social_worker)
    assert client.get("/staff/import/").status_code == 403
    assert client.get("/staff/import/template.xlsx").status_code == 403
    client.force_login(administrator)
    response = client.get("/staff/import/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="caseload-template.xlsx"'
    assert load_workbook(io.BytesIO(response.content)).worksheets[0].max_row == 2


def test_the_command_refuses_a_user_without_the_permission(social_worker, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(csv_bytes([a_row()]))

    with pytest.raises(CommandError, match="may not import"):
        call_command("import_caseload", str(path), "--by", "social_worker", "--commit",
                     "--social-worker", "social_worker", "--language", "en",
                     stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    assert not Placement.objects.exists()


# A round trip: the portal's export, imported into an empty database, counts the same


def _stays(make_child, make_placement, make_visit, administrator, today):
    """Stays of the last two years: each outcome, visits in some weeks, one child who
    went home and came back, one still in care."""
    day = datetime.timedelta(days=1)
    closings = [
        (700, 500, Placement.Outcome.RETURNED),
        (450, 300, Placement.Outcome.ADOPTED),
        (400, 120, Placement.Outcome.RETURNED),
        (260, 200, Placement.Outcome.TRANSFERRED),
        (150, 40, Placement.Outcome.GUARDIANSHIP),
    ]
    placements = []
    for index, (admitted, closed, outcome) in enumerate(closings):
        child = make_child(date_of_birth=today - (admitted + 100) * day)
        placement = make_placement(child=child, days_ago=admitted)
        for week in range(0, admitted - closed, 7 + index):
            make_visit(placement, days_ago=admitted - week - 1)
        services.placement_close(
            placement=placement, outcome=outcome, on=today - closed * day, by=administrator
        )
        placements.append(placement)
    back = make_placement(child=placements[2].child, days_ago=60)  # back in care
    make_visit(back, days_ago=50)
    make_visit(make_placement(days_ago=20), days_ago=3)


def _wipe():
    """Empty the case records, as in a new installation (a test's own deletes)."""
    for model in (Task, Notice, FollowUp, Visit, TermExtension, ReturnApplication, Placement,
                  Consent, ChildParent, Child, Parent):  # fmt: skip
        model.objects.all().delete()


def _counts(period, today):
    data = indicators.compute(period, today)
    counts = {k: v for k, v in data["counts"].items() if k != "extended"}
    kept = ("returned_share", "reentry_share", "outcomes", "median_stay", "p90_stay", "in_care",
            "visits")  # fmt: skip
    return counts, {key: data[key] for key in kept}


def test_the_export_imported_into_an_empty_database_gives_the_same_indicators(
    client, administrator, make_child, make_placement, make_visit, today, tmp_path
):
    _stays(make_child, make_placement, make_visit, administrator, today)
    periods = [indicators.Period.last_12_months(today)]
    periods += [indicators.Period.year_of(today.year - y) for y in (0, 1, 2)]
    before = [_counts(period, today) for period in periods]
    returns_before = figures.counted_from_records(today.year - 2, today.year)
    exported = export_with_names(client, administrator, today, days=1000)
    _wipe()

    out = import_file(tmp_path, exported, "--commit", name="export.csv")

    assert "New placements: 7" in out
    assert Child.objects.count() == 6
    assert [_counts(period, today) for period in periods] == before
    assert figures.counted_from_records(today.year - 2, today.year) == returns_before
    assert before[0][0]["reentered"] == 1 and before[0][1]["visits"]["weeks"] > 0


def test_a_file_with_more_rows_than_an_import_takes_is_refused(client, administrator, settings):
    settings.IMPORT_MAX_ROWS = 1
    client.force_login(administrator)
    content = csv_bytes([a_row(), a_row(child_iin="", child_given_name="Дана")])

    response = client.post("/staff/import/", {"file": SimpleUploadedFile("c.csv", content)})

    assert "The file has more than 1 rows." in response.content.decode()
    assert not CaseloadImport.objects.exists()


def test_the_files_page_shows_the_check_kept_at_upload_without_checking_again(
    client, administrator, social_worker, monkeypatch
):
    """Code review finding 7: every view of the page re-ran the whole check."""
    client.force_login(administrator)
    rows = [a_row(), a_row(child_iin="", child_given_name="Дана", admitted_on="31.02.2024")]
    response = client.post(
        "/staff/import/",
        {"file": SimpleUploadedFile("c.csv", csv_bytes(rows)), "social_worker": social_worker.pk},
    )

    def no_second_check(*args, **kwargs):
        raise AssertionError("the page checked the file again")

    monkeypatch.setattr(import_check, "check", no_second_check)
    page = client.get(response.url).content.decode()

    assert "Checked on" in page
    assert "Problems to correct in the file" in page and '<th scope="row">3</th>' in page
    run = CaseloadImport.objects.get()
    assert run.summary["rows"] == 2 and run.problems[0]["row"] == 3


def test_the_check_is_said_in_the_title_of_the_files_page(client, administrator, social_worker):
    client.force_login(administrator)
    rows = [a_row(), a_row(child_iin="", child_given_name="Дана", admitted_on="31.02.2024")]

    page = client.post(
        "/staff/import/",
        {"file": SimpleUploadedFile("c.csv", csv_bytes(rows)), "social_worker": social_worker.pk},
        follow=True,
    ).content.decode()

    assert "<title>The file is checked: 1 row has problems to correct. —" in page


def test_a_checked_file_with_problems_keeps_only_its_name_hash_and_check(
    client, administrator, social_worker
):
    """Issue 35: a refused file keeps no copy of the names and IINs it holds."""
    client.force_login(administrator)
    rows = [a_row(), a_row(admitted_on="2024/09/01")]
    client.post("/staff/import/", {"file": SimpleUploadedFile("c.csv", csv_bytes(rows)),
                                   "social_worker": social_worker.pk})  # fmt: skip

    run = CaseloadImport.objects.get()
    assert bytes(run.content) == b"" and run.sha256 and run.problems


def test_the_command_keeps_no_copy_of_the_file_even_if_killed_half_way(
    administrator, social_worker, tmp_path, monkeypatch
):
    """Reliability finding 7: a killed `import_caseload --commit` left the whole file."""
    path = tmp_path / "c.csv"
    path.write_bytes(csv_bytes([a_row()]))

    def killed(**kwargs):
        raise KeyboardInterrupt  # as a SIGINT would, after the file was staged

    monkeypatch.setattr(import_services, "caseload_import", killed)
    with pytest.raises(KeyboardInterrupt):
        call_command(
            "import_caseload", str(path), commit=True, by=administrator.username,
            social_worker=social_worker.username, stdout=io.StringIO(),
        )  # fmt: skip

    run = CaseloadImport.objects.get()
    assert bytes(run.content) == b"" and run.file_name == "c.csv"


def test_an_import_shows_on_the_public_figures_at_once(
    client, administrator, social_worker, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Issue 35, reliability finding 8: after an import of 5,000 stays the public
    figures stayed old for minutes (a bulk load sends no model signal)."""
    import re

    settings.PUBLIC_VERSION_IN_CACHE = True  # as with Redis

    def returned_in_2025():
        page = client.get("/en/stats/").content.decode()
        return int(re.search(r'<th scope="row">2025</th>\s*<td class="number">(\d+)</td>', page)[1])

    before = returned_in_2025()
    path = tmp_path / "c.csv"
    path.write_bytes(csv_bytes([a_row()]))

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_caseload", str(path), commit=True, by=administrator.username,
            social_worker=social_worker.username, stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip

    assert returned_in_2025() == before + 1
