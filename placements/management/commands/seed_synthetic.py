"""Fictitious but realistic data at any scale, for the benchmarks (bench/).

Placements spread over the last ten years with every outcome, about one parent visit a
week (with gaps), consultations, extensions, return applications and follow-ups. Written
in bulk in batches (placements.services.caseload_load), without change history.
Deterministic for a seed and a day.
"""

import datetime
import random
import sys
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from crisisunit import roles
from crisisunit.lib.dates import add_months
from families.builders import build_child, build_parent
from families.models import RELATION_SEX, Child, ChildParent, Consent, Parent, Relation, Sex
from families.names import NameMaker
from placements import services
from placements.models import (
    Consultation,
    FollowUp,
    Placement,
    ReturnApplication,
    TermExtension,
    Visit,
    default_planned_end,
)

OUTCOMES = [  # (outcome, weight)
    (Placement.Outcome.RETURNED, 70),
    (Placement.Outcome.GUARDIANSHIP, 10),
    (Placement.Outcome.ADOPTED, 5),
    (Placement.Outcome.TRANSFERRED, 10),
    (Placement.Outcome.OTHER, 5),
]
BATCH = 1000  # placements per batch, with everything that belongs to them
SOCIAL_WORKERS = 40
YEARS = 10


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser):
        parser.add_argument("--placements", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2016)
        parser.add_argument("--years", type=int, default=YEARS, help="admissions spread over")
        parser.add_argument(
            "--staff",
            nargs=2,
            metavar=("SOCIAL_WORKER", "ADMINISTRATOR"),
            help="existing users to assign and close the stays (default: synthetic ones)",
        )

    def handle(self, *args, placements, seed, years=YEARS, staff=None, **options):
        self.rng = random.Random(seed)
        self.names = NameMaker(self.rng)
        self.today = timezone.localdate()
        self.tz = timezone.get_current_timezone()
        self.now = timezone.now()
        if staff:
            User = get_user_model()
            self.workers, self.admin = (
                [User.objects.get(username=staff[0])],
                User.objects.get(username=staff[1]),
            )
        else:
            self.workers, self.admin = self._users()
        started = time.monotonic()
        self.totals = dict.fromkeys(["visits", "consultations", "applications"], 0)
        first_day = self.today - datetime.timedelta(days=365 * years)
        days = (self.today - first_day).days
        # Admissions in date order, so that identifiers follow time as in real use.
        admissions = sorted(
            first_day + datetime.timedelta(days=self.rng.randrange(days)) for _ in range(placements)
        )
        for start in range(0, placements, BATCH):
            with transaction.atomic():
                self._batch(admissions[start : start + BATCH])
            self._progress(min(start + BATCH, placements), placements, started)
        sys.stderr.write("\n")
        self.stdout.write(
            f"Seeded {placements:,} placements, {self.totals['visits']:,} visits, "
            f"{self.totals['consultations']:,} consultations, "
            f"{self.totals['applications']:,} applications in "
            f"{time.monotonic() - started:.0f} s."
        )

    def _progress(self, done, total, started):
        width = 30
        filled = width * done // total
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} placements, "
            f"{self.totals['visits']:,} visits, {time.monotonic() - started:.0f} s"
        )
        sys.stderr.flush()

    def _users(self):
        User = get_user_model()
        group = Group.objects.get(name=roles.SOCIAL_WORKER)
        workers = []
        for n in range(1, SOCIAL_WORKERS + 1):
            user, created = User.objects.get_or_create(
                username=f"synthetic_sw_{n:02d}",
                defaults={"is_staff": True, "first_name": "Синт", "last_name": f"Әлеуметов {n}"},
            )
            if created:
                user.set_unusable_password()
                user.save()
                user.groups.add(group)
            workers.append(user)
        admin, created = User.objects.get_or_create(
            username="synthetic_admin", defaults={"is_staff": True}
        )
        if created:
            admin.set_unusable_password()
            admin.save()
            admin.groups.add(Group.objects.get(name=roles.ADMINISTRATOR))
        return workers, admin

    def _batch(self, admissions):
        """One batch: the families, their placements, then what happened in each."""
        families = self._families(admissions)
        plans = self._placements(families, admissions)
        self._records(plans)

    def _families(self, admissions):
        """[(child, [mother, father or None])] for each admission, saved, with links
        and each parent's consent."""
        rng = self.rng
        families = []
        for admitted_on in admissions:
            surname, kazakh = self.names.family_surname()
            birth = admitted_on - datetime.timedelta(days=rng.randint(10, 1000))
            mother = self._parent(surname, kazakh, Relation.MOTHER, birth)
            father = (
                self._parent(surname, kazakh, Relation.FATHER, birth)
                if rng.random() < 0.4
                else None
            )
            sex = rng.choice(Sex.values)
            given, patronymic = self.names.person(
                surname, sex, birth, kazakh=kazakh, father=father and father.given_name
            )
            child = build_child(
                surname=surname,
                given_name=given,
                patronymic=patronymic,
                date_of_birth=birth,
                sex=sex,
                created_at=self.now,
            )
            families.append((child, [mother, father]))
        children = [child for child, _parents in families]
        parents = [p for _child, pair in families for p in pair if p]
        self._load((Child, children), (Parent, parents))
        links = [
            ChildParent(child=child, parent=parent, relation=relation)
            for child, pair in families
            for parent, relation in zip(pair, (Relation.MOTHER, Relation.FATHER), strict=True)
            if parent
        ]
        consents = [
            Consent(
                parent=parent,
                given_on=parent.given_on,
                covers="Синтетикалық деректер / синтетические данные",
                recorded_by=self.workers[0],
                recorded_at=self.now,
            )
            for parent in parents
        ]
        self._load((ChildParent, links), (Consent, consents))
        return [(child, [p for p in pair if p]) for child, pair in families]

    def _placements(self, families, admissions):
        """Each family's placement, closed with an outcome when its stay has ended, its
        term extended when the stay outran it: [(placement, parents, first end, extended)]."""
        rng = self.rng
        plans = []
        for (child, parents), admitted_on in zip(families, admissions, strict=True):
            stay = int(min(540, max(7, rng.lognormvariate(4.6, 0.6))))  # median ≈ 100 days
            end = admitted_on + datetime.timedelta(days=stay)
            closed = end < self.today
            outcome = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
            planned = default_planned_end(admitted_on)
            placement = Placement(
                child=child,
                admitted_on=admitted_on,
                planned_end_on=planned,
                referral_source=rng.choice(Placement.ReferralSource.values),
                referral_date=admitted_on,
                crisis_reason=rng.choice(Placement.CrisisReason.values),
                social_worker=rng.choice(self.workers),
                status=Placement.Status.CLOSED if closed else Placement.Status.ACTIVE,
                outcome=outcome if closed else "",
                closed_on=end if closed else None,
                closed_by=self.admin if closed else None,
                created_at=self.now,
            )
            extended = (min(end, self.today) - planned).days > -14
            if extended:
                placement.planned_end_on = default_planned_end(planned)
            plans.append((placement, parents, planned, extended))
        self._load((Placement, [plan[0] for plan in plans]))
        return plans

    def _records(self, plans):
        """What happened during each stay and after it."""
        extensions, visits, consultations, applications, follow_ups = [], [], [], [], []
        for placement, parents, first_end, extended in plans:
            last = placement.closed_on or self.today
            if extended:
                extensions.append(self._extension(placement, first_end))
            visits += self._visits(placement, parents, last)
            consultations += self._consultations(placement, parents, last)
            applications += self._applications(placement, parents)
            if placement.outcome == Placement.Outcome.RETURNED:
                follow_ups += self._follow_ups(placement)
        self._load(
            (TermExtension, extensions),
            (Visit, visits),
            (Consultation, consultations),
            (ReturnApplication, applications),
            (FollowUp, follow_ups),
        )
        self.totals["visits"] += len(visits)
        self.totals["consultations"] += len(consultations)
        self.totals["applications"] += len(applications)

    def _extension(self, placement, first_end):
        return TermExtension(
            placement=placement,
            previous_end_on=first_end,
            new_end_on=placement.planned_end_on,
            reason="Синтетикалық ұзарту / синтетическое продление",
            basis_number=f"С-{placement.pk}",
            basis_date=first_end - datetime.timedelta(days=7),
            granted_by=self.admin,
            granted_at=self.now,
        )

    def _consultations(self, placement, parents, last):
        """One every 25 to 60 days, from the first weeks of the stay."""
        rng = self.rng
        rows = []
        day = placement.admitted_on + datetime.timedelta(days=rng.randint(3, 40))
        while day <= last:
            rows.append(
                Consultation(
                    placement=placement,
                    parent=rng.choice(parents),
                    specialist=rng.choice(Consultation.Specialist.values),
                    held_on=day,
                    summary="Синтетикалық кеңес / синтетическая консультация",
                    recorded_by=placement.social_worker,
                    recorded_at=self.now,
                )
            )
            day += datetime.timedelta(days=rng.randint(25, 60))
        return rows

    def _load(self, *records):
        """Through the bulk service of the one write path, without checking each row:
        tests/placements/test_seed_synthetic.py checks that every row obeys the rules."""
        services.caseload_load(records=list(records), by=self.admin, validate=False)

    def _parent(self, surname, kazakh, relation, child_birth):
        born = child_birth - datetime.timedelta(days=self.rng.randint(18 * 365, 40 * 365))
        sex = RELATION_SEX[relation]
        given, patronymic = self.names.person(surname, sex, born, kazakh=kazakh)
        parent = build_parent(
            surname=surname,
            given_name=given,
            patronymic=patronymic,
            date_of_birth=born,
            relation=relation,
            phone=f"+7701{self.rng.randrange(10**7):07d}",
            address="Астана, синтетикалық мекенжай / синтетический адрес",
            created_at=self.now,
        )
        parent.given_on = child_birth  # type: ignore[attr-defined]  # the consent's date
        return parent

    def _visits(self, placement, parents, last):
        """About one visit a week: most weeks one, some two, some none."""
        rng = self.rng
        visits = []
        monday = placement.admitted_on
        while monday <= last:
            roll = rng.random()
            count = 0 if roll < 0.15 else 2 if roll > 0.92 else 1
            for _ in range(count):
                day = monday + datetime.timedelta(days=rng.randint(0, 6))
                if day > last:
                    continue
                at = datetime.datetime.combine(day, datetime.time(rng.randint(9, 18), 0))
                if at.replace(tzinfo=self.tz) > self.now:
                    continue  # later today: not yet
                visits.append(
                    Visit(
                        placement=placement,
                        parent=rng.choice(parents),
                        visited_at=at.replace(tzinfo=self.tz),
                        duration_minutes=rng.choice([30, 45, 60, 90, 120]),
                        recorded_by=placement.social_worker,
                        recorded_at=self.now,
                    )
                )
            monday += datetime.timedelta(days=7)
        return visits

    def _applications(self, placement, parents):
        rng = self.rng
        if placement.outcome == Placement.Outcome.RETURNED:
            filed = max(placement.admitted_on, placement.closed_on - datetime.timedelta(days=20))
            decided = max(filed, placement.closed_on - datetime.timedelta(days=5))
            return [
                ReturnApplication(
                    placement=placement,
                    applicant=parents[0],
                    filed_on=filed,
                    status=ReturnApplication.Status.APPROVED,
                    decision_number=f"С-Ш-{placement.pk}",
                    decision_date=decided,
                    decided_by=self.admin,
                    decided_at=self.now,
                    registered_by=placement.social_worker,
                    registered_at=self.now,
                )
            ]
        if placement.status == Placement.Status.ACTIVE and rng.random() < 0.2:
            return [
                ReturnApplication(
                    placement=placement,
                    applicant=parents[0],
                    filed_on=max(placement.admitted_on, self.today - datetime.timedelta(days=10)),
                    registered_by=placement.social_worker,
                    registered_at=self.now,
                )
            ]
        return []

    def _follow_ups(self, placement):
        rng = self.rng
        rows = []
        for months in settings.FOLLOW_UP_MONTHS:
            due = add_months(placement.closed_on, months)
            follow_up = FollowUp(placement=placement, months_after=months, due_on=due)
            if due < self.today - datetime.timedelta(days=30):
                if rng.random() < 0.1:
                    follow_up.missed_reason = "Синтетикалық: байланыс болмады"
                else:
                    follow_up.done_on = min(
                        due + datetime.timedelta(days=rng.randint(-5, 25)), self.today
                    )
                    follow_up.done_on = max(follow_up.done_on, placement.closed_on)
                    follow_up.method = rng.choice(FollowUp.Method.values)
                    follow_up.situation = rng.choice(FollowUp.Situation.values)
                follow_up.recorded_by = placement.social_worker
                follow_up.recorded_at = self.now
            rows.append(follow_up)
        return rows
