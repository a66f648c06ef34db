"""The web app in a real Chromium (Debian's, driven by Playwright), against `mlcoach serve`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURE_BANK

from mlcoach.core.catalog import Bank

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = os.environ.get("MLCOACH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data: Path, port: int) -> subprocess.Popen:  # type: ignore[type-arg]
    """`mlcoach serve` as a user runs it: its own process, the fixture bank, a SQLite file in `data`."""
    env = {**os.environ, "MLCOACH_DATA_DIR": str(data)}
    env.pop("MLCOACH_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "mlcoach", "serve", "--bank", str(FIXTURE_BANK), "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return process
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"mlcoach serve exited: {process.stdout.read() if process.stdout else ''}")
            time.sleep(0.2)
    process.kill()
    pytest.fail("mlcoach serve did not answer within 30 s")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("data")
    port = free_port()
    process = start_server(data, port)
    assert (data / "mlcoach.db").exists()  # the local default migrated itself on start
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.fail(f"Chromium not found at {CHROMIUM}: the test command installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def test_browse_filter_reveal_and_star(server: str, page: object, bank: Bank) -> None:
    from playwright.sync_api import expect

    page.goto(server + "/")  # type: ignore[attr-defined]
    expect(page.locator(".guide-card")).to_have_count(6)  # type: ignore[attr-defined]
    page.click(".guide-card[data-area='ml-theory'] a")  # type: ignore[attr-defined]
    expect(page).to_have_url(server + "/guides/ml-theory")
    theory = bank.filter(area="ml-theory")
    expect(page.locator(".item-list li[data-id]")).to_have_count(len(theory))  # type: ignore[attr-defined]

    # Choosing a topic swaps the list in place through HTMX and updates the address bar.
    target = theory[0]
    page.select_option("select[name=topic]", target.topic)  # type: ignore[attr-defined]
    expected = bank.filter(area="ml-theory", topic=target.topic)
    expect(page.locator(".item-list li[data-id]")).to_have_count(len(expected))  # type: ignore[attr-defined]
    expect(page).to_have_url(f"{server}/guides/ml-theory?topic={target.topic}&difficulty=&role=")
    assert page.locator("h1").count() == 1  # type: ignore[attr-defined]

    page.click(f"li[data-id='{target.id}'] a")  # type: ignore[attr-defined]
    expect(page.locator("h1.question")).to_have_text(target.question)  # type: ignore[attr-defined]
    answer = page.locator("details#answer .prose").first  # type: ignore[attr-defined]
    expect(answer).to_be_hidden()
    page.click("details#answer summary")  # type: ignore[attr-defined]
    expect(answer).to_be_visible()

    page.click("button.star")  # type: ignore[attr-defined]
    expect(page.locator("button.star")).to_have_attribute("aria-pressed", "true")  # type: ignore[attr-defined]
    page.reload()  # type: ignore[attr-defined]
    expect(page.locator("button.star")).to_have_attribute("aria-pressed", "true")  # type: ignore[attr-defined]


def test_a_bad_link_shows_a_page_not_a_traceback(server: str, page: object) -> None:
    from playwright.sync_api import expect

    response = page.goto(server + "/guides/ml-theory?difficulty=7")  # type: ignore[attr-defined]
    assert response.status == 400
    expect(page.locator(".error-message")).to_contain_text("Difficulty must be 1")  # type: ignore[attr-defined]


def test_log_an_interview_correct_a_match_and_reflect(server: str, page: object, bank: Bank) -> None:
    from playwright.sync_api import expect

    theory = bank.filter(area="ml-theory")[0]
    page.goto(server + "/log/new")  # type: ignore[attr-defined]
    page.fill("input[name=company]", "")  # type: ignore[attr-defined]
    page.fill("textarea[name=questions]", theory.question)  # type: ignore[attr-defined]
    page.evaluate("document.querySelector('input[name=company]').removeAttribute('required')")  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    expect(page.locator(".error-message")).to_contain_text("company")  # type: ignore[attr-defined]
    expect(page.locator("textarea[name=questions]")).to_have_value(theory.question)  # type: ignore[attr-defined]

    page.fill("input[name=company]", "Globex")  # type: ignore[attr-defined]
    page.fill("textarea[name=questions]", f"{theory.question}\nHow would you tune a PID loop for a drone?")  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    rows = page.locator("tr[data-position]")  # type: ignore[attr-defined]
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_attribute("data-status", "covered")
    expect(rows.nth(1)).to_have_attribute("data-status", "gap")

    # Correcting swaps the row in place through HTMX; a reload shows it stuck.
    page.select_option("#q-1 select", "gap")  # type: ignore[attr-defined]
    expect(page.locator("#q-1")).to_have_attribute("data-status", "gap")  # type: ignore[attr-defined]
    expect(page.locator("#q-1")).to_contain_text("(corrected)")  # type: ignore[attr-defined]
    page.reload()  # type: ignore[attr-defined]
    expect(page.locator("#q-1")).to_have_attribute("data-status", "gap")  # type: ignore[attr-defined]

    page.click("nav.tools >> text=Reflect")  # type: ignore[attr-defined]
    expect(page.locator("#gaps")).to_have_text("2")  # type: ignore[attr-defined]

    page.fill("form.search input[name=q]", "eigenvectors")  # type: ignore[attr-defined]
    page.press("form.search input[name=q]", "Enter")  # type: ignore[attr-defined]
    expect(page.locator(".results li[data-id]").first).to_have_attribute("data-id", "eigendecomposition-explained")  # type: ignore[attr-defined]


def test_solo_mock_survives_a_server_crash_mid_answer(browser: object, tmp_path: Path) -> None:
    """Autosave: kill the server while an answer is being typed; after a restart the draft is back."""
    from playwright.sync_api import expect

    port = free_port()
    process = start_server(tmp_path, port)
    base = f"http://127.0.0.1:{port}"
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        page.goto(base + "/mock")
        page.select_option("select[name=round_type]", "ml-theory")
        page.click("form.mock-start button[type=submit]")
        expect(page.locator("h1.question")).to_be_visible()
        expect(page.locator("[data-timer] .clock")).not_to_have_text("--:--")  # the clock runs
        page.type("textarea[name=answer]", "Bias is error from wrong assumptions; variance is sensitivity to the sample.", delay=5)
        page.wait_for_timeout(2000)  # a draft is saved at most 1.5 s after it changes
        expect(page.locator("#autosave-status")).to_contain_text("Draft saved", timeout=10_000)
        url = page.url
        process.kill()  # a crash, not a clean shutdown
        process.wait(10)
        process = start_server(tmp_path, port)
        page.goto(url)
        expect(page.locator("textarea[name=answer]")).to_have_value(
            "Bias is error from wrong assumptions; variance is sensitivity to the sample.")
        page.click("button[type=submit]")
        expect(page.locator(".feedback .score")).to_be_visible(timeout=60_000)
        expect(page.locator(".feedback .points li")).not_to_have_count(0)
        expect(page.locator(".follow-up-question")).to_be_visible()
    finally:
        context.close()
        process.terminate()
        process.wait(10)


def test_peer_mock_in_two_browsers(server: str, browser: object) -> None:
    """Host and interviewer in separate browser contexts: views differ, stay in sync, scorecard lands."""
    from playwright.sync_api import expect

    host = browser.new_context()  # type: ignore[attr-defined]
    mentor = browser.new_context()  # type: ignore[attr-defined]
    try:
        candidate = host.new_page()
        candidate.goto(server + "/mock")
        candidate.select_option("select[name=round_type]", "behavioral")
        candidate.select_option("select[name=mode]", "peer")
        candidate.click("form.mock-start button[type=submit]")
        interviewer_link = candidate.locator("#interviewer-link").input_value()
        candidate_link = candidate.locator("#candidate-link").input_value()
        candidate.goto(candidate_link)

        interviewer = mentor.new_page()
        interviewer.goto(interviewer_link)
        question = interviewer.locator("h1.question")
        expect(question).to_be_visible()
        expect(candidate.locator("h1.question")).to_have_text(question.inner_text())
        expect(interviewer.locator(".checklist li")).not_to_have_count(0)  # what to listen for
        assert candidate.locator(".checklist").count() == 0  # the candidate sees only the question and timer
        expect(candidate.locator("[data-timer]")).to_be_visible()
        first = question.inner_text()

        interviewer.click("button.next")
        expect(interviewer.locator("h1.question")).not_to_have_text(first)
        expect(candidate.locator("h1.question")).to_have_text(interviewer.locator("h1.question").inner_text(), timeout=10_000)

        for legend in interviewer.locator("fieldset legend").all_inner_texts():
            interviewer.check(f"fieldset:has(legend:text-is('{legend}')) input[value='3']")
        interviewer.fill("textarea[name=notes]", "Clear structure; quantify the result.")
        interviewer.click(".scorecard-form button[type=submit]")
        expect(interviewer.locator(".saved")).to_be_visible()

        while interviewer.locator("button.next").count():
            interviewer.click("button.next")
        expect(candidate.locator(".done"), "the candidate's view sees the round end").to_be_visible(timeout=10_000)
        candidate.click("text=See the scorecard")
        expect(candidate.locator("#dimensions tr")).not_to_have_count(0)
        expect(candidate.locator(".interviewer-notes")).to_contain_text("quantify the result")
    finally:
        host.close()
        mentor.close()


ATTACK_PAGE = """<!doctype html><html><body>
<form id="f" method="post" action="{target}/stories">
  <input name="title" value="planted by another site"><input name="situation" value="s">
  <input name="action" value="a"><input name="csrf_token" value="guessed-token-guessed-token-guessed-token">
</form>
<script>
  fetch("{target}/stories", {{method: "POST", mode: "no-cors", credentials: "include",
    headers: {{"Content-Type": "application/x-www-form-urlencoded"}}, body: "title=planted+by+fetch&situation=s"}})
    .finally(function () {{ document.getElementById("f").submit(); }});
</script></body></html>"""


def test_another_site_cannot_change_data_or_read_it_by_rebinding(server: str, browser: object) -> None:
    """A page on another origin auto-submits a form and fires a no-cors fetch at the app: both are
    refused. A DNS-rebinding name that resolves to 127.0.0.1 gets 400, so it can read nothing."""
    import http.server
    import threading

    page_html = ATTACK_PAGE.format(target=server).encode()

    class Attack(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page_html)

        def log_message(self, *args: object) -> None:
            pass

    attacker = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Attack)
    threading.Thread(target=attacker.serve_forever, daemon=True).start()
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(server + "/stories")
        before = page.locator(".story").count()
        # Another origin (another port) while the user's app tab has its cookie.
        attack = context.new_page()
        attack.goto(f"http://127.0.0.1:{attacker.server_address[1]}/")
        attack.wait_for_url(server + "/stories")  # the auto-submitted form lands on the app
        attack.wait_for_load_state("load")
        body = attack.locator("body").inner_text()
        assert "refused" in body and "nothing was changed" in body
        page.reload()
        assert page.locator(".story").count() == before
        assert "planted" not in page.content()
    finally:
        context.close()
        attacker.shutdown()

    port = server.rsplit(":", 1)[1]
    rebinding = browser.browser_type.launch(  # type: ignore[attr-defined]
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP rebind.test 127.0.0.1"])
    try:
        foreign = rebinding.new_page()
        response = foreign.goto(f"http://rebind.test:{port}/export/notes.md")
        assert response.status == 400 and "Invalid host header" in foreign.content()
    finally:
        rebinding.close()


PHONE_PAGES = ["/", "/guides/ml-theory", "/items/precision-recall-f1", "/items/news-feed-ranking", "/search?q=recall",
               "/profile", "/assess", "/plan", "/practice", "/notes", "/stories", "/mock", "/history", "/log",
               "/log/new", "/reflect", "/downloads"]


@pytest.mark.parametrize("width", [1280, 390])
def test_pages_fit_the_screen_and_math_is_typeset(server: str, browser: object, width: int) -> None:
    """At desktop and phone widths: no page scrolls sideways, formulas are typeset by the vendored KaTeX
    (no raw TeX left), and nothing of the answer shows before the reveal."""
    context = browser.new_context(viewport={"width": width, "height": 860})  # type: ignore[attr-defined]
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        for path in PHONE_PAGES:
            page.goto(server + path)
            page.wait_for_load_state("load")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        page.goto(server + "/items/precision-recall-f1")
        assert page.locator("details#answer .key-points").is_hidden()
        page.click("details#answer summary")
        page.wait_for_selector(".math[data-typeset] .katex")
        assert page.locator(".math:not([data-typeset])").count() == 0
        assert "\\(" not in page.locator("details#answer").inner_text()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the revealed answer scrolls sideways by {overflow}px at {width}px"
        assert page.request.get(server + "/favicon.ico").status == 200
    finally:
        context.close()
    assert errors == [], errors


def test_a_failed_htmx_request_shows_its_error_and_keeps_the_text(server: str, page: object) -> None:
    """An error answer to an htmx form is shown next to the form (not swallowed), the text stays, and
    the form is usable again."""
    from playwright.sync_api import expect

    page.goto(server + "/items/precision-recall-f1")  # type: ignore[attr-defined]
    page.click("details.note-panel summary")  # type: ignore[attr-defined]
    assert page.locator("form.note textarea").get_attribute("maxlength") == "50000"  # type: ignore[attr-defined]
    page.route("**/items/precision-recall-f1/note", lambda route: route.fulfill(  # type: ignore[attr-defined]
        status=400, content_type="text/html", body='<main><p class="error-message">A note holds at most 50,000 characters.</p></main>'))
    page.fill("form.note textarea", "my careful note")  # type: ignore[attr-defined]
    page.click("form.note button[type=submit]")  # type: ignore[attr-defined]
    expect(page.locator(".form-error")).to_have_text("A note holds at most 50,000 characters.")  # type: ignore[attr-defined]
    expect(page.locator("form.note textarea")).to_have_value("my careful note")  # type: ignore[attr-defined]
    expect(page.locator("form.note button[type=submit]")).to_be_enabled()  # type: ignore[attr-defined]
