"""Reliability #7: the same create form sent twice (a double click, a retry after a
timeout) creates its record once, and the second request lands where the first did."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from placements.models import Placement, TermExtension, Visit

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def token_of(response) -> str:
    found = re.search(r'name="submission" value="([0-9a-f-]{36})"', response.content.decode())
    assert found, "the form carries a one-time token"
    return found.group(1)


@pytest.fixture
def placement(make_placement):
    return make_placement(days_ago=30)


def visit_data(placement, token, **changes):
    when = timezone.localtime() - datetime.timedelta(days=2)
    return {
        "parent": placement.child.parents.get().pk,
        "visited_at": when.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 45,
        "notes": "Played together.",
        "submission": token,
        **changes,
    }


def test_a_visit_sent_twice_is_logged_once_and_both_land_on_the_case(
    client, social_worker, placement
):
    client.force_login(social_worker)
    url = reverse("placements:visit_new", args=[placement.pk])
    data = visit_data(placement, token_of(client.get(url)))

    first = client.post(url, data)
    second = client.post(url, data)

    assert Visit.objects.filter(placement=placement).count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == placement.get_absolute_url()
    page = client.get(second["Location"]).content.decode()
    assert "This form was already sent; it is saved once." in page


def test_every_blank_form_gets_a_new_token(client, social_worker, placement):
    client.force_login(social_worker)
    url = reverse("placements:visit_new", args=[placement.pk])

    assert token_of(client.get(url)) != token_of(client.get(url))


def test_a_refused_form_keeps_its_token_and_saves_once_corrected(client, social_worker, placement):
    client.force_login(social_worker)
    url = reverse("placements:visit_new", args=[placement.pk])
    token = token_of(client.get(url))

    refused = client.post(url, visit_data(placement, token, duration_minutes=""))
    assert refused.status_code == 200 and token_of(refused) == token

    assert client.post(url, visit_data(placement, token)).status_code == 302
    assert Visit.objects.filter(placement=placement).count() == 1


def test_an_intake_sent_twice_admits_the_child_once(client, social_worker, intake_form):
    client.force_login(social_worker)
    data = {**intake_form, "submission": token_of(client.get(reverse("placements:new")))}

    first = client.post(reverse("placements:new"), data)
    second = client.post(reverse("placements:new"), data)

    assert Placement.objects.count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"] == Placement.objects.get().get_absolute_url()


def test_an_extension_sent_twice_extends_the_term_once(client, administrator, placement):
    client.force_login(administrator)
    url = reverse("placements:extension_new", args=[placement.pk])
    data = {
        "new_end_on": (placement.planned_end_on + datetime.timedelta(days=30)).isoformat(),
        "reason": "The mother is in hospital.",
        "basis_number": "17",
        "basis_date": placement.admitted_on.isoformat(),
        "submission": token_of(client.get(url)),
    }

    client.post(url, data)
    client.post(url, data)

    assert TermExtension.objects.filter(placement=placement).count() == 1


def test_an_admin_add_form_sent_twice_adds_once(client, administrator, placement):
    client.force_login(administrator)
    url = reverse("admin:placements_visit_add")
    when = timezone.localtime() - datetime.timedelta(days=2)
    data = {
        "placement": placement.pk,
        "parent": placement.child.parents.get().pk,
        "visited_at_0": when.date().isoformat(),
        "visited_at_1": when.strftime("%H:%M"),
        "duration_minutes": 30,
        "notes": "",
        "submission": token_of(client.get(url)),
    }

    first = client.post(url, data)
    second = client.post(url, data)

    assert Visit.objects.filter(placement=placement).count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_document_uploaded_twice_is_kept_once(client, social_worker, placement):
    """Code review finding 6 (probes/double-upload-probe.py): two documents were kept."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from placements.models import Document

    client.force_login(social_worker)
    url = reverse("placements:documents", args=[placement.pk])
    token = token_of(client.get(url))

    def send():
        return client.post(url, {
            "kind": "consent", "dated_on": "2025-01-10", "note": "", "parent": "",
            "file": SimpleUploadedFile("consent.pdf", PDF), "submission": token,
        })  # fmt: skip

    first, second = send(), send()

    assert Document.objects.filter(placement=placement).count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == url


def test_a_follow_up_sent_twice_lands_where_the_first_did(
    client, social_worker, make_return, today
):
    from placements.models import FollowUp

    follow_up = FollowUp.objects.filter(placement=make_return(on=today - 40 * DAY)).first()
    client.force_login(social_worker)
    url = reverse("placements:followup_record", args=[follow_up.pk])
    data = {
        "happened": "done", "done_on": today.isoformat(), "method": "phone_call",
        "situation": "stable", "notes": "", "missed_reason": "",
        "submission": token_of(client.get(url)),
    }  # fmt: skip

    first, second = client.post(url, data), client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    page = client.get(second["Location"]).content.decode()
    assert "This form was already sent; it is saved once." in page
    assert "This follow-up is already recorded." not in page
    assert follow_up.history.count() == 2  # created, then recorded once


def test_agreed_visit_days_sent_twice_are_saved_once(client, social_worker, placement):
    from placements.models import AgreedVisit

    client.force_login(social_worker)
    url = reverse("placements:agreed_visits", args=[placement.pk])
    data = {
        "parent": placement.child.parents.get().pk, "days": ["1", "4"], "time": "15:00",
        "submission": token_of(client.get(url)),
    }  # fmt: skip

    first, second = client.post(url, data), client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert AgreedVisit.objects.current().filter(placement=placement).count() == 2
    assert sum(a.history.count() for a in AgreedVisit.objects.all()) == 2


def test_what_was_just_done_opens_the_next_pages_title(client, social_worker, placement):
    """Accessibility review #15: "The visit is logged." sat in a status region that a
    screen reader does not read on a new page; the title, read first, now carries it."""
    client.force_login(social_worker)
    url = reverse("placements:visit_new", args=[placement.pk])

    page = client.post(url, visit_data(placement, token_of(client.get(url))), follow=True)

    title = re.search(r"<title>(.*?)</title>", page.content.decode(), re.S).group(1)
    assert title.strip().startswith("The visit is logged. —")
    assert 'class="message success">The visit is logged.' in page.content.decode()
