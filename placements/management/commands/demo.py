"""Load clearly fictitious demo data and the demo users. Safe to run again."""

import datetime
import io
import random
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from content.models import Announcement, Home, Office
from crisisunit import roles
from crisisunit.lib.dates import add_months
from crisisunit.models import BackupCodes
from crisisunit.pdf import render_pdf
from crisisunit.twofactor import setup_key
from families.builders import build_family
from families.models import Sex
from families.names import NameMaker
from placements import services
from placements.management.demo_family_work import family_work
from placements.models import Consultation, FollowUp, Placement, ReturnApplication, Visit
from placements.services import documents as document_services

DEFAULT_PASSWORD = "demo-crisis-unit-2026"  # noqa: S105 (development only; refused with DEBUG off)
# The background history (see Command.history).
HISTORY_PLACEMENTS = 150
DEMO_ADDRESS = "Астана, Демо көшесі {n} (ойдан шығарылған мекенжай / вымышленный адрес)"

USERS = [
    # username, first name, last name, group, superuser
    ("admin", "Әсел", "Әкімшіова", roles.ADMINISTRATOR, True),
    ("socialworker", "Сәуле", "Әлеуметова", roles.SOCIAL_WORKER, False),
    ("doctor", "Бауыржан", "Дәрігеров", roles.MEDICAL_STAFF, False),
    ("editor", "Мәдина", "Редакторова", roles.CONTENT_EDITOR, False),
]

# Example contacts, so that `make run` shows complete public pages; only where the
# home has not written its own.
DEMO_HOURS = {"kk": "Дс–Жм 09:00–18:00", "ru": "Пн–Пт 09:00–18:00", "en": "Mon–Fri 09:00–18:00"}
DEMO_HOME = {
    "address": {
        "kk": "Астана, Мысал даңғылы 1 (ойдан шығарылған мекенжай)",
        "ru": "Астана, проспект Примерный, 1 (вымышленный адрес)",
        "en": "Astana, 1 Example avenue (a fictitious address)",
    },
    "office_hours": DEMO_HOURS,
    "visiting_hours": {
        "kk": "Күн сайын 10:00–12:00 және 15:00–18:00.\n\nКелер алдында әлеуметтік қызметке "
        "қоңырау шалыңыз.",
        "ru": "Ежедневно 10:00–12:00 и 15:00–18:00.\n\nПеред приходом позвоните в социальную "
        "службу.",
        "en": "Every day 10:00–12:00 and 15:00–18:00.\n\nCall the social service before you come.",
    },
}
DEMO_CONTACTS = {
    "phones": "+7 7172 00 00 00",
    "email": "crisis-unit@example.kz",
    "map_url": "https://2gis.kz/astana",
}


class Command(BaseCommand):
    help = "Load fictitious demo families, placements and users (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="password of the demo users")

    def handle(self, *args, password=None, **options):
        if not settings.DEBUG and not password:
            raise CommandError(
                "DEBUG is off: demo users need an explicit --password on this machine."
            )
        password = password or DEFAULT_PASSWORD
        self.rng = random.Random(2016)
        self.names = NameMaker(self.rng)
        self.serial = 9000
        self.today = timezone.localdate()
        with transaction.atomic():
            users = self.ensure_users(password)
            self.stdout.write(f"Demo users: {', '.join(name for name, *_rest in USERS)}.")
            fill_contacts(self.today)
            if Placement.objects.filter(social_worker=users["socialworker"]).exists():
                self.stdout.write("Demo data is already loaded; users are up to date.")
            else:
                self.history()
                self.stdout.write(
                    f"Three years of history in bulk: {Placement.objects.count()} placements, "
                    f"{Visit.objects.count()} visits."
                )
                before = Placement.objects.count(), Visit.objects.count()
                self.load(users)
                self.stdout.write(
                    f"Cases registered as staff would: {Placement.objects.count() - before[0]} "
                    f"placements, {Visit.objects.count() - before[1]} visits; "
                    f"{Placement.objects.count()} placements and "
                    f"{ReturnApplication.objects.count()} return applications in all."
                )
        self.say_where_the_emails_went()
        self.stdout.write(
            "Demo logins at /staff/login/ (and /admin/). After the password, give the code of "
            "an authenticator app set up with the key, or one of the single-use codes:"
        )
        for username, *_rest in USERS:
            key, codes = self.second_factor(users[username])
            self.stdout.write(
                f"  {username} / {password}\n"
                f"      authenticator key: {key}\n"
                f"      single-use codes: {', '.join(codes)}"
            )
        self.stdout.write(
            f"Open {settings.SITE_URL}/ (the staff workspace: {settings.SITE_URL}/staff/)."
        )

    def say_where_the_emails_went(self):
        """The notices the demo's cases send: where `make run` put them (a folder of
        its own, EMAIL_URL=filemail://…), in one line rather than printed."""
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            folder = Path(getattr(settings, "EMAIL_FILE_PATH", "")).resolve()
            sent = len(list(folder.glob("*.log"))) if folder.is_dir() else 0
            self.stdout.write(f"Emails the demo sent: {sent}, in {folder}/.")

    def second_factor(self, user):
        """The demo user's authenticator (kept from an earlier run, so the app set up
        then still works) and three fresh single-use codes."""
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        backup, _new = BackupCodes.objects.get_or_create(
            user=user, defaults={"name": "backup", "confirmed": True}
        )
        return setup_key(device), backup.replace_codes(count=3)

    def ensure_users(self, password):
        User = get_user_model()
        users = {}
        for username, first, last, group, superuser in USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@example.kz"
            user.is_staff, user.is_superuser, user.is_active = True, superuser, True
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=group))
            users[username] = user
        return users

    # The families and their stays, registered as the intake page does

    def placement(self, number, admitted_on, *, with_father=False, child=None):
        """A child's admission: the family (new, or the child of an earlier stay with
        its parents), each parent's consent, and the placement."""
        if child is None:
            family = self.family(number, admitted_on, with_father=with_father)
            child, parents = family.child, family.parents
        else:
            parents = [(link.parent, link.relation) for link in child.parent_links.all()]
        placement = services.placement_admit(
            child=child,
            parents=[
                services.IntakeParent(
                    parent=parent,
                    relation=relation,
                    consent_given_on=admitted_on,
                    consent_covers=(
                        "Демо: деректерді өңдеуге келісім / Демо: согласие на обработку данных"
                    ),
                )
                for parent, relation in parents
            ],
            placement=Placement(
                admitted_on=admitted_on,
                referral_source=self.rng.choice(Placement.ReferralSource.values),
                referral_number=f"ДЕМО-{number + 1:03d}",
                referral_date=admitted_on,
                crisis_reason=Placement.CrisisReason.values[
                    number % len(Placement.CrisisReason.values)
                ],
                crisis_notes=(
                    "Ойдан шығарылған демо жағдай. / Вымышленный демонстрационный случай."
                ),
                social_worker=self.users["socialworker"],
            ),
            by=self.users["socialworker"],
        )
        return placement, [parent for parent, _relation in parents]

    def family(self, number, admitted_on, *, with_father):
        rng, names = self.rng, self.names
        child_sex = rng.choice([Sex.FEMALE, Sex.MALE])

        child_born = admitted_on - datetime.timedelta(days=rng.randint(20, 3 * 365))

        def parent_born():  # 18 to 38 years before the child
            return child_born - datetime.timedelta(days=rng.randint(18 * 365, 38 * 365))

        surname, kazakh = names.family_surname()
        mother_born = parent_born()
        mother = names.person(surname, Sex.FEMALE, mother_born, kazakh=kazakh)
        father = father_born = None
        if with_father:
            father_born = parent_born()
            father = names.person(surname, Sex.MALE, father_born, kazakh=kazakh)
        child = names.person(
            surname, child_sex, child_born, kazakh=kazakh, father=father and father[0]
        )
        self.serial += 10
        family = build_family(
            surname=surname,
            child_name=child[0],
            child_sex=child_sex,
            child_born=child_born,
            mother_name=mother[0],
            mother_born=mother_born,
            father_name=father and father[0],
            father_born=father_born,
            iin_serial=self.serial,
            patronymics=(child[1], mother[1], father[1] if father else ""),
            address=DEMO_ADDRESS.format(n=number + 1),
        )
        if number % 5 == 0:
            family.child.iin = ""  # some children are admitted before their IIN is known
        for parent, _relation in family.parents:
            parent.phone = f"+7701{rng.randint(0, 9_999_999):07d}"
        return family

    def visits(self, placement, parents, until, *, skip=0.15):
        """About one visit a week from admission to `until` (the last visit), with gaps."""
        day, rows = placement.admitted_on + datetime.timedelta(days=2), []
        while day < until:
            if self.rng.random() > skip:
                rows.append(self.visit(placement, self.rng.choice(parents), day))
            day += datetime.timedelta(days=self.rng.randint(5, 8))
        rows.append(self.visit(placement, parents[0], until))

    def visit(self, placement, parent, day):
        hour = self.rng.randint(10, 17)
        if day == self.today:
            hour = min(hour, max(timezone.localtime().hour - 1, 0))
        return services.visit_record(
            placement=placement,
            parent=parent,
            visited_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))),
            duration_minutes=self.rng.choice([30, 45, 60, 90, 120]),
            notes=self.rng.choice(["", "Ана баламен ойнады.", "Мама покормила ребёнка."]),
            by=self.users["socialworker"],
        )

    def consultations(self, placement, parents, until):
        span = (until - placement.admitted_on).days
        for _ in range(self.rng.randint(1, 4)):
            services.consultation_record(
                placement=placement,
                parent=self.rng.choice(parents),
                specialist=self.rng.choice(Consultation.Specialist.values),
                held_on=placement.admitted_on + datetime.timedelta(days=self.rng.randint(0, span)),
                summary="Демо кеңес. / Демонстрационная консультация.",
                follow_up_needed=self.rng.random() < 0.3,
                by=self.users["doctor"],
            )

    def application(self, placement, parent, filed_on):
        return services.application_register(
            placement=placement, applicant=parent, filed_on=filed_on, by=self.users["socialworker"]
        )

    def follow_ups(self, social_worker):
        """Follow-ups after the returns: most done (a few late), one in nine missed;
        those due in the last three weeks or later are left to do."""
        due = FollowUp.objects.filter(
            due_on__lt=self.days_ago(21), done_on__isnull=True, missed_reason=""
        ).select_related("placement")
        methods = FollowUp.Method.values
        for i, follow_up in enumerate(due.order_by("due_on", "pk")):
            if i % 9 == 4:
                services.followup_mark_missed(
                    follow_up=follow_up,
                    by=social_worker,
                    reason="Отбасы көшіп кетті. / Семья переехала, телефон не отвечает.",
                )
                continue
            late_by = 30 if i % 7 == 3 else self.rng.randint(0, 10)
            services.followup_record(
                follow_up=follow_up,
                by=social_worker,
                done_on=min(follow_up.due_on + datetime.timedelta(days=late_by), self.today),
                method=methods[i % len(methods)],
                situation=FollowUp.Situation.CONCERNS if i % 5 == 2 else FollowUp.Situation.STABLE,
                notes="Демо: бала үйде, жағдайы жақсы. / Демо: ребёнок дома, всё хорошо.",
            )

    def recent_return(self, number, returned_on):
        placement, parents = self.placement(number, add_months(returned_on, -3))
        self.visits(placement, parents, returned_on - datetime.timedelta(days=1))
        self.return_home(placement, parents, returned_on, f"{number + 1:03d}")
        return number + 1

    def return_home(self, placement, parents, returned_on, number):
        """The work with the family up to the day before; the mother applies 20 days
        before, the application is reviewed, and the authority's decision 5 days before
        lets the child go home on `returned_on`."""
        family_work(
            placement, parents, returned_on - datetime.timedelta(days=1),
            by=self.users["socialworker"], rng=self.rng, returning=True,
        )  # fmt: skip
        application = self.application(
            placement, parents[0], returned_on - datetime.timedelta(days=20)
        )
        self.send(application, returned_on - datetime.timedelta(days=18), number)
        services.application_approve(
            application=application,
            by=self.users["admin"],
            decision_number=f"ДЕМО-Ш-{number}",
            decision_date=returned_on - datetime.timedelta(days=5),
            returned_on=returned_on,
        )

    def send(self, application, sent_on, number):
        """The application goes to the authority with the stay's latest inspection act."""
        act = application.placement.inspections.filter(inspected_on__lte=sent_on).first()
        services.application_start_review(
            application=application,
            sent_on=sent_on,
            outgoing_number=f"ДЕМО-ШЫҒ-{number}",
            inspection=act,
            by=self.users["socialworker"],
        )

    def reentry(self, social_worker):
        """The child of the latest return comes back into care: a re-entry."""
        earlier = (
            Placement.objects.returned_home()
            .filter(closed_on__lte=self.days_ago(70))
            .order_by("-closed_on")
            .first()
        )
        assert earlier is not None and earlier.closed_on  # the demo returned children above
        admitted_on = max(earlier.closed_on + datetime.timedelta(days=30), self.days_ago(40))
        placement, parents = self.placement(0, admitted_on, child=earlier.child)
        self.visits(placement, parents, self.days_ago(2))

    def scan(self, placement, parent):
        """A scanned (here: printed) referral and consent, kept with the case."""
        for kind, title, dated_on in (
            ("referral", "Жолдама / Направление (демо)", placement.admitted_on),
            ("consent", "Келісім / Согласие (демо)", placement.admitted_on),
        ):
            content = render_pdf("placements/print/base.html", {"title": title})
            document_services.document_add(
                placement=placement, kind=kind, dated_on=dated_on,
                parent=parent if kind == "consent" else None,
                upload=SimpleUploadedFile(f"{kind}-demo.pdf", content),
                by=self.users["socialworker"],
            )  # fmt: skip

    def days_ago(self, days):
        return self.today - datetime.timedelta(days=days)

    def load(self, users):
        self.users = users
        self.number = 0
        self.closed_stays()
        self.follow_ups(users["socialworker"])
        self.reentry(users["socialworker"])
        # Two recent returns, so that the dashboard shows a 1-month follow-up overdue
        # and one due within days, whatever the day the demo is loaded.
        for returned_on in (
            add_months(self.days_ago(5), -1),
            add_months(self.today, -1) + datetime.timedelta(days=3),
        ):
            self.number = self.recent_return(self.number, returned_on)
        self.active_stays()

    def history(self):
        """Three years of the unit's work at its real scale, written in bulk (about 50
        admissions and 35 returns home a year, 15 to 25 children in care), so that the
        public figures, the indicators and the dashboard look like a working unit.
        The cases below, written through the services as staff would, come on top."""
        call_command(
            "seed_synthetic",
            placements=HISTORY_PLACEMENTS,
            years=3,
            staff=["socialworker", "admin"],
            seed=2016,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )

    def closed_stays(self):
        """Two a year: every year has a return home (2024 on, both are); the other
        outcomes fall in 2019-2023."""
        other_outcomes = [o for o in Placement.Outcome.values if o != Placement.Outcome.RETURNED]
        for year in range(2019, self.today.year + 1):
            for half in range(2):
                closed_on = datetime.date(year, 3 + half * 6, 10 + half * 5)
                if closed_on >= self.today:
                    continue
                admitted_on = add_months(closed_on, -self.rng.randint(2, 6))
                number = self.number
                placement, parents = self.placement(
                    number, admitted_on, with_father=number % 3 == 0
                )
                self.visits(placement, parents, closed_on - datetime.timedelta(days=1))
                self.consultations(placement, parents, closed_on)
                if half == 0 or year >= 2024:
                    self.return_home(placement, parents, closed_on, f"{year}-{number + 1:03d}")
                else:
                    services.placement_close(
                        placement=placement,
                        outcome=other_outcomes[(year - 2019) % len(other_outcomes)],
                        on=closed_on,
                        by=self.users["admin"],
                    )
                self.number += 1

    def active(self, admitted_days_ago, last_visit_days_ago, *, plan=True, **kwargs):
        """An active stay admitted `admitted_days_ago` days ago, with visits up to
        `last_visit_days_ago` days ago (None: no visit yet), consultations and, with
        `plan`, the work with the family."""
        placement, parents = self.placement(self.number, self.days_ago(admitted_days_ago), **kwargs)
        if last_visit_days_ago is not None:
            self.visits(placement, parents, self.days_ago(last_visit_days_ago))
        self.consultations(placement, parents, self.today)
        if plan:
            family_work(placement, parents, self.today, by=self.users["socialworker"], rng=self.rng)
        self.number += 1
        return placement, parents

    def active_stays(self):
        """One active stay for each situation the staff must notice."""
        admin, social_worker, active = self.users["admin"], self.users["socialworker"], self.active
        active(60, 2)  # visits every week
        active(45, 10, plan=False)  # overdue: no visit for 10 days, and no plan yet
        active(90, 20, with_father=True)  # overdue by more than two weeks
        active(9, None)  # no visit since admission 9 days ago
        active(3, 0)  # admitted this week, visited today
        # Term ends within the next two weeks; the mother has applied.
        ending_on = self.today + datetime.timedelta(days=10)
        admitted_on = add_months(ending_on, -settings.PLACEMENT_TERM_MONTHS)
        placement, parents = active((self.today - admitted_on).days, 1)
        self.application(placement, parents[0], self.days_ago(4))
        self.scan(placement, parents[0])
        # Term passed with no return application.
        active(200, 3)
        # Extended term; the application is with the authority, past its deadline.
        placement, parents = active(250, 4, with_father=True)
        services.placement_extend(
            placement=placement,
            new_end_on=add_months(placement.planned_end_on, 3),
            reason="Анасы емделуде. / Мать проходит лечение.",
            basis_number="ДЕМО-ҰЗ-001",
            basis_date=placement.planned_end_on - datetime.timedelta(days=7),
            by=admin,
        )
        # Sent 35 days ago: past the authority's deadline.
        self.send(self.application(placement, parents[0], self.days_ago(40)), self.days_ago(35), 1)
        # An earlier application was rejected; overdue by exactly one day.
        placement, parents = active(120, 8)
        services.application_reject(
            application=self.application(placement, parents[0], self.days_ago(40)),
            by=admin,
            decision_number="ДЕМО-Ш-ҚАЙТ-002",
            decision_date=self.days_ago(30),
            reason="Тұрғын үй мәселесі әлі шешілмеген. / Жилищный вопрос ещё не решён.",
        )
        # The parent withdrew an application.
        placement, parents = active(30, 5)
        services.application_withdraw(
            application=self.application(placement, parents[0], self.days_ago(14)),
            by=social_worker,
        )


def _fill(obj, texts, contacts):
    """Set each empty text and contact of `obj` to the example; save only a change."""
    values = {
        f"{name}_{language}": value
        for name, text in texts.items()
        for language, value in text.items()
    }
    empty = {
        name: value for name, value in {**values, **contacts}.items() if not getattr(obj, name)
    }
    if empty or obj.pk is None:
        for name, value in empty.items():
            setattr(obj, name, value)
        obj.full_clean()
        obj.save()


def fill_contacts(today):
    """Example contacts for the home and the referral offices, and one announcement."""
    _fill(Home.load(), DEMO_HOME, DEMO_CONTACTS)
    for number, office in enumerate(Office.objects.all(), 1):
        address = {
            "kk": f"Астана, Мысал даңғылы {number + 1} (ойдан шығарылған мекенжай)",
            "ru": f"Астана, проспект Примерный, {number + 1} (вымышленный адрес)",
            "en": f"Astana, {number + 1} Example avenue (a fictitious address)",
        }
        _fill(
            office,
            {"address": address, "hours": DEMO_HOURS},
            {"phones": f"+7 7172 00 00 0{number}"},
        )
    if not Announcement.objects.exists():
        _fill(
            Announcement(publish_on=today, end_on=today + datetime.timedelta(days=30)),
            {
                "title": {
                    "kk": "Демо хабарландыру: мереке күндері",
                    "ru": "Демо-объявление: праздничные дни",
                    "en": "Demo announcement: public holidays",
                },
                "body": {
                    "kk": "Мереке күндері ата-аналар балаларына **11:00–14:00** аралығында "
                    "келе алады.",
                    "ru": "В праздничные дни родители могут навещать детей с **11:00 до 14:00**.",
                    "en": "On public holidays parents may visit their children **11:00–14:00**.",
                },
            },
            {},
        )
