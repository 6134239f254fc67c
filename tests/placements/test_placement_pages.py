"""The placement list and the placement page."""

import datetime

import pytest
from django.utils import timezone

from placements import services
from placements.models import Placement, Visit
from placements.visit_summary import keep_visit_summary

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def signed_in(client, social_worker):
    client.force_login(social_worker)
    return client


# The list


def test_the_list_finds_a_placement_by_a_parents_name_or_the_childs_iin(
    signed_in, make_placement, make_child, make_parent
):
    child = make_child(surname="Сейітова", given_name="Дана", iin="", sex="F")
    # A name of her own: the fixtures' serial names ("Ана-бв") can share a spelling-blind
    # key with another's, whatever order the tests run in.
    make_parent(child=child, given_name="Гүлнар")
    wanted = make_placement(child=child)
    other = make_placement()
    mother = wanted.child.parents.get()

    by_parent = signed_in.get("/staff/placements/", {"q": mother.given_name}).content.decode()
    by_child = signed_in.get("/staff/placements/", {"q": "сейітова"}).content.decode()

    assert str(wanted.child) in by_parent and str(other.child) not in by_parent
    assert str(wanted.child) in by_child and str(other.child) not in by_child


def test_the_list_filters_by_status_worker_reason_and_referral(
    signed_in, make_placement, administrator, today
):
    housing = make_placement(crisis_reason=Placement.CrisisReason.HOUSING)
    closed = make_placement(days_ago=50)
    services.placement_close(
        placement=closed, outcome=Placement.Outcome.OTHER, on=today, by=administrator
    )

    def listed(**params):
        return signed_in.get("/staff/placements/", params).context["page"].object_list

    assert list(listed(crisis_reason="housing")) == [housing]
    assert list(listed(status="closed")) == [closed]
    assert list(listed(referral_source="guardianship")) == []
    assert len(listed(social_worker=housing.social_worker_id)) == 2


def test_the_list_is_paginated_and_keeps_the_filters(signed_in, many_placements):
    many_placements(30)

    first = signed_in.get("/staff/placements/", {"status": "active"})
    second = signed_in.get("/staff/placements/", {"status": "active", "page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert "?status=active&amp;page=2" in first.content.decode()


def test_the_list_costs_the_same_queries_at_10_and_1000_placements(
    signed_in, many_placements, django_assert_max_num_queries
):
    many_placements(10)
    # Two of them: the session's second factor, and the line in the read log.
    with django_assert_max_num_queries(12) as small:
        signed_in.get("/staff/placements/", {"q": "Көп"})
    many_placements(990)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = signed_in.get("/staff/placements/", {"q": "Көп"})
    assert response.context["page"].paginator.count == 1000


# The placement page


def test_the_page_shows_the_child_the_parents_phones_and_the_term(
    signed_in, make_placement, make_parent, make_child, administrator, today
):
    child = make_child()
    make_parent(child=child, phone="+77015554433")
    placement = make_placement(child=child, days_ago=100)
    first_end = placement.planned_end_on
    services.placement_extend(placement=placement,
        new_end_on=first_end + 60 * DAY, reason="Treatment", basis_number="Б-1",
        basis_date=today, by=administrator,
    )  # fmt: skip

    html = signed_in.get(f"/staff/placements/{placement.pk}/").content.decode()

    assert "+77015554433" in html
    assert first_end.strftime("%d.%m.%Y") in html
    assert (first_end + 60 * DAY).strftime("%d.%m.%Y") in html


def test_the_timeline_puts_everything_in_order_newest_first(
    signed_in, make_placement, make_visit, make_application
):
    placement = make_placement(days_ago=30)
    make_visit(placement, days_ago=20, notes="first visit")
    make_application(placement, days_ago=5, comment="")
    make_visit(placement, days_ago=1, notes="latest visit")

    html = signed_in.get(f"/staff/placements/{placement.pk}/").content.decode()
    timeline = html[html.index('id="timeline"') :]

    order = [timeline.index(t) for t in ("latest visit", "Return application filed",
                                          "first visit", "Admitted")]  # fmt: skip
    assert order == sorted(order)


def test_the_weekly_record_marks_each_week_and_gives_the_rate(make_placement, social_worker):
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    placement = make_placement(admitted_on=monday - 21 * DAY)  # three full weeks before
    for day in (monday - 20 * DAY, monday - 6 * DAY):
        Visit.objects.create(
            placement=placement, parent=placement.child.parents.get(),
            visited_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))),
            duration_minutes=30, recorded_by=social_worker,
        )  # fmt: skip

    weeks, rate = placement.weekly_visit_record(
        [v.visited_at.date() for v in placement.visits.all()], timezone.localdate()
    )

    assert [w["visited"] for w in weeks] == [True, False, True, False]
    assert [w["counts"] for w in weeks] == [True, True, True, False]  # this week is under way
    assert rate == pytest.approx(2 / 3)


def test_a_stay_with_no_visits_has_a_rate_of_zero(make_placement, today):
    placement = make_placement(days_ago=15)

    weeks, rate = placement.weekly_visit_record([], today)

    assert rate == 0 and not any(w["visited"] for w in weeks)


def test_the_page_shows_the_weekly_compliance(signed_in, make_placement, make_visit):
    placement = make_placement(days_ago=0)
    make_visit(placement)

    html = signed_in.get(f"/staff/placements/{placement.pk}/").content.decode()

    assert "100% of the weeks had at least one parent visit." in html


def test_the_page_costs_the_same_queries_with_many_visits(
    signed_in, make_placement, social_worker, django_assert_max_num_queries
):
    placement = make_placement(days_ago=365)
    parent = placement.child.parents.get()
    # One of them reads the session's second factor; one each the brothers' and sisters'
    # stays, the contact log, the agreed visit days, the other visitors, the count of
    # the case's documents, its open tasks, its plan, its last inspection act, the
    # parents' consents and the child's other stays.
    with django_assert_max_num_queries(26) as empty:
        signed_in.get(f"/staff/placements/{placement.pk}/")
    now = timezone.now()
    Visit.objects.bulk_create(
        Visit(placement=placement, parent=parent, visited_at=now - i * DAY,
              duration_minutes=30, recorded_by=social_worker)
        for i in range(1, 360)
    )  # fmt: skip
    keep_visit_summary([placement.pk])  # as the visit services do
    with django_assert_max_num_queries(len(empty.captured_queries)):
        response = signed_in.get(f"/staff/placements/{placement.pk}/")
    assert len([e for e in response.context["timeline"] if e["kind"] == "visit"]) == 359


def test_the_lists_hidden_sort_field_shows_no_english_label(client, social_worker, make_placement):
    """Translations #4: "Sort:" showed on the Kazakh and Russian list pages."""
    make_placement()
    client.force_login(social_worker)

    for language in ("kk", "ru"):
        social_worker.language = language
        social_worker.save(update_fields=["language"])
        page = client.get("/staff/placements/", {"q": "Тест", "sort": "age"}).content.decode()
        assert "Sort" not in page
        assert 'type="hidden" name="sort" value="age"' in page
