"""The local app is reachable by every web page the user visits: foreign hosts, cross-site and forged
requests are refused, every response carries the security headers, redirects stay on the site."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from conftest import NOW
from fastapi.testclient import TestClient

from mlcoach.core.catalog import Bank
from mlcoach.core.clock import fixed_clock
from mlcoach.store import Store
from mlcoach.web.app import create_app
from mlcoach.web.guard import CSRF_COOKIE, local_path


@pytest.fixture
def app(bank: Bank, store: Store):  # type: ignore[no-untyped-def]
    return create_app(bank, store, clock=fixed_clock(NOW), llm=None)


@pytest.fixture
def browser_like(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """A client that behaves like the user's browser on the app's own pages: it gets its token from a page."""
    with TestClient(app, base_url="http://127.0.0.1:8765") as client:
        yield client


def token_of(page_html: str) -> str:
    field = BeautifulSoup(page_html, "html.parser").select_one("input[name=csrf_token]")
    assert field is not None, "the page renders no CSRF field"
    return str(field["value"])


def story_count(client: TestClient) -> int:
    return len(BeautifulSoup(client.get("/stories").text, "html.parser").select(".story"))


def all_routes(routes):  # type: ignore[no-untyped-def]
    for route in routes:
        inner = getattr(route, "original_router", None)
        yield from all_routes(inner.routes) if inner is not None else [route]


STORY = {"title": "Shipped the ranker", "situation": "s", "task": "t", "action": "a", "result": "r"}


def test_a_page_sets_the_cookie_and_its_forms_carry_the_same_token(browser_like: TestClient) -> None:
    page = browser_like.get("/stories")
    assert page.status_code == 200
    cookie = browser_like.cookies.get(CSRF_COOKIE)
    assert cookie and token_of(page.text) == cookie
    set_cookie = page.headers["set-cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie
    # Once set, the cookie is kept: every later page renders the same token.
    again = browser_like.get("/profile")
    assert "set-cookie" not in again.headers and token_of(again.text) == cookie


def test_a_form_post_with_the_pages_token_works(browser_like: TestClient) -> None:
    token = token_of(browser_like.get("/stories").text)
    before = story_count(browser_like)
    done = browser_like.post("/stories", data={**STORY, "csrf_token": token}, follow_redirects=False,
                             headers={"Origin": "http://127.0.0.1:8765"})
    assert done.status_code == 303
    assert story_count(browser_like) == before + 1


@pytest.mark.parametrize("case", ["no token", "wrong token", "no cookie"])
def test_a_forged_post_is_refused_and_changes_nothing(browser_like: TestClient, case: str) -> None:
    token = token_of(browser_like.get("/stories").text)
    before = story_count(browser_like)
    data = dict(STORY)
    if case == "wrong token":
        data["csrf_token"] = "x" * 43
    elif case == "no cookie":
        data["csrf_token"] = token
        browser_like.cookies.clear()
    refused = browser_like.post("/stories", data=data, follow_redirects=False)
    assert refused.status_code == 403
    assert "nothing was changed" in refused.text and "Reload the page" in refused.text
    assert story_count(browser_like) == before


@pytest.mark.parametrize("header", ["Origin", "Referer"])
def test_a_cross_site_post_is_refused_even_with_the_right_token(browser_like: TestClient, header: str) -> None:
    token = token_of(browser_like.get("/stories").text)
    before = story_count(browser_like)
    source = "https://evil.example" if header == "Origin" else "https://evil.example/attack.html"
    refused = browser_like.post("/stories", data={**STORY, "csrf_token": token}, headers={header: source},
                                follow_redirects=False)
    assert refused.status_code == 403 and "another site" in refused.text
    null_origin = browser_like.post("/stories", data={**STORY, "csrf_token": token}, headers={"Origin": "null"})
    assert null_origin.status_code == 403
    assert story_count(browser_like) == before


def test_every_state_changing_route_refuses_a_cross_site_request(app, bank: Bank) -> None:  # type: ignore[no-untyped-def]
    """Each POST route of the app, reached from another site (no token, foreign Origin), is refused
    before it runs: 403, never a 404, 422 or a change."""
    routes = [r for r in all_routes(app.routes) if "POST" in (getattr(r, "methods", None) or set())]
    assert len(routes) >= 20
    item = bank.items[0].id
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for route in routes:
            path = re.sub(r"\{item_id\}", item, route.path)
            path = re.sub(r"\{[a-z_]+\}", "1", path)
            forged = client.post(path, data={"title": "x", "answer": "x"}, headers={"Origin": "http://evil.example"})
            assert forged.status_code == 403, (route.path, forged.status_code)
            no_token = client.post(path, data={"title": "x", "answer": "x"})
            assert no_token.status_code == 403, (route.path, no_token.status_code)


@pytest.mark.parametrize("host", ["evil.example", "rebind.attacker.test:8765", "127.0.0.1.evil.example", ""])
def test_a_foreign_host_is_refused(app, host: str) -> None:  # type: ignore[no-untyped-def]
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for path in ("/", "/export/notes.md", "/static/style.css"):
            response = client.get(path, headers={"Host": host})
            assert response.status_code == 400, (path, host)
            assert "Invalid host header" in response.text
            assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "LOCALHOST"])
def test_loopback_names_are_served(app, host: str) -> None:  # type: ignore[no-untyped-def]
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert client.get("/healthz", headers={"Host": host}).status_code == 200


def test_configured_hosts_are_served(bank: Bank, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLCOACH_ALLOWED_HOSTS", "coach.example.org, *.bootcamp.test")
    app = create_app(bank, store, clock=fixed_clock(NOW), llm=None)
    with TestClient(app, base_url="http://coach.example.org") as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/healthz", headers={"Host": "eu.bootcamp.test"}).status_code == 200
        assert client.get("/healthz", headers={"Host": "bootcamp.test.evil"}).status_code == 400


def test_every_response_carries_the_security_headers(browser_like: TestClient) -> None:
    for path in ("/", "/no-such-page", "/static/style.css", "/healthz"):
        headers = browser_like.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_pages_have_no_inline_script_or_handlers(browser_like: TestClient, bank: Bank) -> None:
    """The CSP forbids inline script, so no page may rely on it."""
    for path in ("/", "/stories", "/profile", "/practice", "/mock", "/log/new", f"/items/{bank.items[0].id}"):
        page = BeautifulSoup(browser_like.get(path).text, "html.parser")
        assert all(s.get("src") for s in page.find_all("script")), path
        handlers = [a for tag in page.find_all(True) for a in tag.attrs if a.startswith("on")]
        assert handlers == [], (path, handlers)


@pytest.mark.parametrize("back, expected", [
    ("/guides/ml-theory?topic=x", "/guides/ml-theory?topic=x"),
    ("//evil.example/x", "/practice"),
    ("/\\evil.example", "/practice"),
    ("https://evil.example/", "/practice"),
    ("/\t/evil.example", "/practice"),
    ("", "/practice"),
])
def test_redirects_stay_on_the_site(browser_like: TestClient, bank: Bank, back: str, expected: str) -> None:
    token = token_of(browser_like.get("/stories").text)
    response = browser_like.post("/practice/add", data={"item_id": bank.items[0].id, "back": back, "csrf_token": token},
                                 follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == expected
    assert local_path(back, "/practice") == expected
