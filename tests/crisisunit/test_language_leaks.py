"""No interface text in another language: the main workspace and admin pages rendered in
Russian carry no Kazakh-only letter outside the data, and in Kazakh and Russian no
English interface word. The data here is written in letters both languages share."""

import datetime
import html
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from content.models import Section
from families.models import Consent
from placements.models import Placement

pytestmark = pytest.mark.django_db

KAZAKH_ONLY = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
ENGLISH_WORDS = re.compile(
    r"\b(Add|Change|Delete|Save|Search|History|Filter|None|True|False|Yes|No|Username|"
    r"Status|Axes|Can (?:add|change|delete|view)|[Hh]istorical|Home|Log out|View site|"
    r"Unknown|Action|Go|Show all|Clear|Date|Time|Today|Now|Password|Groups|Permissions|"
    r"Users|Sign in|Records|Placement|Visit|Child|Parent|Social worker|Medical staff|"
    r"Administrator|User Agent|HTTP Accept|first content)\b"
)
# What a page shows the user: its text, and the attributes that are read out.
SHOWN_ATTRIBUTES = re.compile(r'\s(?:alt|title|aria-label|placeholder)="([^"]*)"')


def shown_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    # The language switches name each language in itself (ҚАЗ, Қазақша, РУС, ENG).
    page = re.sub(r'<(form|ul) class="languages".*?</\1>', " ", page, flags=re.S)
    page = re.sub(r'<select name="language".*?</select>', " ", page, flags=re.S)
    attributes = " ".join(SHOWN_ATTRIBUTES.findall(page))
    submit_values = " ".join(re.findall(r'type="submit"[^>]*value="([^"]*)"', page))
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(f"{text} {attributes} {submit_values}")


@pytest.fixture
def superuser(django_user_model, administrator):
    user = django_user_model.objects.create_superuser(
        username="root", password="a-long-test-password-42", email="root@example.kz"
    )
    user.groups.set(administrator.groups.all())
    return user


@pytest.fixture
def records(make_placement, make_visit, make_application, make_return, social_worker, today):
    placement = make_placement(days_ago=60)
    make_visit(placement, days_ago=2, notes="Мама пришла")
    application = make_application(placement)
    returned = make_return(on=today - datetime.timedelta(days=40))
    consent = Consent.objects.create(
        parent=placement.child.parents.get(),
        given_on=placement.admitted_on,
        covers="Данные",
        recorded_by=social_worker,
    )
    return {
        "placement": placement,
        "visit": placement.visits.get(),
        "application": application,
        "returned": returned,
        "follow_up": returned.follow_ups.first(),
        "consent": consent,
    }


def _pages(records, superuser):
    placement, returned = records["placement"], records["returned"]
    staff = [
        "/staff/",
        "/staff/placements/",
        f"/staff/placements/{placement.pk}/",
        f"/staff/placements/{returned.pk}/",
        "/staff/placements/new/",
        f"/staff/placements/{placement.pk}/visits/new/",
        f"/staff/placements/{placement.pk}/extensions/new/",
        f"/staff/follow-ups/{records['follow_up'].pk}/",
        "/staff/exports/",
        "/staff/indicators/",
        *_family_work(records),
    ]
    admin = [reverse("admin:index")]
    for model in (
        "families_child", "families_parent", "families_consent", "placements_placement",
        "placements_visit", "placements_consultation", "placements_returnapplication",
        "placements_followup",
        "placements_termextension", "stats_yearlyfigure", "crisisunit_readaccess",
        "crisisunit_user", "auth_group", "axes_accessattempt", "axes_accesslog",
    ):  # fmt: skip
        admin.append(reverse(f"admin:{model}_changelist"))
    admin += [
        reverse("admin:placements_placement_change", args=[placement.pk]),
        reverse("admin:placements_placement_history", args=[placement.pk]),
        reverse("admin:placements_visit_change", args=[records["visit"].pk]),
        reverse("admin:placements_returnapplication_change", args=[records["application"].pk]),
        reverse("admin:placements_followup_change", args=[records["follow_up"].pk]),
        reverse("admin:families_consent_change", args=[records["consent"].pk]),
        reverse("admin:crisisunit_user_change", args=[superuser.pk]),
        reverse("admin:auth_group_change", args=[Group.objects.get(name="Social worker").pk]),
        reverse("admin:auth_group_history", args=[Group.objects.get(name="Social worker").pk]),
        reverse("admin:content_section_history", args=[Section.objects.first().pk]),
        reverse("admin:content_home_history", args=[1]),
        reverse("admin:auth_user_password_change", args=[superuser.pk]),
        reverse("admin:password_change"),
    ]
    return staff + admin


def _family_work(records):
    """The work with the family: its page with a plan, a goal, an action, a review, an
    act and a referral, and each of its forms."""
    from placements import services

    placement, by = records["placement"], records["placement"].social_worker
    today = placement.admitted_on + datetime.timedelta(days=1)
    parent = placement.child.parents.first()
    services.plan_start(placement=placement, started_on=today, by=by)
    goal = services.goal_add(placement=placement, area="housing", description="Квартира", by=by)
    action = services.action_add(
        placement=placement, goal=goal, what="Очередь", by_whom="parent", due_on=today, by=by
    )
    services.review_hold(
        placement=placement, held_on=today, participants="Мать", decision="continue",
        progress={goal.pk: 2}, by=by,
    )  # fmt: skip
    act = services.inspection_record(
        placement=placement, inspected_on=today, inspectors="Сеитова", address="Астана",
        conclusion="Хорошо", risk_level="low", risk_reason="Есть работа", by=by,
    )  # fmt: skip
    referral = services.referral_send(
        placement=placement, parent=parent, service="legal", organisation="Юрцентр",
        sent_on=today, request="Совет", action=action, by=by,
    )  # fmt: skip
    base = f"/staff/placements/{placement.pk}"
    return [
        f"{base}/family-work/", f"{base}/plan/goals/new/", f"{base}/plan/actions/new/",
        f"{base}/plan/reviews/new/", f"/staff/plan-actions/{action.pk}/",
        f"{base}/inspections/new/", f"/staff/inspections/{act.pk}/",
        f"{base}/referrals/new/", f"/staff/referrals/{referral.pk}/",
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_no_interface_text_leaks_from_another_language(client, records, superuser, language):
    superuser.language = language
    superuser.save()
    client.force_login(superuser)
    leaks = []
    for url in [*_pages(records, superuser), "/staff/no-such-page/"]:
        response = client.get(url)
        assert response.status_code == (404 if "no-such" in url else 200), url
        text = shown_text(response.content.decode())
        if language == "ru":
            leaks += [(url, "kk", m) for m in KAZAKH_ONLY.findall(text)][:3]
        leaks += [(url, "en", m) for m in ENGLISH_WORDS.findall(text)][:3]

    assert leaks == [], "\n".join(map(str, leaks))


def test_the_check_sees_a_leak(client, superuser, make_placement):
    """A Kazakh word on a Russian page and an English one on a Kazakh page are caught."""
    assert KAZAKH_ONLY.search(shown_text("<p>Өзгерту</p>"))
    assert ENGLISH_WORDS.search(shown_text('<img alt="Search">'))
    assert not ENGLISH_WORDS.search(shown_text("<script>var Add = 1;</script><p>Қосу</p>"))
    assert Placement.objects.count() == 0 and timezone.now()
