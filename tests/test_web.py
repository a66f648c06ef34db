"""The three pages, through the in-process client, checked by parsing the HTML."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURE_BANK, NOW, web_client
from fastapi.testclient import TestClient

from mlcoach.bank import load_bank
from mlcoach.core.catalog import Bank
from mlcoach.core.clock import fixed_clock
from mlcoach.core.items import AREAS
from mlcoach.store import Store
from mlcoach.web.app import create_app


@pytest.fixture
def client(bank: Bank, store: Store) -> Iterator[TestClient]:
    with web_client(create_app(bank, store, clock=fixed_clock(NOW))) as test_client:
        yield test_client


def soup(response: object) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")  # type: ignore[attr-defined]


def test_home_lists_the_six_guides_with_counts(client: TestClient, bank: Bank) -> None:
    page = soup(client.get("/"))
    cards = page.select(".guide-card")
    assert [card["data-area"] for card in cards] == list(AREAS)
    for card in cards:
        assert int(card.select_one(".count .n").text) == len(bank.filter(area=card["data-area"]))
        assert card.select_one("a")["href"] == f"/guides/{card['data-area']}"


def test_guide_page_shows_chapter_and_items(client: TestClient, bank: Bank) -> None:
    response = client.get("/guides/system-design")
    page = soup(response)
    assert response.status_code == 200
    assert page.select_one("h1").text == bank.guides["system-design"].title
    assert page.select_one(".chapter .prose").text.strip()
    ids = [li["data-id"] for li in page.select(".item-list li[data-id]")]
    assert ids == [item.id for item in bank.filter(area="system-design")]


def test_guide_filters_return_a_fragment_for_htmx(client: TestClient, bank: Bank) -> None:
    item = bank.filter(area="ml-theory")[0]
    response = client.get(f"/guides/ml-theory?topic={item.topic}", headers={"HX-Request": "true"})
    page = soup(response)
    assert page.select_one("html") is None and page.select_one("h1") is None  # only the list
    ids = {li["data-id"] for li in page.select("li[data-id]")}
    assert ids == {i.id for i in bank.filter(area="ml-theory", topic=item.topic)}
    assert response.headers["vary"] == "HX-Request"


def test_filters_with_no_match_say_so(client: TestClient, bank: Bank) -> None:
    empty_topic = next(slug for slug, _, count in bank.topics("behavioral") if count == 0)
    page = soup(client.get(f"/guides/behavioral?topic={empty_topic}"))
    assert page.select(".item-list li[data-id]") == []
    assert "No questions match" in page.select_one(".empty").text


@pytest.mark.parametrize("query, message", [
    ("difficulty=hard", "Difficulty must be 1"),
    ("role=pm", "Role must be one of"),
    ("topic=%3Cscript%3E", "Unknown topic"),
])
def test_odd_filters_get_a_clear_400(client: TestClient, query: str, message: str) -> None:
    response = client.get(f"/guides/ml-theory?{query}")
    assert response.status_code == 400
    assert message in soup(response).select_one(".error-message").text
    assert "<script>" not in response.text


def test_item_page_hides_the_answer_behind_a_reveal(client: TestClient, bank: Bank) -> None:
    item = bank.filter(area="ml-theory")[0]
    page = soup(client.get(f"/items/{item.id}"))
    assert page.select_one("h1.question").text == item.question
    reveal = page.select_one("details#answer")
    assert reveal is not None and reveal.get("open") is None
    first_words = " ".join(item.answer.split()[:4]).replace("$", "")
    assert reveal.select_one(".prose").text.strip()
    # Nothing that gives the answer away shows before the reveal: key points, follow-ups, mistakes, levels.
    assert [li.text for li in reveal.select(".key-points li")] == list(item.key_points)
    assert [li.text for li in reveal.select(".follow-ups li")] == list(item.follow_ups)
    for hidden in (".key-points", ".follow-ups", ".mistakes", ".levels"):
        assert all(section.find_parent("details") is reveal for section in page.select(hidden)), hidden
    assert first_words.split()[0] in reveal.text


def test_system_design_item_shows_its_phases(client: TestClient, bank: Bank) -> None:
    item = bank.filter(area="system-design")[0]
    page = soup(client.get(f"/items/{item.id}"))
    headings = [h.text for h in page.select("details#answer .answer-section h2")]
    assert headings[:2] == ["Architecture", "Requirements and scale"]
    assert page.select_one("details#answer pre code") is not None  # the text diagram stays preformatted


def test_unknown_pages_are_404_with_a_message(client: TestClient) -> None:
    for path in ("/items/no-such-item", "/guides/statistics"):
        response = client.get(path)
        assert response.status_code == 404
        assert soup(response).select_one(".error-message").text


def test_star_toggles_and_persists(client: TestClient, bank: Bank) -> None:
    item = bank.items[0]
    assert "☆ Star" in soup(client.get(f"/items/{item.id}")).select_one("button.star").text
    response = client.post(f"/items/{item.id}/star")
    assert response.status_code == 200 and soup(response).select_one("button.star")["aria-pressed"] == "true"
    assert soup(client.get(f"/items/{item.id}")).select_one("button.star")["aria-pressed"] == "true"
    client.post(f"/items/{item.id}/star")
    assert soup(client.get(f"/items/{item.id}")).select_one("button.star")["aria-pressed"] == "false"
    assert client.post("/items/no-such-item/star").status_code == 404


def test_markdown_is_rendered_safely_and_math_is_kept(tmp_path: Path, store: Store) -> None:
    copy = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, copy)
    path = next((copy / "ml-theory").glob("[!_]*.md"))
    text = path.read_text()
    path.write_text(text.replace("## Answer\n", "## Answer\n\n<script>alert('x')</script> with $\\sigma^2 < 1$ and a [link](javascript:alert(1)).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", 1))
    bank = load_bank(copy).bank
    item = next(i for i in bank.items if i.path == f"ml-theory/{path.name}")
    with web_client(create_app(bank, store, clock=fixed_clock(NOW))) as client:
        page = soup(client.get(f"/items/{item.id}"))
    answer = page.select_one("details#answer")
    assert answer.select("script") == []
    assert "<script>alert('x')</script>" in answer.text  # shown as text, not run
    assert answer.select_one(".math-inline").text == "\\(\\sigma^2 < 1\\)"
    assert not [a for a in answer.select("a") if a.get("href", "").startswith("javascript")]
    assert answer.select_one("table td").text == "1"


def test_healthz(client: TestClient, bank: Bank) -> None:
    assert client.get("/healthz").json()["items"] == len(bank.items)
