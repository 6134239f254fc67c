"""Staff correct their own visits and consultations in the workspace for
settings.OWN_EDIT_DAYS days (administrators any, any time); the history keeps the old."""

import datetime

import pytest
from django.utils import timezone

from placements import services
from placements.models import Task, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(make_placement):
    return make_placement(days_ago=30)


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def visit_form(visit, **changes):
    return {
        "parent": visit.parent_id,
        "visited_at": local(visit.visited_at),
        "duration_minutes": visit.duration_minutes,
        "notes": visit.notes,
        **changes,
    }


def test_a_worker_corrects_a_typo_in_their_own_visit(client, social_worker, placement, make_visit):
    visit = make_visit(placement, days_ago=1, notes="Мама пришла с бабушкй")
    client.force_login(social_worker)
    page = client.get(f"/staff/placements/{placement.pk}/").content.decode()
    assert f'href="/staff/visits/{visit.pk}/edit/"' in page

    response = client.post(
        f"/staff/visits/{visit.pk}/edit/",
        visit_form(visit, notes="Мама пришла с бабушкой", duration_minutes=45),
    )

    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.notes, visit.duration_minutes) == ("Мама пришла с бабушкой", 45)
    assert visit.history.earliest().notes == "Мама пришла с бабушкй"


def test_after_the_days_allowed_only_an_administrator_corrects_it(
    client, social_worker, administrator, placement, make_visit, settings
):
    visit = make_visit(placement, days_ago=1)
    Visit.objects.filter(pk=visit.pk).update(
        recorded_at=timezone.now() - datetime.timedelta(days=settings.OWN_EDIT_DAYS + 1)
    )
    client.force_login(social_worker)
    assert client.get(f"/staff/visits/{visit.pk}/edit/").status_code == 403
    page = client.get(f"/staff/placements/{placement.pk}/").content.decode()
    assert f"/staff/visits/{visit.pk}/edit/" not in page

    client.force_login(administrator)
    response = client.post(f"/staff/visits/{visit.pk}/edit/", visit_form(visit, notes="Түзету"))

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.notes == "Түзету" and visit.recorded_by == administrator


def test_no_one_corrects_someone_elses_record(
    client, medical_staff, social_worker, placement, make_visit
):
    visit = make_visit(placement, days_ago=1)  # logged by the social worker
    client.force_login(medical_staff)

    assert client.get(f"/staff/visits/{visit.pk}/edit/").status_code == 403
    with pytest.raises(Exception):  # noqa: B017 (PermissionDenied, from the service too)
        services.visit_update(visit=visit, notes="x", by=medical_staff)


def test_a_corrected_visit_still_keeps_its_rules(client, social_worker, placement, make_visit):
    visit = make_visit(placement, days_ago=1)
    client.force_login(social_worker)
    future = timezone.localtime() + datetime.timedelta(days=2)

    response = client.post(
        f"/staff/visits/{visit.pk}/edit/", visit_form(visit, visited_at=local(future))
    )

    assert response.status_code == 200
    assert "The date cannot be in the future." in response.content.decode()


def test_a_consultation_marked_later_as_needing_further_work_raises_its_task(
    client, medical_staff, placement, today
):
    consultation = services.consultation_record(
        placement=placement, specialist="doctor", held_on=today, summary="Осмотр",
        follow_up_needed=False, by=medical_staff,
    )  # fmt: skip
    client.force_login(medical_staff)

    response = client.post(
        f"/staff/consultations/{consultation.pk}/edit/",
        {"parent": "", "specialist": "doctor", "held_on": today.isoformat(),
         "summary": "Осмотр: нужен невролог", "follow_up_needed": "on"},
    )  # fmt: skip

    assert response.status_code == 302
    task = Task.objects.get()
    assert task.consultation_id == consultation.pk and task.kind == Task.Kind.FURTHER_WORK


def test_a_worker_corrects_their_own_contact(client, social_worker, placement, today):
    mother = placement.child.parents.get()
    contact = services.contact_record(
        placement=placement, kind="call", happened_on=today, parent=mother,
        outcome="not_reached", by=social_worker,
    )  # fmt: skip
    client.force_login(social_worker)
    page = client.get(f"/staff/placements/{placement.pk}/").content.decode()
    assert f'href="/staff/contacts/{contact.pk}/edit/"' in page

    response = client.post(
        f"/staff/contacts/{contact.pk}/edit/",
        {"kind": "call", "happened_on": today.isoformat(), "parent": mother.pk,
         "outcome": "reached", "note": "Перезвонила вечером"},
    )  # fmt: skip

    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.outcome, contact.note) == ("reached", "Перезвонила вечером")
    assert contact.history.earliest().outcome == "not_reached"
