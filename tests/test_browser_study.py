"""Steps 1 and 2 in a real Chromium: a new user sets a profile, takes the diagnostic, gets a focus list
and a plan, downloads the calendar, practises a card with a note, and keeps a story."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from test_browser import browser, page, server  # noqa: F401  (fixtures: one served app for the module)

from mlcoach.core.catalog import Bank

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_new_user_assesses_plans_and_practises(server: str, page: Any, bank: Bank) -> None:  # noqa: F811
    from playwright.sync_api import expect

    # Profile: a bad number is refused with a message (by the server too, past the browser's own
    # check), a good one is saved.
    page.goto(server + "/profile")
    page.evaluate("document.querySelector('#profile-form').noValidate = true")
    page.fill("input[name=hours_per_week]", "-3")
    page.click("#profile-form button[type=submit]")
    expect(page.locator(".error-message")).to_contain_text("hours per week")
    interview = (date.today() + timedelta(days=30)).isoformat()
    page.select_option("select[name=role]", "ds")
    page.select_option("select[name=level]", "senior")
    page.fill("input[name=interview_date]", interview)
    page.fill("input[name=hours_per_week]", "7")
    page.click("#profile-form button[type=submit]")
    expect(page.locator(".notice-ok")).to_contain_text("Saved")

    # The diagnostic: self-ratings, then every check, answered through the page.
    page.goto(server + "/assess")
    page.check("input[name=rate_ml-theory][value='5']")
    page.check("input[name=rate_behavioral][value='1']")
    page.click("#assess-start button[type=submit]")
    answered = {"quiz": 0, "recall": 0}
    for _ in range(40):
        check = page.locator("section.check")
        if check.count() == 0 or page.locator("#next-check").count():
            if page.locator("#next-check").count():
                page.click("#next-check")
                continue
            break
        kind = check.get_attribute("data-kind")
        item = bank.get(_item_for(page, bank))
        if kind == "quiz":
            assert item is not None and item.quiz is not None
            page.check(f"input[name=choice][value='{item.quiz.correct}']")  # knows all the theory
            page.click("section.check button[type=submit]")
            expect(page.locator(".verdict")).to_have_text("Right.")
        else:
            page.click("details.reveal summary")
            page.check("input[name=recalled] >> nth=0")  # recalls one key point of each
            page.click("section.check button[type=submit]")
            expect(page.locator(".verdict")).to_contain_text("Recorded")
        answered[kind] += 1
        if page.locator("#finish").count():
            break
    assert answered["quiz"] >= 1 and answered["recall"] >= 2
    page.click("#finish")

    # The result: radar chart, readiness per area, theory (all right) above behavioral (little recalled).
    expect(page.locator("svg#radar polygon.series.now")).to_have_count(1)
    theory = int(page.locator("#readiness tr[data-area='ml-theory'] td").nth(1).inner_text())
    behavioral = int(page.locator("#readiness tr[data-area='behavioral'] td").nth(1).inner_text())
    assert theory > 70 > behavioral
    assert page.locator("#focus li").first.get_attribute("data-area") != "ml-theory"

    # The plan, and its calendar file.
    page.click("#make-plan")
    expect(page.locator("#plan-days > li").first).to_be_visible()
    days = page.locator("#plan-days > li").count()
    assert 25 <= days <= 30
    with page.expect_download() as download:
        page.click("#ics")
    body = download.value.path().read_text(encoding="utf-8")
    assert body.startswith("BEGIN:VCALENDAR") and body.count("BEGIN:VEVENT") == days + 1

    # Practice: reveal, tick the key points, the proposal follows, rate; a note stays beside the item.
    page.goto(server + "/practice")
    card = page.locator("#card")
    first = card.get_attribute("data-item")
    item = bank.get(first)
    assert item is not None
    # a typed draft survives a reload (the tab closed, the browser crashed) until the card is rated
    page.fill("#answer-form textarea", "A first thought")
    page.reload()
    expect(page.locator("#answer-form textarea")).to_have_value("A first thought")
    page.fill("#answer-form textarea", "")
    page.fill("form.note textarea", "Remember the **trade-off**.")
    page.click("form.note button[type=submit]")
    expect(page.locator("form.note .note-body strong")).to_have_text("trade-off")
    page.click("#reveal-only")
    expect(page.locator("#reveal .model-answer")).to_be_visible()
    for n in range(len(item.key_points)):
        page.check(f"#reveal input[name=recalled] >> nth={n}")
    expect(page.locator("#rating button.proposed")).to_have_text("Easy")
    page.click("#rating button.rate-good")
    expect(page.locator("#card")).not_to_have_attribute("data-item", first)
    expect(page.locator("#queue-summary")).to_contain_text("done today: 1")

    page.goto(server + "/notes?q=trade-off")
    expect(page.locator(f".notes-list li[data-item='{first}']")).to_have_count(1)

    # The story bank: a story covers two competencies; the others are still listed as missing.
    page.goto(server + "/stories")
    missing_before = page.locator("#coverage li.missing").count()
    page.fill("input[name=title]", "Caught a label leak before launch")
    page.fill("textarea[name=action]", "I traced the leak to a join on future data and rebuilt the split.")
    page.fill("textarea[name=result]", "AUC fell from 0.97 to a believable 0.81; launch went ahead a week later.")
    page.check("input[name=competencies][value='debugging-rigor']")
    page.check("input[name=competencies][value='ownership']")
    page.click("form.log-form button[type=submit]")
    expect(page.locator("article.story h3")).to_contain_text("Caught a label leak")
    expect(page.locator("#coverage li.missing")).to_have_count(missing_before - 2)


def _item_for(page: Any, bank: Bank) -> str:  # noqa: F811 (a page, not the fixture)
    """The item behind the check on screen, found by its question text."""
    shown = page.locator("section.check h1.question").inner_text().strip()
    for item in bank.items:
        if item.question.strip() == shown or (item.quiz is not None and item.quiz.question.strip() == shown):
            return item.id
    raise AssertionError(f"no item with the question {shown!r}")
