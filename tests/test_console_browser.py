"""The QA console in a real browser: Debian's chromium driven by Playwright, against `mockserver serve` with two
workers. A vendor call shows in Calls; an enrollment completed from Steer reads back through REST and SOAP; a 503
fault set from Steer breaks the vendor call; a reset from Steer (confirmed) undoes the write.

Screenshots of each page land in `artifacts/console/` (ignored by git), at 1366x768.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from lxml import etree

from mockserver.config import Config
from mockserver.world import World
from mockserver.world.ispring_seed import passing_score

from .helpers.ispring_wire import envelope
from .helpers.servers import SHARED_ENV, shared_server

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
# As root, in a closed network: no sandbox, no GPU, nothing Chromium would fetch by itself.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "console"
TOKEN = Config().ispring_static_tokens[0]
JSON = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}


@pytest.fixture(scope="module")
def server():
    with shared_server() as found:
        yield found


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no {CHROMIUM} (.ci/browser-setup installs Debian's chromium)")
    with sync_api.sync_playwright() as playwright:
        found = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield found
        found.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    found = context.new_page()
    yield found
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def open_enrollment():
    """An enrollment not yet completed, of a scored course that issues a certificate, in the server's world."""
    world = World.build(int(SHARED_ENV["MOCKSERVER_SEED"]), int(SHARED_ENV["MOCKSERVER_EMPLOYEES"]), Config().courses)
    for e in sorted(world.enrollments.values(), key=lambda e: e.enrollment_id):
        item = world.content_item_by_id[e.course_id]
        if e.status in ("not_started", "in_progress") and e.certificate is None \
                and e.course_id in world.certifying_items and passing_score(world.seed, item) is not None:
            return e, passing_score(world.seed, item)
    raise AssertionError("no open certifying enrollment")


def rest_result(url: str, enrollment_id: str) -> dict:
    response = requests.get(f"{url}/learners/results", params={"enrollmentIds": enrollment_id}, headers=JSON,
                            timeout=10)
    assert response.status_code == 200, response.text
    [found] = response.json()["results"]
    return found


def soap_certificate(url: str, enrollment_id: str) -> str | None:
    response = requests.post(f"{url}/api/v2/soap/2.0", data=envelope("getEnrollment", enrollmentId=enrollment_id),
                             headers={"Content-Type": "text/xml"}, timeout=10)
    assert response.status_code == 200, response.text
    found = etree.fromstring(response.content).find(".//{*}certificate/{*}issuedCertificateId")
    return None if found is None else found.text


def test_the_console_sees_calls_steers_the_world_and_faults(server, page):
    url = server.url
    server.reset()
    requests.delete(f"{url}/__admin/requests", timeout=10)
    e, passing = open_enrollment()

    # Calls: a vendor call appears (live), and opens with its answer, masked credentials and no world events.
    page.goto(f"{url}/__admin/")
    call = requests.get(f"{url}/enrollment/{e.enrollment_id}", headers=JSON, timeout=10)
    assert call.status_code == 200
    row = page.locator("#calls tbody tr", has_text=f"/enrollment/{e.enrollment_id}")
    row.wait_for(timeout=10_000)
    assert "ispring.GetEnrollment" in row.inner_text() and "200" in row.inner_text()
    row.get_by_role("button").focus()
    page.keyboard.press("Enter")  # the keyboard opens it
    detail = page.locator("#call-detail")
    detail.get_by_text("World events (0)").wait_for()
    text = detail.inner_text()
    assert f'"enrollmentId": "{e.enrollment_id}"' in text and "Bearer ***" in text and TOKEN not in text
    shot(page, "calls")

    # World: the learner's enrollment, found by its ID, with its status.
    page.goto(f"{url}/__admin/console/world")
    page.select_option("#world-search [name=view]", "enrollments")
    page.fill("#world-search [name=q]", e.enrollment_id)
    page.press("#world-search [name=q]", "Enter")
    page.locator("#world tbody tr", has_text=e.enrollment_id).wait_for()
    assert e.status in page.locator("#world tbody tr", has_text=e.enrollment_id).inner_text()
    shot(page, "world")

    # Steer: complete the enrollment with a passing score; REST and SOAP (either worker) read it back.
    assert rest_result(url, e.enrollment_id)["completionStatus"] == e.status
    assert soap_certificate(url, e.enrollment_id) is None
    page.goto(f"{url}/__admin/console/steer")
    page.select_option("#activity-form [name=vendor]", "ispring")
    page.select_option("#activity-form [name=action]", "complete")
    page.fill("#activity-form [name=enrollmentId]", e.enrollment_id)
    page.fill("#activity-form [name=score]", str(passing + 5))
    page.click("#activity-form button[type=submit]")
    page.get_by_text("Learner moved along.").wait_for()
    for _ in range(4):  # two workers: each answers from the shared log
        result = rest_result(url, e.enrollment_id)
        assert (result["completionStatus"], result["awardedScore"]) == ("passed", passing + 5)
        assert soap_certificate(url, e.enrollment_id) is not None

    # Steer: a 503 fault on iSpring breaks the vendor call; removed, the call answers again.
    page.select_option("#fault-form [name=kind]", "status")
    page.fill("#fault-form [name=status]", "503")
    page.select_option("#fault-form [name=vendor]", "ispring")
    page.click("#fault-form button[type=submit]")
    page.get_by_text("Fault added.").wait_for()
    page.locator("#faults li", has_text="status 503").wait_for()
    shot(page, "steer")
    for _ in range(2):
        assert requests.get(f"{url}/enrollment/{e.enrollment_id}", headers=JSON, timeout=10).status_code == 503
    page.click("#clear-faults")
    page.get_by_text("Faults cleared.").wait_for()
    assert requests.get(f"{url}/enrollment/{e.enrollment_id}", headers=JSON, timeout=10).status_code == 200

    # Steer: reset, confirmed in the browser's dialog; the completion is undone on every worker.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#reset")
    page.get_by_text("World reset.").wait_for()
    for _ in range(4):
        assert rest_result(url, e.enrollment_id)["completionStatus"] == e.status
        assert soap_certificate(url, e.enrollment_id) is None

    # Status, and the 503 in Calls filtered by status.
    page.goto(f"{url}/__admin/console/status")
    page.locator("#status-server dd", has_text="7").first.wait_for()
    assert "Workers" in page.locator("#status-server").inner_text()
    shot(page, "status")
    page.goto(f"{url}/__admin/")
    page.fill("#call-filters [name=status]", "503")
    page.click("#call-filters button[type=submit]")
    page.locator("#calls tbody tr", has_text="fault: status").first.wait_for()
    assert page.locator("#calls tbody tr").count() == 2


def test_a_token_protected_console_asks_for_it(page):
    from .helpers.servers import running_server

    with running_server(env={**SHARED_ENV, "MOCKSERVER_ADMIN_TOKEN": "console-secret-1"}) as (url, process):
        try:
            page.goto(f"{url}/__admin/console/status")
            assert page.locator("#login").is_visible() and not page.locator("#main").is_visible()
            page.fill("#token", "wrong-token-0")
            page.press("#token", "Enter")
            page.get_by_text("That token was refused.").wait_for()
            page.fill("#token", "console-secret-1")
            page.press("#token", "Enter")
            page.locator("#status-server dd").first.wait_for()
            assert page.locator("#main").is_visible()
            shot(page, "login-then-status")
        finally:
            process.terminate()
            process.wait(10)

