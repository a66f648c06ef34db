"""The review-and-reflect pages through the in-process client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from conftest import NOW, web_client
from fastapi.testclient import TestClient

from mlcoach.core.catalog import Bank
from mlcoach.core.clock import fixed_clock
from mlcoach.store import Store
from mlcoach.web.app import create_app

GAP = "How would you tune the PID controller of a drone's altitude hold?"


@pytest.fixture
def client(bank: Bank, store: Store, matcher: object) -> Iterator[TestClient]:
    with web_client(create_app(bank, store, clock=fixed_clock(NOW), matcher=lambda: matcher)) as test_client:
        yield test_client


def soup(response: object) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")  # type: ignore[attr-defined]


def form(bank: Bank, **changes: str) -> dict[str, str]:
    data = {"company": "Acme", "role": "MLE", "round_type": "ml-theory", "interview_date": "2026-02-20",
            "questions": f"{bank.filter(area='ml-theory')[0].question}\n\n{GAP}\n", "outcome": "pending",
            "self_rating": "4", "went_well": "Clear on theory", "went_badly": "Ran out of time"}
    data.update(changes)
    return data


def test_log_an_interview_and_see_its_matches(client: TestClient, bank: Bank) -> None:
    new = soup(client.get("/log/new"))
    assert new.select_one("input[name=interview_date]")["value"] == "2026-03-01"  # today, from the app's clock
    response = client.post("/log", data=form(bank), follow_redirects=False)
    assert response.status_code == 303
    page = soup(client.get(response.headers["location"]))
    rows = page.select("table.questions tr[data-position]")
    assert [row["data-status"] for row in rows] == ["covered", "gap"]
    assert rows[0].select_one(".verdict a")["href"] == f"/items/{bank.filter(area='ml-theory')[0].id}"
    assert "not practised yet" in rows[0].select_one(".mastery").text
    listing = soup(client.get("/log"))
    assert listing.select_one("tr[data-log] td.gaps").text == "1"


@pytest.mark.parametrize("changes, message", [
    ({"company": ""}, "company"),
    ({"questions": "   \n  "}, "at least one question"),
    ({"interview_date": "yesterday"}, "date"),
    ({"self_rating": "five"}, "self-rating"),
    ({"round_type": "<script>x</script>"}, "round type"),
])
def test_bad_form_data_keeps_what_was_typed(client: TestClient, bank: Bank, changes: dict, message: str) -> None:
    data = form(bank, **changes)
    response = client.post("/log", data=data)
    page = soup(response)
    assert response.status_code == 422
    assert message in page.select_one(".error-message").text
    assert page.select_one("textarea[name=went_badly]").text == "Ran out of time"  # nothing lost
    assert page.select_one("textarea[name=questions]").text.strip() == data["questions"].strip()
    assert "<script>x</script>" not in response.text
    assert soup(client.get("/log")).select("tr[data-log]") == []


def test_correct_a_match_with_htmx(client: TestClient, bank: Bank) -> None:
    location = client.post("/log", data=form(bank), follow_redirects=False).headers["location"]
    log_id = location.rsplit("/", 1)[1]
    other = bank.filter(area="system-design")[0]
    fragment = soup(client.post(f"/log/{log_id}/questions/2", data={"item_id": other.id}, headers={"HX-Request": "true"}))
    row = fragment.select_one("tr")
    assert row["data-status"] == "covered" and "(corrected)" in row.text and fragment.select_one("html") is None
    assert soup(client.get(location)).select("tr[data-position]")[1]["data-status"] == "covered"
    assert client.post(f"/log/{log_id}/questions/2", data={"item_id": "no-such-item"}).status_code == 400
    assert client.post(f"/log/{log_id}/questions/9", data={"item_id": "gap"}).status_code == 404


def test_edit_and_delete(client: TestClient, bank: Bank) -> None:
    location = client.post("/log", data=form(bank), follow_redirects=False).headers["location"]
    edit = soup(client.get(location + "/edit"))
    assert edit.select_one("input[name=company]")["value"] == "Acme"
    assert GAP in edit.select_one("textarea[name=questions]").text
    client.post(location + "/edit", data=form(bank, company="Acme Labs", questions=GAP), follow_redirects=False)
    page = soup(client.get(location))
    assert "Acme Labs" in page.select_one("h1").text and len(page.select("tr[data-position]")) == 1
    assert client.post(location + "/delete", follow_redirects=False).status_code == 303
    assert client.get(location).status_code == 404


def test_reflect_page_and_gap_export(client: TestClient, bank: Bank) -> None:
    assert "Log an interview first" in client.get("/reflect").text
    client.post("/log", data=form(bank))
    client.post("/log", data=form(bank, interview_date="2026-02-25", round_type="system-design",
                                  questions="How do you tune a PID loop for a quadcopter's altitude?"))
    page = soup(client.get("/reflect"))
    assert page.select_one("#logged").text == "3" and page.select_one("#gaps").text == "2"
    assert page.select_one("tr[data-area='ml-theory'] .n.asked").text == "2"
    assert page.select_one("#themes") is not None and "in 2 interviews" in page.select_one("#themes").text
    export = client.get("/gaps.txt")
    assert export.status_code == 200 and GAP in export.text and "attachment" in export.headers["content-disposition"]


def test_search_page(client: TestClient) -> None:
    page = soup(client.get("/search?q=eigenvalues+and+eigenvectors"))
    assert page.select_one(".results li[data-id]")["data-id"] == "eigendecomposition-explained"
    assert soup(client.get("/search?q=")).select(".results") == []


def test_search_is_honest_about_weak_and_missing_matches(client: TestClient) -> None:
    nonsense = soup(client.get("/search", params={"q": "zxqv blorp quantum kumquat"}))
    assert nonsense.select(".results li[data-id]") == []
    assert "Nothing in the bank matches" in nonsense.select_one(".results .empty").text
    gap = soup(client.get("/search", params={"q": "How would you tune the PID controller of a drone's altitude hold?"}))
    if gap.select(".results li[data-id]"):
        assert "answers" in gap.select_one(".search-verdict").text  # nearest items, said to be no answer
    hit = soup(client.get("/search", params={"q": "what are precision recall and F1"}))
    assert hit.select(".results li[data-id]")[0]["data-id"] == "precision-recall-f1"
    assert hit.select_one(".search-verdict") is None
    assert "%" not in hit.select_one(".results").text


def test_search_says_the_index_is_being_built_instead_of_hanging(bank: Bank, store: Store, matcher: object) -> None:
    """First run on a new bank: the index builds in the background and search says so, then answers."""
    import threading

    release = threading.Event()

    def slow_matcher() -> object:
        release.wait(timeout=30)
        return matcher

    with web_client(create_app(bank, store, clock=fixed_clock(NOW), matcher=slow_matcher)) as client:
        page = client.get("/search", params={"q": "precision and recall"})
        assert page.status_code == 200
        status = soup(page).select_one("p[role=status]")
        assert status is not None and "Building the search index" in status.text
        assert soup(page).select_one('meta[http-equiv="refresh"]') is not None
        release.set()
        for _ in range(100):
            page = client.get("/search", params={"q": "precision and recall"})
            if soup(page).select_one("ol.results li[data-id]") is not None:
                break
            threading.Event().wait(0.05)
        assert soup(page).select_one("p[role=status]") is None
        assert soup(page).select_one("ol.results li[data-id]") is not None


def test_search_reports_a_failed_index_build_instead_of_waiting_forever(bank: Bank, store: Store) -> None:
    from mlcoach.search.embedding import EmbeddingError

    def broken() -> object:
        raise EmbeddingError("the embedding model file is damaged")

    with web_client(create_app(bank, store, clock=fixed_clock(NOW), matcher=broken)) as client:
        for _ in range(100):  # the background build fails almost at once
            page = client.get("/search", params={"q": "precision and recall"})
            if page.status_code != 200:
                break
        assert page.status_code == 503
        assert "damaged" in page.text and "Building the search index" not in page.text
