"""The case page tells what daily casework needs: a stay past its term, the child's
brothers and sisters, and a return to care that ends the earlier stay's follow-ups."""

import datetime

import pytest

from families.models import ChildParent, Relation
from placements import services
from placements.models import FollowUp, Placement

pytestmark = pytest.mark.django_db


def test_a_stay_past_its_term_is_flagged_on_the_case_page(
    client, social_worker, make_placement, today
):
    late = make_placement(days_ago=200, planned_end_on=today - datetime.timedelta(days=9))
    on_time = make_placement(days_ago=20)
    client.force_login(social_worker)

    html = client.get(f"/staff/placements/{late.pk}/").content.decode()

    assert "Past its term." in html and "9 days ago" in html
    assert "Register the parent" in html
    assert "Past its term." not in client.get(f"/staff/placements/{on_time.pk}/").content.decode()


def test_brothers_and_sisters_see_each_other_with_their_stays(
    client, social_worker, make_child, make_parent, make_placement
):
    older, younger, stranger = make_child(), make_child(), make_child()
    mother = make_parent(child=older)
    ChildParent.objects.create(child=younger, parent=mother, relation=Relation.MOTHER)
    first = make_placement(child=older, days_ago=100)
    second = make_placement(child=younger, days_ago=10)
    other = make_placement(child=stranger, days_ago=10)
    client.force_login(social_worker)

    html = client.get(f"/staff/placements/{second.pk}/").content.decode()

    assert "Brothers and sisters" in html
    assert f'href="/staff/placements/{first.pk}/">{older}</a>' in html
    assert str(stranger) not in html
    other_page = client.get(f"/staff/placements/{other.pk}/").content.decode()
    assert "Brothers and sisters" not in other_page


def test_coming_back_into_care_ends_the_earlier_stays_open_follow_ups(
    make_return, social_worker, today
):
    returned = make_return(on=today - datetime.timedelta(days=40))
    done = returned.follow_ups.order_by("due_on").first()
    services.followup_record(
        follow_up=done,
        done_on=today - datetime.timedelta(days=5),
        method=FollowUp.Method.PHONE_CALL,
        situation=FollowUp.Situation.STABLE,
        by=social_worker,
    )

    services.placement_open(
        placement=Placement(
            child=returned.child,
            admitted_on=today,
            referral_source=Placement.ReferralSource.GUARDIANSHIP,
            crisis_reason=Placement.CrisisReason.HOUSING,
            social_worker=social_worker,
        ),
        by=social_worker,
    )

    follow_ups = list(FollowUp.objects.filter(placement=returned).order_by("due_on"))
    assert follow_ups[0].done_on is not None and not follow_ups[0].missed_reason
    assert len(follow_ups) > 1
    for follow_up in follow_ups[1:]:
        assert "came back into care" in follow_up.missed_reason
        assert follow_up.recorded_by == social_worker
