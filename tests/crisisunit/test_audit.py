"""Who changed a case record, and who read one: both kept, both shown to administrators."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from crisisunit.models import ReadAccess
from families.models import Child, Parent
from placements.models import Placement, Visit

pytestmark = pytest.mark.django_db

CASE_MODELS = [
    "families.Parent",
    "families.Child",
    "families.ChildParent",
    "families.Consent",
    "placements.Placement",
    "placements.TermExtension",
    "placements.Visit",
    "placements.Consultation",
    "placements.ReturnApplication",
]


@pytest.fixture
def placement(make_placement):
    return make_placement(days_ago=40)


@pytest.fixture
def admin_client(administrator):
    client = Client(headers={"accept-language": "en"})
    client.force_login(administrator)
    return client


@pytest.mark.parametrize("label", CASE_MODELS)
def test_every_case_model_keeps_its_change_history(label):
    model = apps.get_model(label)

    assert hasattr(model, "history"), label


def test_an_admin_change_is_shown_with_who_and_what(admin_client, administrator, placement):
    parent = placement.child.parents.get()
    url = f"/admin/families/parent/{parent.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "phone": "+7 701 555 12 34",
            "date_of_birth": parent.date_of_birth.isoformat(),
            "child_links-TOTAL_FORMS": 1,
            "child_links-INITIAL_FORMS": 1,
            "child_links-0-id": parent.child_links.get().pk,
            "child_links-0-parent": parent.pk,
            "child_links-0-child": placement.child_id,
            "child_links-0-relation": "mother",
            "consents-TOTAL_FORMS": 0,
            "consents-INITIAL_FORMS": 0,
        }
    )

    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    latest = parent.history.latest()
    assert latest.history_user == administrator and latest.history_type == "~"
    page = admin_client.get(f"/admin/families/parent/{parent.pk}/history/").content.decode()
    assert "Phone" in page and "+77015551234" in page and administrator.username in page


def test_a_visit_logged_in_the_workspace_names_its_author_in_the_history(
    client, social_worker, placement
):
    client.force_login(social_worker)

    client.post(
        f"/staff/placements/{placement.pk}/visits/new/",
        {
            "parent": placement.child.parents.get().pk,
            "visited_at": _recent(),
            "duration_minutes": 45,
            "notes": "",
        },
    )

    visit = Visit.objects.get(placement=placement)
    assert visit.history.get().history_user == social_worker


def _recent():
    return timezone.localtime().replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M")


def test_an_old_version_is_shown_but_cannot_be_restored(admin_client, placement):
    placement.crisis_notes = "Бірінші нұсқа"
    placement.save()
    placement.crisis_notes = "Екінші нұсқа"
    placement.save()
    first = placement.history.order_by("history_id")[1]
    url = f"/admin/placements/placement/{placement.pk}/history/{first.history_id}/"

    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    restore = admin_client.post(url, {**data, "_save": "Revert"})

    assert page.status_code == 200 and "Бірінші нұсқа" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert restore.status_code == 403
    placement.refresh_from_db()
    assert placement.crisis_notes == "Екінші нұсқа"


# The read-access log.


def test_opening_a_placement_in_the_workspace_is_logged(client, social_worker, placement):
    client.force_login(social_worker)

    client.get(f"/staff/placements/{placement.pk}/", REMOTE_ADDR="192.0.2.10")

    entry = ReadAccess.objects.get()
    assert entry.user == social_worker
    assert entry.content_type == ContentType.objects.get_for_model(Placement)
    assert entry.object_id == str(placement.pk)
    assert entry.ip_address == "192.0.2.10"
    assert entry.path == f"/staff/placements/{placement.pk}/"


@pytest.mark.parametrize(
    ("model", "url"),
    [
        (Child, "/admin/families/child/{child}/change/"),
        (Parent, "/admin/families/parent/{parent}/change/"),
        (Placement, "/admin/placements/placement/{placement}/change/"),
        (Placement, "/admin/placements/placement/{placement}/history/"),
        (Placement, "/admin/placements/placement/{placement}/history/{version}/"),
    ],
)
def test_opening_a_record_in_admin_is_logged(admin_client, administrator, placement, model, url):
    ids = {
        "child": placement.child_id,
        "parent": placement.child.parents.get().pk,
        "placement": placement.pk,
        "version": placement.history.latest().history_id,
    }

    admin_client.get(url.format(**ids))

    entry = ReadAccess.objects.get()
    assert (entry.user, entry.content_type.model_class()) == (administrator, model)


def test_a_page_that_was_refused_is_not_logged_as_read(client, outsider, placement):
    client.force_login(outsider)

    assert client.get(f"/staff/placements/{placement.pk}/").status_code == 403
    assert client.get(f"/admin/families/child/{placement.child_id}/change/").status_code == 403
    assert not ReadAccess.objects.exists()


def test_administrators_search_the_log_by_user(
    admin_client, social_worker, medical_staff, placement
):
    for user in (social_worker, medical_staff):
        reader = Client()
        reader.force_login(user)
        reader.get(f"/staff/placements/{placement.pk}/")

    page = admin_client.get("/admin/crisisunit/readaccess/?q=medical_staff").content.decode()

    assert "1 result" in page
    assert "medical_staff" in page


def test_nobody_can_change_or_delete_a_log_entry_not_even_a_superuser(
    django_user_model, placement, social_worker
):
    reader = Client()
    reader.force_login(social_worker)
    reader.get(f"/staff/placements/{placement.pk}/")
    entry = ReadAccess.objects.get()
    root = django_user_model.objects.create_superuser("root", "root@example.kz", "x" * 16)
    superuser = Client()
    superuser.force_login(root)

    delete = superuser.post(f"/admin/crisisunit/readaccess/{entry.pk}/delete/", {"post": "yes"})
    change = superuser.post(
        f"/admin/crisisunit/readaccess/{entry.pk}/change/", {"object_id": "999"}
    )
    bulk = superuser.post(
        "/admin/crisisunit/readaccess/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert delete.status_code == 403 and change.status_code == 403
    assert bulk.status_code in (200, 302)
    assert ReadAccess.objects.filter(pk=entry.pk, object_id=str(placement.pk)).exists()


def test_the_logs_list_and_export_lines_are_named_in_the_readers_language(
    client, administrator, make_placement
):
    """Translations #14: the record number column showed the codes "list" and "export"."""
    make_placement()
    administrator.language = "ru"
    administrator.save()
    client.force_login(administrator)
    client.get("/staff/placements/")  # a list: one line numbered "list"

    page = client.get("/admin/crisisunit/readaccess/").content.decode()

    assert "список или поиск" in page
    assert ">list<" not in page
