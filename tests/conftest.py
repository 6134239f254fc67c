"""Named users for each role and factories for the case records."""

import contextvars
import datetime
import itertools
import socket
import threading

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.core.handlers.base import BaseHandler
from django.core.management.base import BaseCommand
from django.db.models import Model, QuerySet
from django.test import Client
from django.utils import timezone, translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from crisisunit import dbwatch, middleware, outage, roles
from crisisunit.lib.writes import in_service
from families.builders import build_child, build_parent, serial_name
from families.models import Child, ChildParent, Consent, Parent, Relation, Sex
from placements import services
from placements.models import (
    AgreedVisit,
    CaseloadImport,
    Consultation,
    Contact,
    Document,
    FamilyPlan,
    FollowUp,
    GoalProgress,
    InspectionAct,
    Placement,
    PlanAction,
    PlanGoal,
    PlanReview,
    Referral,
    ReturnApplication,
    Task,
    TermExtension,
    Visit,
    Visitor,
    VisitWeek,
)
from placements.visit_summary import keep_visit_summary

PASSWORD = "a-long-test-password-42"
_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # A fast hasher: tests create many users and sign in often.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The hashed-name manifest exists only after collectstatic (done in the Docker
    # build); tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Background jobs run at once, inside the request that queues them (tests of the
    # queue and its worker choose the database backend: tests/placements/test_import_jobs.py);
    # their progress is kept in this process's memory (JOBS_CACHE_URL, pyproject.toml).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # What a test of a frozen database taught this process is not the next test's.
    dbwatch._unanswered_at = float("-inf")
    middleware._running = None
    outage._down = False


@pytest.fixture(autouse=True)
def _documents_in_a_temporary_folder(monkeypatch, tmp_path_factory):
    """Case documents written or read by a test (uploads, backups, restores) go to a
    folder of their own, never to the project's private/ (which `make run` fills with
    the demo's scans) nor into the test's tmp_path (the field's storage is built once,
    from DOCUMENTS_ROOT, when the models load)."""
    folder = tmp_path_factory.mktemp("documents")
    # Not the `settings` fixture: it would be undone after the cache's own clean-up.
    monkeypatch.setattr(django_settings, "DOCUMENTS_ROOT", folder)
    storage = FileSystemStorage(location=folder, base_url=None)
    monkeypatch.setattr(Document._meta.get_field("file"), "storage", storage)


# The case records: written only through a service of the one write path.
CASE_MODELS = (
    Child,
    Parent,
    ChildParent,
    Consent,
    Placement,
    TermExtension,
    Visit,
    VisitWeek,
    Consultation,
    ReturnApplication,
    FollowUp,
    Contact,
    Visitor,
    AgreedVisit,
    Task,
    Document,
    CaseloadImport,
    FamilyPlan,
    PlanGoal,
    PlanAction,
    PlanReview,
    GoalProgress,
    InspectionAct,
    Referral,
)
_handling = contextvars.ContextVar("handling", default=None)


class WriteOutsideService(AssertionError):
    pass


def _refuse_outside_service(what, model):
    where = _handling.get()
    if where and issubclass(model, CASE_MODELS) and not in_service():
        raise WriteOutsideService(f"{where} wrote {model.__name__} ({what}) outside a service")


@pytest.fixture(autouse=True)
def _one_write_path(monkeypatch):
    """While a request (a view, the admin) or a management command is handled, any
    write of a case record that is not made inside a service fails the test: saves,
    bulk inserts, queryset updates and deletes alike."""

    def during(where, original):
        def wrapped(self, *args, **kwargs):
            token = _handling.set(where(self, *args))
            try:
                return original(self, *args, **kwargs)
            finally:
                _handling.reset(token)

        return wrapped

    def guarded(what, original, model_of):
        def wrapped(self, *args, **kwargs):
            _refuse_outside_service(what, model_of(self))
            return original(self, *args, **kwargs)

        return wrapped

    monkeypatch.setattr(
        BaseHandler,
        "get_response",
        during(lambda _self, request: f"{request.method} {request.path}", BaseHandler.get_response),
    )
    monkeypatch.setattr(
        BaseCommand,
        "execute",
        during(lambda command, *args: f"command {command.__module__}", BaseCommand.execute),
    )
    monkeypatch.setattr(Model, "save_base", guarded("save", Model.save_base, type))
    for method in ("bulk_create", "bulk_update", "update", "delete"):
        original = getattr(QuerySet, method)
        monkeypatch.setattr(QuerySet, method, guarded(method, original, lambda qs: qs.model))


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages never leak from one test into the next."""
    from crisisunit.caching import forget_local_pages

    cache.clear()
    forget_local_pages()
    yield
    cache.clear()
    forget_local_pages()


@pytest.fixture(autouse=True)
def _english():
    """Tests read messages in English; the translation tests choose their own language."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _health_probe_connections_closed():
    """/healthz keeps a connection of its own between probes; a test leaves none open,
    so that the test database can be dropped at the end."""
    yield
    for kept in middleware._probe_connections.values():
        kept.close()
    middleware._probe_connections.clear()


@pytest.fixture(autouse=True)
def _second_factor_given(monkeypatch):
    """A test's `force_login` stands for a whole sign-in, second factor included (an
    enrolled authenticator, its code given in this session). The sign-in itself, code
    step and all, is tested in tests/crisisunit/test_second_factor.py."""
    sign_in = Client.force_login

    def force_login(self, user, backend=None):
        sign_in(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def client():
    """A browser that prefers English, as the tests' assertions do."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def today():
    return timezone.localdate()


def _user(django_user_model, username, group=None, **extra):
    user = django_user_model.objects.create_user(
        username=username, password=PASSWORD, is_staff=True, **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def administrator(django_user_model):
    return _user(django_user_model, "administrator", roles.ADMINISTRATOR)


@pytest.fixture
def social_worker(django_user_model):
    return _user(django_user_model, "social_worker", roles.SOCIAL_WORKER)


@pytest.fixture
def medical_staff(django_user_model):
    return _user(django_user_model, "medical_staff", roles.MEDICAL_STAFF)


@pytest.fixture
def content_editor(django_user_model):
    """Edits the public site in the admin; sees no case data."""
    return _user(django_user_model, "content_editor", roles.CONTENT_EDITOR)


@pytest.fixture
def outsider(django_user_model):
    """Staff account with no role: can sign in to the admin, may see nothing."""
    return _user(django_user_model, "outsider")


@pytest.fixture
def make_child():
    def make(**fields):
        values = {
            "surname": "Тестов",
            "given_name": serial_name("Бала", next(_serial)),
            "date_of_birth": timezone.localdate() - datetime.timedelta(days=400),
            "sex": Sex.MALE,
        }
        values.update(fields)
        child = build_child(**values)
        child.full_clean()
        child.save()
        return child

    return make


@pytest.fixture
def make_parent():
    def make(child=None, relation=Relation.MOTHER, **fields):
        values = {
            "surname": "Тестов",
            "given_name": serial_name("Ана", next(_serial)),
            "date_of_birth": datetime.date(1995, 5, 17),
            "relation": relation,
        }
        values.update(fields)
        parent = build_parent(**values)
        parent.full_clean()
        parent.save()
        if child is not None:
            ChildParent.objects.create(child=child, parent=parent, relation=relation)
        return parent

    return make


@pytest.fixture
def make_placement(make_child, make_parent, social_worker):
    """An active placement admitted `days_ago` days ago, with the child's mother linked."""

    def make(days_ago=30, child=None, **fields):
        child = child or make_child()
        if not child.parent_links.exists():
            make_parent(child=child)
        values = {
            "child": child,
            "admitted_on": timezone.localdate() - datetime.timedelta(days=days_ago),
            "referral_source": Placement.ReferralSource.MOTHER_AND_CHILD,
            "crisis_reason": Placement.CrisisReason.RELATIONSHIP,
            "social_worker": social_worker,
        }
        values.update(fields)
        placement = Placement(**values)
        placement.full_clean()
        placement.save()
        return placement

    return make


@pytest.fixture
def make_visit(social_worker):
    def make(placement, days_ago=0, parent=None, **fields):
        local_noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
        visited_at = min(local_noon, timezone.localtime()) - datetime.timedelta(days=days_ago)
        visit = Visit(
            placement=placement,
            parent=parent or placement.child.parents.first(),
            visited_at=visited_at,
            duration_minutes=60,
            recorded_by=social_worker,
            **fields,
        )
        visit.full_clean()
        visit.save()
        keep_visit_summary([placement.pk])  # as the visit services do
        return visit

    return make


@pytest.fixture
def make_application(social_worker):
    def make(placement, days_ago=1, **fields):
        values = {
            "placement": placement,
            "applicant": placement.child.parents.first(),
            "filed_on": timezone.localdate() - datetime.timedelta(days=days_ago),
            "registered_by": social_worker,
        }
        values.update(fields)
        application = ReturnApplication(**values)
        application.full_clean()
        application.save()
        return application

    return make


@pytest.fixture
def make_return(make_placement, make_child, administrator):
    """A placement closed on `on` with the child returned to the biological family."""

    def make(on, crisis_reason=Placement.CrisisReason.RELATIONSHIP):
        placement = make_placement(
            child=make_child(date_of_birth=on - datetime.timedelta(days=200)),
            admitted_on=on - datetime.timedelta(days=60),
            crisis_reason=crisis_reason,
        )
        services.placement_close(
            placement=placement, outcome=Placement.Outcome.RETURNED, on=on, by=administrator
        )
        return placement

    return make


@pytest.fixture
def many_placements(social_worker):
    """`n` more active placements, written in bulk: each child with a mother, two in
    three with a recent visit, one in ten with a return application."""

    def make(n):
        today = timezone.localdate()
        now = timezone.now()
        serial = [next(_serial) for _ in range(n)]
        children = Child.objects.bulk_create(
            build_child(
                surname="Көпбала",
                given_name=serial_name("Бала", s),
                date_of_birth=today - datetime.timedelta(days=400),
                sex=Sex.FEMALE,
            )
            for s in serial
        )
        mothers = Parent.objects.bulk_create(
            build_parent(
                surname="Көпана",
                given_name=serial_name("Ана", s),
                date_of_birth=datetime.date(1995, 1, 1),
            )
            for s in serial
        )
        ChildParent.objects.bulk_create(
            ChildParent(child=c, parent=m, relation=Relation.MOTHER)
            for c, m in zip(children, mothers, strict=True)
        )
        placements = []
        for i, child in enumerate(children):
            admitted = today - datetime.timedelta(days=i % 90 + 1)
            placements.append(
                Placement(
                    child=child,
                    admitted_on=admitted,
                    planned_end_on=admitted + datetime.timedelta(days=i % 200 + 1),
                    referral_source=Placement.ReferralSource.GUARDIANSHIP,
                    crisis_reason=Placement.CrisisReason.HOUSING,
                    social_worker=social_worker,
                )
            )
        placements = Placement.objects.bulk_create(placements)
        Visit.objects.bulk_create(
            Visit(
                placement=p,
                parent=m,
                visited_at=now - datetime.timedelta(days=i % 12, hours=1),
                duration_minutes=30,
                recorded_by=social_worker,
            )
            for i, (p, m) in enumerate(zip(placements, mothers, strict=True))
            if i % 3 and now - datetime.timedelta(days=i % 12, hours=1) > _start(p.admitted_on)
        )
        keep_visit_summary([p.pk for p in placements])
        ReturnApplication.objects.bulk_create(
            ReturnApplication(placement=p, applicant=m, filed_on=today, registered_by=social_worker)
            for i, (p, m) in enumerate(zip(placements, mothers, strict=True))
            if i % 10 == 0
        )
        return placements

    return make


def _start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@pytest.fixture
def intake_form(social_worker):
    """A filled-in intake page: a child, its mother with consent, and the placement."""
    today = timezone.localdate()
    return {
        "child-surname": "Қасымова",
        "child-given_name": "Айару",
        "child-date_of_birth": (today - datetime.timedelta(days=200)).isoformat(),
        "child-sex": "F",
        "child-iin": "",
        "parent1-relation": "mother",
        "parent1-surname": "Қасымова",
        "parent1-given_name": "Әлия",
        "parent1-date_of_birth": "1998-04-02",
        "parent1-sex": "",
        "parent1-iin": "",
        "parent1-phone": "8 701 555 44 33",
        "parent1-address": "Астана",
        "parent1-consent_given_on": today.isoformat(),
        "parent1-consent_covers": "Names and the case record, for the placement.",
        # The optional second parent, left as the page offers it.
        "parent2-relation": "father",
        "parent2-consent_given_on": today.isoformat(),
        "parent2-consent_covers": (
            "Names, IIN, dates of birth, contacts and the case record, kept by the home "
            "for the child's placement and return and for the term the law requires; "
            "given to the guardianship and custody authority only."
        ),
        "placement-admitted_on": today.isoformat(),
        "placement-referral_source": "mother_and_child",
        "placement-crisis_reason": "relationship",
        "placement-social_worker": social_worker.pk,
    }


@pytest.fixture
def silent_redis():
    """A port that accepts connections and never answers: a frozen Redis."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()
