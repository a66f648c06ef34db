"""Fuzz every route and form of the web app with hostile values: the answer is a page or a clear 4xx,
never a server error (#22). The quick mode runs 1,200 cases; MLCOACH_FUZZ_CASES sets another count."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from conftest import NOW, web_client
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlcoach.core.catalog import Bank
from mlcoach.core.clock import fixed_clock
from mlcoach.store import Store
from mlcoach.web.app import create_app

CASES = int(os.environ.get("MLCOACH_FUZZ_CASES", "1200"))

# Every field name a form of the app reads, plus the per-dimension and per-area prefixes.
FIELDS = ["answer", "back", "body", "choice", "company", "interview_date", "item_id", "level", "log_id", "mode",
          "notes", "outcome", "position", "questions", "rating", "role", "round_type", "score", "seconds",
          "self_rating", "story_id", "title", "typed", "went_badly", "went_well", "flag", "recall", "recalled",
          "think", "hours_per_week", "desired_retention", "competencies", "situation", "task", "action", "result",
          "dim:structure", "dim:depth", "rate_ml-theory", "weight_ml-theory", "area", "topic", "difficulty", "q",
          "edit", "token", "item", "solo", "starred", "needs_revision"]

NASTY = ["", " ", "0", "-1", "1", "2", "3", "5", "²", "٣", "１", "9" * 30, str(2**63), str(2**64), "1e309", "nan", "inf",
         "-inf", "1000", "2.5", "9999-12-31", "0001-01-01", "2026-13-40", "2026-03-15", "\x00", "a\x00b", "\ud7ff",
         "<script>alert(1)</script>", "[/]", "../../etc/passwd", "//evil.example", "x" * 20_000, "😀" * 50,
         "ownership-beyond-your-role", "precision-recall-f1", "behavioral", "ml-theory", "mle", "senior", "solo",
         "peer", "covered", "offer", "system-design"]

values = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.integers(-(2**70), 2**70).map(str))
forms = st.dictionaries(st.sampled_from(FIELDS), values, max_size=8)
ids = st.one_of(st.sampled_from(["1", "2", "0", "-1", str(2**63), "9" * 40, "²", "x", "%00", "ownership-beyond-your-role",
                                 "precision-recall-f1", "behavioral", "ml-theory", "packet", "result"]),
                st.integers(-5, 2**66).map(str))


def all_routes(routes):  # type: ignore[no-untyped-def]
    for route in routes:
        inner = getattr(route, "original_router", None)
        yield from all_routes(inner.routes) if inner is not None else [route]


@pytest.fixture(scope="module")
def client(bank: Bank, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}")
    store.upgrade()
    app = create_app(bank, store, clock=fixed_clock(NOW), llm=None)
    with web_client(app, raise_server_exceptions=False) as test_client:
        # Some real state for the routes to find: a log, a story, a mock round, an assessment.
        test_client.post("/log", data={"company": "Initech", "role": "MLE", "round_type": "ml-theory",
                                       "interview_date": "2026-02-01", "questions": "What is dropout?"})
        test_client.post("/stories", data={"title": "A story", "situation": "s", "action": "a", "result": "r"})
        test_client.post("/mock", data={"round_type": "ml-theory", "mode": "solo"})
        yield test_client


@pytest.fixture(scope="module")
def endpoints(client: TestClient) -> list[tuple[str, str]]:
    found = []
    for route in all_routes(client.app.routes):  # type: ignore[attr-defined]
        for method in sorted(getattr(route, "methods", None) or ()):
            if method in ("GET", "POST") and not route.path.startswith(("/static", "/guides/{area}.pdf", "/export")):
                found.append((method, route.path))
    assert len(found) >= 40
    return found


@pytest.mark.slow
def test_no_route_answers_hostile_input_with_a_server_error(client: TestClient, endpoints: list[tuple[str, str]]) -> None:
    failures: list[str] = []

    @settings(max_examples=CASES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(endpoints), st.lists(ids, min_size=3, max_size=3), forms)
    def case(endpoint: tuple[str, str], path_values: list[str], form: dict[str, str]) -> None:
        method, template = endpoint
        values = iter(path_values)
        path = re.sub(r"\{[a-z_]+\}", lambda _: next(values), template)
        if method == "GET":
            response = client.get(path, params={k: v[:1000] for k, v in form.items()})  # URLs have a length limit
        else:
            response = client.post(path, data=form, follow_redirects=False)
        if response.status_code >= 500 and response.status_code != 503:
            failures.append(f"{method} {path} {sorted(form.items())!r:.300} -> {response.status_code}")

    case()
    assert failures == [], f"{len(failures)} server errors, e.g.:\n" + "\n".join(failures[:15])


# The cases the robustness probe found (#22), each a clear answer now.
ITEM = "precision-recall-f1"
PROBES = [
    ("POST", "/log", {"company": "A", "role": "B", "round_type": "ml-theory", "interview_date": "2026-02-01",
                      "questions": "q", "self_rating": "²"}),
    ("POST", "/log", {"company": "A", "role": "B", "round_type": "ml-theory", "interview_date": "2026-02-01",
                      "questions": "q", "self_rating": "9" * 5000}),
    ("POST", "/assess", {"rate_ml-theory": "²"}),
    ("POST", "/stories", {"title": "t", "story_id": "²"}),
    ("POST", "/stories", {"title": "t", "story_id": str(2**64)}),
    ("GET", f"/log/{2**63}", {}),
    ("GET", f"/assess/{2**63}", {}),
    ("GET", f"/mock/{2**63}", {}),
    ("GET", "/stories", {"edit": str(2**63)}),
    ("POST", f"/log/{2**63}/delete", {}),
    ("POST", f"/assess/{2**70}/finish", {}),
    ("POST", "/practice/nope/rate", {"rating": "3"}),
    ("POST", f"/practice/{ITEM}/rate", {"rating": "3", "score": "1000"}),
    ("POST", f"/practice/{ITEM}/rate", {"rating": "3", "score": "-1"}),
    ("POST", f"/practice/{ITEM}/rate", {"rating": "3", "score": "inf"}),
    ("POST", f"/practice/{ITEM}/rate", {"rating": "3", "score": "nan"}),
    ("POST", f"/practice/{ITEM}/rate", {"rating": "²"}),
    ("POST", "/practice/add", {"log_id": "²", "position": "1"}),
    ("POST", "/practice/add", {"log_id": str(2**64), "position": str(2**64)}),
    ("POST", "/mock/1/scorecard", {"dim:structure": "²"}),
    ("POST", f"/items/{ITEM}/note", {"body": "a\x00b"}),
]


@pytest.mark.parametrize("method, path, data", PROBES, ids=[f"{m} {p} {sorted(d)}" for m, p, d in PROBES])
def test_the_probed_inputs_get_a_clear_answer(client: TestClient, method: str, path: str, data: dict[str, str]) -> None:
    if method == "GET":
        response = client.get(path, params=data)
    else:
        response = client.post(path, data=data, follow_redirects=False)
    assert response.status_code < 500, (path, response.status_code, response.text[:300])


def test_long_free_text_is_refused_with_the_form_kept(client: TestClient) -> None:
    long = "x" * 10_001
    response = client.post("/log", data={"company": "Initech", "role": "MLE", "round_type": "ml-theory",
                                         "interview_date": "2026-02-01", "questions": "What is dropout?",
                                         "went_well": long})
    assert response.status_code == 422 and "went well: at most 10,000 characters" in response.text
    assert "What is dropout?" in response.text  # what was typed comes back
