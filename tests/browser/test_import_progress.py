"""Issue 35, end to end in a real browser: an administrator uploads a 20,000-row
caseload file; the background worker checks it while the page's progress bar moves
(static/js/job-progress.js, no reload); then imports it, and the page shows the
summary. On PostgreSQL only (.ci/run runs it there): the worker is a thread with its own
database connection, as a worker process has, which the live server's in-memory SQLite
cannot give it."""

import importlib.util
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from placements.models import Placement
from tests.browser.conftest import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="the worker thread needs connections of its own (PostgreSQL)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROWS = 20_000


def bench_rows():
    """The import benchmark's file (bench/import.py): fictitious stays with visits."""
    path = Path(__file__).resolve().parents[2] / "bench" / "import.py"
    spec = importlib.util.spec_from_file_location("bench_import", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    running = Worker(
        queue_names=["default"], interval=0.2, batch=False, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="browser-test", excluded_queue_names=[],
    )  # fmt: skip

    def work():
        try:
            running.run()
        finally:
            connections.close_all()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    yield running
    running.running = False
    thread.join(timeout=120)


READ_THE_BAR = """() => {
  const bar = document.querySelector("progress#job-bar");
  if (!bar || !window.__same_page) return null;
  return [bar.value, document.getElementById("job-status").textContent];
}"""


def watch_the_bar(page):
    """The bar's values, read without reloading, until the page reloads with a result."""
    seen = []
    page.evaluate("window.__same_page = true")  # gone once the page reloads
    while True:
        try:
            value = page.evaluate(READ_THE_BAR)
        except PlaywrightError:  # the page is reloading, as it does when the job ends
            value = None
        if value is None:
            break
        if not seen or seen[-1] != value:
            seen.append(value)
        page.wait_for_timeout(250)
    page.wait_for_load_state()
    page.wait_for_function("() => !document.querySelector('progress#job-bar')")
    return seen


def test_an_administrator_watches_a_large_file_checked_and_imported(
    page, live_server, administrator, social_worker, worker, screenshot
):
    content = bench_rows().write("csv", ROWS, 4, timezone.localdate())
    sign_in(page, live_server, administrator)
    page.set_default_timeout(240_000)

    page.goto(f"{live_server.url}/staff/import/")
    page.set_input_files(
        "#id_file", {"name": "caseload.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.select_option("#id_social_worker", str(social_worker.pk))
    page.click("main form button[type=submit]")

    checking = watch_the_bar(page)
    screenshot("import-checked")
    expect(page.locator("h1")).to_have_text("caseload.csv")
    expect(page.locator("main .actions form:first-of-type button")).to_contain_text("20")
    page.click("main .actions form:first-of-type button")
    importing = watch_the_bar(page)
    expect(page.locator("#summary")).to_be_visible()

    assert Placement.objects.count() == ROWS
    moving = [value for value, _text in checking if 0 < value < 100]
    assert len(moving) >= 2, checking  # the bar moved on the page, without a reload
    assert any("20" in text and "000" in text for _value, text in checking), checking
    assert any(value >= 50 for value, _text in importing), importing
