"""The optional LLM against a fake OpenAI-compatible server on 127.0.0.1: used when it answers well,
and a visible fallback to the offline feedback when it is slow, down or malformed."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from conftest import NOW

from mlcoach.core.catalog import Bank
from mlcoach.llm import LLMClient, LLMConfig, LLMError
from mlcoach.mock.service import MockService
from mlcoach.store import Store
from mlcoach.store.users import ensure_user


class Fake:
    mode = "good"
    requests: list[dict] = []


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Fake.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        if Fake.mode == "error":
            self.send_response(500)
            self.end_headers()
            return
        if Fake.mode == "slow":
            import time

            time.sleep(2)
        json_mode = "response_format" in body
        if Fake.mode == "malformed" and json_mode:
            content = '{"summary": 5, "key_points": "all good"}'
        elif json_mode:
            content = json.dumps({"summary": "Covers the definition, misses the example.", "strengths": ["clear definition"],
                                  "improvements": ["give an example"], "key_points": [{"index": 1, "status": "covered", "comment": "yes"}]})
        else:
            content = "How would you check that on a real dataset?"
        payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def fake_llm() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


@pytest.fixture
def svc_with_llm(bank: Bank, store: Store, matcher: object, fake_llm: str) -> MockService:
    from mlcoach.feedback.engine import FeedbackEngine

    engine = FeedbackEngine.for_matcher(matcher)
    client = LLMClient(LLMConfig(fake_llm, "fake-model", "secret-key", timeout=1.0))
    return MockService(bank, store, lambda: engine, lambda: NOW, client)


@pytest.mark.parametrize("mode", ["good", "error", "slow", "malformed"])
def test_llm_follow_up_and_critique_or_fallback(svc_with_llm: MockService, store: Store, mode: str) -> None:
    Fake.mode, Fake.requests = mode, []
    user = store.write(lambda s: ensure_user(s, "local", NOW).id)
    session_id = svc_with_llm.start(user, "ml-theory", "solo", None, "mid", seed=1)
    item = svc_with_llm.state(session_id, user_id=user).current.item
    feedback, follow_up, notices = svc_with_llm.submit(session_id, 0, item.model_answer, user_id=user)
    saved = svc_with_llm.state(session_id, user_id=user).current.feedback
    assert Fake.requests and Fake.requests[0]["path"] == "/v1/chat/completions"
    assert Fake.requests[0]["auth"] == "Bearer secret-key" and Fake.requests[0]["body"]["model"] == "fake-model"
    if mode == "good":
        assert follow_up == "How would you check that on a real dataset?" and notices == []
        assert saved["llm_critique"]["summary"].startswith("Covers the definition")
    elif mode == "malformed":  # the follow-up worked, the critique did not validate
        assert follow_up == "How would you check that on a real dataset?"
        assert notices and "did not match the expected JSON" in notices[0] and "llm_critique" not in saved
    else:
        assert follow_up in item.follow_ups  # the offline follow-up
        assert notices and notices[0].startswith("LLM unavailable")
        assert "llm_critique" not in saved and saved["notices"] == notices
    assert feedback.score >= 80  # the offline grade is always there


def test_config_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MLCOACH_LLM_BASE_URL", raising=False)
    assert LLMConfig.from_env() is None
    monkeypatch.setenv("MLCOACH_LLM_BASE_URL", "http://localhost:11434/v1/")
    monkeypatch.setenv("MLCOACH_LLM_MODEL", "llama3")
    config = LLMConfig.from_env()
    assert config is not None and config.base_url == "http://localhost:11434/v1" and config.api_key is None


def test_unreachable_endpoint_is_an_llm_error(bank: Bank) -> None:
    from mlcoach.core.feedback import Feedback

    client = LLMClient(LLMConfig("http://127.0.0.1:9", "m", timeout=1.0))
    with pytest.raises(LLMError, match="unreachable"):
        client.follow_up(bank.items[0], "answer", Feedback(bank.items[0].id, 0.0, (), 1))
