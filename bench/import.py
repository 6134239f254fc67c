"""How long importing a caseload spreadsheet takes: --rows fictitious stays (each child
with a mother, most stays closed, --visits visits each) written as CSV or XLSX, then
read, checked and imported through the service, into the empty database DATABASE_URL
names (migrated here). Prints one JSON object with each phase's seconds.

    DEBUG=on DATABASE_URL=sqlite:////tmp/import.sqlite3 python bench/import.py --rows 20000
"""

import argparse
import csv
import datetime
import io
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crisisunit.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from crisisunit import roles  # noqa: E402
from crisisunit.lib.tabular import read_table  # noqa: E402
from families.builders import fictitious_iin  # noqa: E402
from placements import import_check  # noqa: E402
from placements.models import Placement  # noqa: E402
from placements.services import imports as import_services  # noqa: E402

HEADINGS = [
    "child_surname", "child_given_name", "child_date_of_birth", "child_sex", "child_iin",
    "parent_surname", "parent_given_name", "parent_date_of_birth", "parent_phone",
    "admitted_on", "referral_source", "crisis_reason", "closed_on", "outcome", "visit_dates",
]  # fmt: skip
OUTCOMES = ["returned"] * 7 + ["guardianship", "adopted", "transferred"]
REASONS = ["relationship", "criminal", "medical", "housing", "other"]


def name(stem, serial):
    """A name told apart by its serial even when spelled loosely: a consonant a digit,
    vowels between, so no two serials share a key (crisisunit.lib.names folds doubles)."""
    return stem + "-" + "а".join("бвгджзклмн"[int(d)] for d in str(serial))


def iin(serial):
    return serial % 3 and serial < 10_000


def rows(count, visits, today, seed=1):
    rng = random.Random(seed)
    for serial in range(1, count + 1):
        admitted = today - datetime.timedelta(days=rng.randint(30, 3650))
        born = admitted - datetime.timedelta(days=rng.randint(10, 1400))
        stay = rng.randint(20, 300)
        closed = admitted + datetime.timedelta(days=stay)
        still_in_care = closed >= today or rng.random() < 0.02
        days = sorted(rng.sample(range(1, min(stay, (today - admitted).days)), visits))
        yield [
            "Импортов" + ("а" if serial % 2 else ""),
            name("Бала", serial),
            f"{born:%d.%m.%Y}",
            "F" if serial % 2 else "M",
            # Two in three with an IIN (its serial has four digits: one per child here).
            fictitious_iin(born, "F" if serial % 2 else "M", serial) if iin(serial) else "",
            "Импортова",
            name("Ана", serial),
            f"{born - datetime.timedelta(days=rng.randint(7000, 12000)):%d.%m.%Y}",
            f"+7701{serial:07d}",
            f"{admitted:%d.%m.%Y}",
            rng.choice(["mother_and_child", "guardianship", "other"]),
            rng.choice(REASONS),
            "" if still_in_care else f"{closed:%d.%m.%Y}",
            "" if still_in_care else rng.choice(OUTCOMES),
            "; ".join(f"{admitted + datetime.timedelta(days=d):%d.%m.%Y}" for d in days),
        ]


def write(kind, count, visits, today):
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADINGS)
        writer.writerows(rows(count, visits, today))
        return out.getvalue().encode()
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADINGS)
    for row in rows(count, visits, today):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def users():
    call_command("migrate", verbosity=0)
    User = get_user_model()
    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={"is_staff": True})
    admin.groups.add(Group.objects.get(name=roles.ADMINISTRATOR))
    worker, _ = User.objects.get_or_create(username="bench_sw", defaults={"is_staff": True})
    worker.groups.add(Group.objects.get(name=roles.SOCIAL_WORKER))
    return User.objects.get(pk=admin.pk), worker


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--visits", type=int, default=4)
    parser.add_argument("--kind", choices=["csv", "xlsx"], default="csv")
    args = parser.parse_args()
    admin, worker = users()
    if Placement.objects.exists():
        sys.exit("The database must hold no placements.")
    today = timezone.localdate()
    figures = {"rows": args.rows, "visits_per_row": args.visits, "kind": args.kind,
               "database": connection.vendor}  # fmt: skip
    content = write(args.kind, args.rows, args.visits, today)
    figures["file_mb"] = round(len(content) / 1e6, 1)

    started = time.perf_counter()
    table = read_table(content, max_rows=args.rows)
    figures["read_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    plan = import_check.check(table, by=admin, social_worker=worker)
    figures["check_s"] = round(time.perf_counter() - started, 1)  # the dry run
    if plan.problems:
        sys.exit(f"problems: {plan.problems[:5]}")
    run = import_services.caseload_stage(
        file_name=f"bench.{args.kind}", content=content, social_worker=worker, by=admin
    )
    started = time.perf_counter()
    summary = import_services.caseload_import(run=run, table=table, by=admin)
    figures["import_s"] = round(time.perf_counter() - started, 1)
    # What --commit takes: reading the file, then the import (its check and its writes).
    figures["commit_total_s"] = round(figures["read_s"] + figures["import_s"], 1)
    figures["placements"], figures["visits"] = summary["placements"], summary["visits"]
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
