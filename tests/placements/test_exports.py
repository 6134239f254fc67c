"""CSV exports of placements and visits for a period."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from crisisunit.models import ReadAccess
from families.models import Child, Parent
from placements import services

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def rows(response, delimiter=","):
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


def export(client, today, **params):
    query = {
        "what": "placements",
        "date_from": (today - 60 * DAY).isoformat(),
        "date_to": today.isoformat(),
        **params,
    }
    return client.post("/staff/exports/", query)


def test_placements_are_exported_without_names_by_default(
    client, administrator, make_placement, make_visit, today
):
    placement = make_placement(days_ago=10)
    make_visit(placement, days_ago=1)
    client.force_login(administrator)

    response = export(client, today)

    assert response["Content-Disposition"].startswith('attachment; filename="placements-')
    [row] = rows(response)
    assert row["Placement number"] == str(placement.pk) and row["Visits"] == "1"
    assert row["Admission date"] == placement.admitted_on.strftime("%d.%m.%Y")
    assert row["Referred by"] == placement.get_referral_source_display()
    assert row["Status"] == "active"
    assert "Child: surname" not in row
    assert placement.child.surname not in str(row)


def test_an_administrator_may_ask_for_names_and_iins(client, administrator, make_placement, today):
    placement = make_placement(days_ago=10)
    client.force_login(administrator)

    [row] = rows(export(client, today, with_names="on"))

    assert row["Child: surname"] == placement.child.surname
    assert row["Child: sex"] == "male" and row["Parent: relation"] == "mother"


def test_a_social_worker_gets_no_names_even_when_asking(
    client, social_worker, make_placement, today
):
    placement = make_placement(days_ago=10)
    client.force_login(social_worker)

    assert 'name="with_names"' not in client.get("/staff/exports/").content.decode()
    [row] = rows(export(client, today, with_names="on"))
    assert "Child: surname" not in row and placement.child.surname not in str(row)


def test_only_the_placements_overlapping_the_period_are_exported(
    client, administrator, make_placement, make_child, today
):
    inside = make_placement(days_ago=10)
    old = make_placement(
        child=make_child(date_of_birth=today - 900 * DAY), admitted_on=today - 400 * DAY
    )
    services.placement_close(placement=old, outcome="other", on=today - 300 * DAY, by=administrator)
    client.force_login(administrator)

    ids = [row["Placement number"] for row in rows(export(client, today))]

    assert ids == [str(inside.pk)]


def test_visits_are_exported_for_the_period(
    client, administrator, make_placement, make_visit, today
):
    placement = make_placement(days_ago=30)
    recent = make_visit(placement, days_ago=2)
    make_visit(placement, days_ago=20)
    client.force_login(administrator)

    exported = rows(export(client, today, what="visits", date_from=(today - 5 * DAY).isoformat()))

    assert [row["Visit number"] for row in exported] == [str(recent.pk)]


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_neutralised(
    client, administrator, make_placement, make_child, today
):
    child = make_child()
    # Names are letters only now; a record saved before that rule may still hold this.
    Child.objects.filter(pk=child.pk).update(surname='=HYPERLINK("http://x","y")')
    make_placement(days_ago=5, child=child)
    client.force_login(administrator)

    [row] = rows(export(client, today, with_names="on"))

    assert row["Child: surname"] == '\'=HYPERLINK("http://x","y")'


def test_a_period_ending_before_it_starts_is_refused(client, administrator, today):
    client.force_login(administrator)

    response = export(client, today, date_from=today.isoformat(), date_to=(today - DAY).isoformat())

    assert response.status_code == 200
    assert "The end of the period is before its start." in response.content.decode()


def test_an_export_with_names_is_written_to_the_read_access_log(
    client, administrator, social_worker, make_placement, today
):
    make_placement(days_ago=10)
    client.force_login(administrator)
    rows(export(client, today))  # without names: nothing personal left the portal
    assert not ReadAccess.objects.exists()

    rows(export(client, today, with_names="on", what="visits"))

    entry = ReadAccess.objects.get()
    assert (entry.user, entry.object_id, entry.content_type.model) == (
        administrator,
        "export",
        "visit",
    )
    assert "with_names=on" in entry.path and "date_from=" in entry.path


def test_in_russian_the_file_is_separated_by_semicolons_with_russian_headings_and_values(
    client, administrator, make_placement, today
):
    placement = make_placement(days_ago=10)
    administrator.language = "ru"
    administrator.save()
    client.force_login(administrator)

    [row] = rows(export(client, today), delimiter=";")

    assert row["Номер пребывания"] == str(placement.pk)
    assert row["Статус"] == "действующее"
    assert (
        row["Причина кризисной ситуации"]
        == "распад брака или отношений, оставивший без материальной поддержки"
    )


def test_a_workbook_keeps_iins_and_phones_as_text_and_dates_as_dates(
    client, administrator, make_placement, make_child, today
):
    child = make_child(iin="", date_of_birth=today - 400 * DAY)
    placement = make_placement(days_ago=10, child=child)
    Child.objects.filter(pk=child.pk).update(iin="051231600017")  # a leading zero
    Parent.objects.filter(children=child).update(phone="+77011234567")
    client.force_login(administrator)

    response = export(client, today, with_names="on", format="xlsx")

    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert row["Child: IIN"] == "051231600017"
    assert row["Admission date"] == datetime.datetime.combine(
        placement.admitted_on, datetime.time()
    )
    assert row["Parent: phone"] == "+77011234567"
