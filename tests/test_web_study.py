"""Profile, diagnostic, plan, practice, notes and stories pages through the in-process client, on
SQLite and PostgreSQL, with a fixed clock."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from conftest import NOW, web_client
from fastapi.testclient import TestClient

from mlcoach.core.catalog import Bank
from mlcoach.core.clock import fixed_clock
from mlcoach.store import Store
from mlcoach.web.app import create_app


@pytest.fixture
def client(bank: Bank, store: Store, matcher: object) -> Iterator[TestClient]:
    with web_client(create_app(bank, store, clock=fixed_clock(NOW), matcher=lambda: matcher)) as test_client:
        yield test_client


def soup(response: object) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")  # type: ignore[attr-defined]


def profile(client: TestClient, **changes: str) -> object:
    data = {"role": "mle", "level": "mid", "interview_date": (NOW.date() + timedelta(days=21)).isoformat(),
            "hours_per_week": "6", "desired_retention": "0.9"}
    data.update(changes)
    return client.post("/profile", data=data, follow_redirects=True)


@pytest.mark.parametrize("field,value,message", [
    ("hours_per_week", "lots", "hours per week: 'lots' is not a number"),
    ("hours_per_week", "0", "hours per week must be above 0"),
    ("desired_retention", "1.5", "desired retention must be between 0.70 and 0.99"),
    ("role", "wizard", "role must be one of mle, ds, mlswe"),
    ("interview_date", "next tuesday", "interview date: 'next tuesday' is not a date"),
    ("interview_date", "9999-12-31", "more than two years away"),
    ("weight_ml-theory", "2", "the weight of ml-theory must be between 0 and 1"),
])
def test_a_bad_profile_is_refused_with_its_reason_and_nothing_changes(client: TestClient, field: str, value: str, message: str) -> None:
    assert profile(client).status_code == 200
    response = profile(client, **{field: value, "level": "staff"})
    assert response.status_code == 400
    assert message in soup(response).select_one(".error-message").get_text()
    page = soup(client.get("/profile"))
    assert page.select_one("select[name=level] option[selected]")["value"] == "mid"  # the saved one


def test_the_diagnostic_scores_answers_and_shows_readiness_and_focus(client: TestClient, bank: Bank) -> None:
    profile(client, weight_behavioral="0.9")
    started = client.post("/assess", data={"rate_ml-theory": "3"}, follow_redirects=True)
    assessment = int(str(started.url).rsplit("/", 1)[1])
    page = soup(started)
    answered = 0
    while page.select_one("section.check") is not None and not page.select_one("#next-check"):
        check = page.select_one("section.check")
        position = check["data-position"]
        if check["data-kind"] == "quiz":
            response = client.post(f"/assess/{assessment}/checks/{position}", data={"choice": "1"})
        else:  # recall nothing anywhere but in behavioral... which has the heaviest weight
            response = client.post(f"/assess/{assessment}/checks/{position}", data={"recalled": []})
        assert response.status_code == 200
        answered += 1
        page = soup(client.get(f"/assess/{assessment}"))
    assert answered == int(page.select_one("progress")["max"]) >= 10  # every check, in every area
    bad = client.post(f"/assess/{assessment}/checks/0", data={"choice": "x"})
    assert bad.status_code == 400
    result = soup(client.post(f"/assess/{assessment}/finish", follow_redirects=True))
    rows = {tr["data-area"]: tr for tr in result.select("#readiness tbody tr")}
    assert set(rows) == {"behavioral", "cross-team", "product-design", "case-study", "system-design", "ml-theory"}
    # nothing recalled anywhere: every area is below the neutral 50, and the heavy behavioral weight leads the focus
    assert all(int(tr.select("td")[1].get_text()) < 50 for tr in rows.values())
    assert result.select("#focus li")[0]["data-area"] == "behavioral"
    assert len(result.select("svg#radar polygon.series")) == 1
    # finishing again does nothing new; the answered checks cannot be changed any more
    assert client.post(f"/assess/{assessment}/checks/0", data={"choice": "1"}).status_code == 400


def test_plan_page_makes_a_plan_and_exports_a_calendar(client: TestClient) -> None:
    empty = soup(client.get("/plan"))
    assert empty.select_one("#make-plan") is not None and client.get("/plan.ics").status_code == 404
    profile(client)
    page = soup(client.post("/plan", follow_redirects=True))
    days = page.select("#plan-days > li")
    assert len(days) == 21 and days[0]["data-date"] == NOW.astimezone().date().isoformat()
    ics = client.get("/plan.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    assert ics.text.count("BEGIN:VEVENT") == 22  # the study days and the interview day
    # a new interview date in the past is refused by the profile, and the old plan stays
    past = profile(client, interview_date=(NOW.date() - timedelta(days=1)).isoformat())
    assert past.status_code == 400 and "has passed" in soup(past).select_one(".error-message").get_text()
    assert len(soup(client.get("/plan")).select("#plan-days > li")) == 21


def test_practice_a_card_with_a_typed_answer_then_rate_it(client: TestClient, bank: Bank) -> None:
    profile(client)
    client.post("/plan")
    page = soup(client.get("/practice"))
    item_id = page.select_one("#card")["data-item"]
    item = bank.get(item_id)
    reveal = soup(client.post(f"/practice/{item_id}/check", data={"answer": item.answer, "seconds": "90"}))
    assert reveal.select_one(".feedback h3").get_text().startswith("Your answer: ")
    proposed = reveal.select_one("#rating button.proposed")
    assert proposed is not None and proposed["value"] in ("3", "4")  # the model answer knows it well
    empty = soup(client.post(f"/practice/{item_id}/check", data={"answer": "", "recall": "1"}))
    assert empty.select_one("#rating button.proposed")["value"] == "1"  # recalled nothing: again
    rated = client.post(f"/practice/{item_id}/rate", data={"rating": "4", "answer": item.answer, "seconds": "90"},
                        follow_redirects=True)
    assert "done today: 1" in soup(rated).select_one("#queue-summary").get_text()
    card = soup(rated).select_one("#card")
    # the next card, or, once the plan's day is done, the end of the day (no extra batch of new items)
    assert (card is not None and card["data-item"] != item_id) or soup(rated).select_one("#queue-empty") is not None
    assert client.post(f"/practice/{item_id}/rate", data={"rating": "9"}).status_code == 400
    item_page = soup(client.get(f"/items/{item_id}"))
    assert "Next review" in item_page.select_one(".flags").get_text()


def test_notes_flags_and_queueing_from_an_item_page(client: TestClient, bank: Bank) -> None:
    item = bank.filter(area="ml-theory")[0]
    saved = soup(client.post(f"/items/{item.id}/note", data={"body": "Write the *bias* term out."}))
    assert saved.select_one(".note-body em").get_text() == "bias"
    assert item.id in client.get("/notes?q=BIAS").text  # case-insensitive search
    assert item.id not in client.get("/notes?q=variance-of-nothing").text
    assert client.post(f"/items/{item.id}/note", data={"body": ""}).status_code == 200
    assert soup(client.get("/notes")).select_one("#no-notes") is not None
    flags = soup(client.post(f"/items/{item.id}/flags", data={"flag": "needs_revision"}))
    assert flags.select_one("button.revision")["aria-pressed"] == "true"
    assert client.post("/items/nope/flags", data={"flag": "starred"}).status_code == 404
    client.post("/practice/add", data={"item_id": item.id})
    queue = soup(client.get("/practice"))
    assert queue.select_one("#card")["data-item"] == item.id


def test_stories_cover_competencies_and_fit_behavioral_cards(client: TestClient, bank: Bank) -> None:
    behavioral = bank.filter(area="behavioral")[0]
    response = client.post("/stories", data={"title": "Rebuilt the eval set", "action": "I relabelled 2,000 examples.",
                                             "result": "Precision estimate moved from 0.91 to 0.84.",
                                             "competencies": [behavioral.topic]}, follow_redirects=True)
    page = soup(response)
    covered = page.select_one(f"#coverage li[data-competency='{behavioral.topic}']")
    assert "has" in covered["class"] and "Rebuilt the eval set" in covered.get_text()
    assert client.post("/stories", data={"title": " "}).status_code == 400
    client.post("/practice/add", data={"item_id": behavioral.id})
    card = soup(client.get(f"/practice?item={behavioral.id}"))
    assert "Rebuilt the eval set" in card.select_one("#stories-fit").get_text()
    story_id = re.search(r"story-(\d+)", response.text)[1]
    client.post(f"/stories/{story_id}/delete")
    assert soup(client.get("/stories")).select("article.story") == []
