"""The optional LLM: any OpenAI-compatible chat completions endpoint (Ollama, vLLM, llama.cpp, hosted).

Configured by MLCOACH_LLM_BASE_URL, MLCOACH_LLM_MODEL and MLCOACH_LLM_API_KEY. Nothing requires it:
every caller has an offline path, and any timeout, HTTP error or malformed reply raises LLMError,
which callers turn into a visible notice and the offline result.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlcoach.settings import Settings

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mlcoach.core.feedback import Feedback
from mlcoach.core.items import Item

TIMEOUT_SECONDS = 20.0


class LLMError(Exception):
    """The LLM could not give a usable answer; the message says why, for the notice."""


class PointComment(BaseModel):
    model_config = ConfigDict(extra="ignore")
    index: int = Field(ge=1)
    status: str = Field(pattern="^(covered|partial|missed)$")
    comment: str = Field(min_length=1, max_length=600)


class Critique(BaseModel):
    model_config = ConfigDict(extra="ignore")
    summary: str = Field(min_length=1, max_length=1500)
    strengths: list[str] = Field(default_factory=list, max_length=8)
    improvements: list[str] = Field(default_factory=list, max_length=8)
    key_points: list[PointComment] = Field(default_factory=list, max_length=12)


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    model: str
    api_key: str | None = None
    timeout: float = TIMEOUT_SECONDS

    @classmethod
    def from_env(cls, settings: "Settings | None" = None) -> "LLMConfig | None":
        from mlcoach.settings import current

        settings = settings or current()
        if not settings.llm_base_url or not settings.llm_model:
            return None
        return cls(settings.llm_base_url.rstrip("/"), settings.llm_model, settings.llm_api_key or None)


class LLMClient:
    def __init__(self, config: LLMConfig) -> None:
        self.config = config

    def _chat(self, messages: list[dict[str, str]], json_mode: bool = False) -> str:
        body: dict[str, Any] = {"model": self.config.model, "messages": messages, "temperature": 0.2}
        if json_mode:
            body["response_format"] = {"type": "json_object"}
        url = self.config.base_url + ("/chat/completions" if self.config.base_url.endswith("/v1") else "/v1/chat/completions")
        request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json",
                                                  **({"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else {})})
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout) as response:
                payload = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            raise LLMError(f"the LLM endpoint answered HTTP {error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise LLMError(f"the LLM endpoint is unreachable ({getattr(error, 'reason', error)})") from None
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise LLMError("the LLM endpoint did not return JSON") from None
        try:
            content = payload["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise LLMError("the LLM reply has no message content") from None
        if not isinstance(content, str) or not content.strip():
            raise LLMError("the LLM reply is empty")
        return content.strip()

    def follow_up(self, item: Item, answer: str, feedback: Feedback) -> str:
        missed = [p.text for p in feedback.key_points if p.status != "covered"]
        messages = [
            {"role": "system", "content": "You are a senior ML interviewer. Ask exactly one short follow-up question, "
             "in one sentence, that probes what the candidate's answer missed or got wrong. Reply with the question only."},
            {"role": "user", "content": f"Question: {item.question}\n\nKey points a strong answer covers:\n"
             + "\n".join(f"- {p}" for p in item.key_points)
             + "\n\nPoints the answer missed or only partly covered:\n" + ("\n".join(f"- {m}" for m in missed) or "- none")
             + f"\n\nCandidate's answer:\n{answer[:4000]}"},
        ]
        text = self._chat(messages).strip().strip('"')
        if len(text) < 10 or len(text) > 400 or "\n\n" in text:
            raise LLMError("the LLM follow-up was not a single short question")
        return text

    def critique(self, item: Item, answer: str, feedback: Feedback) -> Critique:
        points = "\n".join(f"{n}. {p}" for n, p in enumerate(item.key_points, start=1))
        messages = [
            {"role": "system", "content": "You grade ML interview answers strictly against the given key points. "
             "Do not invent requirements beyond them and do not inflate weak answers. Reply with JSON only: "
             '{"summary": str, "strengths": [str], "improvements": [str], '
             '"key_points": [{"index": int (1-based), "status": "covered"|"partial"|"missed", "comment": str}]}'},
            {"role": "user", "content": f"Question: {item.question}\n\nKey points:\n{points}\n\nCandidate's answer:\n{answer[:6000]}"},
        ]
        text = self._chat(messages, json_mode=True)
        if text.startswith("```"):
            text = text.strip("`").split("\n", 1)[-1]
        try:
            critique = Critique.model_validate_json(text)
        except ValidationError as error:
            raise LLMError(f"the LLM critique did not match the expected JSON ({error.error_count()} problem(s))") from None
        if any(p.index > len(item.key_points) for p in critique.key_points):
            raise LLMError("the LLM critique refers to key points that do not exist")
        return critique
