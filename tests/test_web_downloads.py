"""Downloads in the web app: the guide PDFs (built on demand, then cached), the Anki deck and the
interviewer packet, through the in-process client."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import NOW, web_client
from fastapi.testclient import TestClient
from pdf_helpers import flat, pages_text

from mlcoach.core.catalog import Bank
from mlcoach.core.clock import fixed_clock
from mlcoach.core.items import AREAS
from mlcoach.core.mock import DIMENSIONS
from mlcoach.publish.cache import guide_path
from mlcoach.store import Store
from mlcoach.web.app import create_app


@pytest.fixture
def client(bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """One SQLite store is enough: these routes read the bank, not the database."""
    monkeypatch.setenv("MLCOACH_CACHE_DIR", str(tmp_path / "cache"))
    store = Store(f"sqlite:///{tmp_path / 'mlcoach.db'}")
    store.upgrade()
    with web_client(create_app(bank, store, clock=fixed_clock(NOW))) as test_client:
        yield test_client
    store.dispose()


def soup(response: object) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")  # type: ignore[attr-defined]


def test_downloads_page_lists_the_six_guides_and_the_deck(client: TestClient) -> None:
    page = soup(client.get("/downloads"))
    assert [a["href"] for a in page.select("a.pdf")] == [f"/guides/{area}.pdf" for area in AREAS]
    form = page.select_one("form.anki-export")
    assert form["action"] == "/export/anki" and form["method"] == "get"
    assert [box["value"] for box in form.select("input[name=area]")] == list(AREAS)
    assert soup(client.get("/")).select_one('a[href="/downloads"]') is not None


def test_a_guide_pdf_is_built_on_demand_then_served_from_the_cache(client: TestClient, bank: Bank) -> None:
    cached = guide_path(bank, "case-study")
    assert not cached.exists()
    response = client.get("/guides/case-study.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="mlcoach-case-study.pdf"'
    text = " ".join(pages_text(response.content))
    assert all(flat(item.question) in text for item in bank.filter(area="case-study"))
    assert cached.read_bytes() == response.content
    cached.write_bytes(b"%PDF-1.7 served from the cache")
    assert client.get("/guides/case-study.pdf").content == b"%PDF-1.7 served from the cache"
    assert client.get("/guides/case-study").headers["content-type"].startswith("text/html")  # the page still works
    assert client.get("/guides/statistics.pdf").status_code == 404


def test_the_anki_deck_downloads_for_chosen_areas(client: TestClient, bank: Bank, tmp_path: Path) -> None:
    response = client.get("/export/anki?area=ml-theory&area=behavioral")
    assert response.status_code == 200 and response.headers["content-type"] == "application/apkg"
    assert 'filename="mlcoach-ml-theory-behavioral.apkg"' in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive, archive.open("collection.anki2") as db:
        data = db.read()
    path = tmp_path / "deck.anki2"
    path.write_bytes(data)
    with sqlite3.connect(path) as connection:
        (notes,) = connection.execute("select count(*) from notes").fetchone()
    assert notes == len(bank.filter(area="ml-theory")) + len(bank.filter(area="behavioral"))
    assert client.get("/export/anki").headers["content-disposition"].endswith('filename="mlcoach.apkg"')
    bad = client.get("/export/anki?area=maths")
    assert bad.status_code == 400 and "Unknown area" in bad.text


def test_the_mock_page_offers_the_packet_and_it_downloads(client: TestClient, bank: Bank) -> None:
    button = soup(client.get("/mock")).select_one("button.packet")
    assert button["formaction"] == "/mock/packet" and button["formmethod"] == "get"
    response = client.get("/mock/packet?round_type=case-study&role=&level=senior&mode=peer")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="mlcoach-packet-case-study.pdf"'
    text = " ".join(pages_text(response.content))
    assert "ML case study round" in text and "senior level" in text
    assert all(dimension in text for dimension in DIMENSIONS["case-study"])
    assert any(flat(item.question) in text for item in bank.filter(area="case-study"))
    bad = client.get("/mock/packet?round_type=coding")
    assert bad.status_code == 422 and "unknown round type" in soup(bad).select_one(".error-message").text
