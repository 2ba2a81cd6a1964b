"""The contract every text provider keeps.

A provider gets a `GenerationRequest`: what to write (`kind`), everything the rules allow (`Brief`)
and the JSON schema its answer must match. It returns the answer as a JSON object and never
computes a rules number: the service validates and repairs whatever comes back.
"""

from __future__ import annotations

import json
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from charforge.errors import CharforgeError, MalformedAnswerError, TruncatedAnswerError
from charforge.models import Abilities, Brief, Check, Kind, PortraitPrompt, Usage


class GenerationRequest(BaseModel):
    kind: Kind
    brief: Brief
    schema_: dict[str, Any] = Field(alias="schema", description="JSON Schema the answer must match.")
    system: str = Field("", description="Rendered system prompt (LLM providers).")
    user: str = Field("", description="Rendered user message (LLM providers).")
    max_tokens: int | None = Field(None, description="The template's token budget for the answer.")
    temperature: float | None = Field(None, description="The template's sampling temperature.")
    token_limit: int | None = Field(None, description="Overrides every other max_tokens (a cut-off answer's retry).")


class ProviderReply(BaseModel):
    text: str = Field(description="The answer as the provider sent it: a JSON object, or whatever came back.")
    model: str
    usage: Usage = Field(default_factory=Usage)
    attempts: int = 1


class TextProvider(ABC):
    """A text provider. Implementations live one per module in `charforge.providers`."""

    name: ClassVar[str]
    model: str

    @property
    def calls_out(self) -> bool:
        """Whether it calls a server (each call costs time and maybe money); from its registry entry."""
        from charforge.registry import registry

        return registry().text_provider(self.name).capabilities.network

    @property
    def wants_messages(self) -> bool:
        """Whether it reads rendered templates (False: it works from the brief alone); from its registry entry."""
        from charforge.registry import registry

        return registry().text_provider(self.name).capabilities.messages

    @abstractmethod
    def generate(self, request: GenerationRequest) -> ProviderReply:
        """Answer one request.

        Raises:
            ProviderError: the provider could not be reached or refused; nothing was generated.
            MalformedAnswerError: the provider kept answering with something that is not JSON.
        """

    def check(self, *, deep: bool = False) -> list[Check]:
        """Health checks for `charforge check`; local providers are always ready."""
        return [Check(name="ready", ok=True, detail=f"{self.name} needs no key and no network")]

    def deep_check(self) -> Check:
        """One small real generation, end to end."""
        started = time.monotonic()
        brief = Brief(seed=0, name="Test", ancestry="human", ancestry_name="Human", people="human",
                      class_name="fighter", class_title="Fighter", level=1, alignment="neutral", origin=None,
                      concept="health check", setting=None, length="quick",
                      abilities=Abilities.model_validate(dict.fromkeys(("str", "dex", "con", "int", "wis", "cha"), 10)))
        request = GenerationRequest(kind="portrait", brief=brief, schema=PortraitPrompt.model_json_schema(),
                                    system="Answer with a JSON object matching the schema.",
                                    user="Task: portrait\nWrite a ten-word portrait prompt for a plain human fighter.")
        try:
            reply = self.generate(request)
            PortraitPrompt.model_validate_json(reply.text)
        except (CharforgeError, ValueError) as exc:
            return Check(name="generation", ok=False, detail=str(exc).splitlines()[0],
                         latency_ms=elapsed_ms(started))
        detail = f"{reply.usage.output_tokens} tokens, {reply.attempts} attempt(s)"
        return Check(name="generation", ok=True, detail=detail, latency_ms=elapsed_ms(started))


DEFAULT_MAX_TOKENS = 4096


def sampling(settings: Any, request: GenerationRequest) -> tuple[int, float | None]:
    """(max_tokens, temperature): the user's config wins over the template's defaults."""
    max_tokens = request.token_limit or settings.max_tokens or request.max_tokens or DEFAULT_MAX_TOKENS
    temperature = settings.temperature if settings.temperature is not None else request.temperature
    return max_tokens, temperature


def listing_checks(list_models: Callable[[], list[str]], *, model: str, errors: type[Exception],
                   failure: Callable[[Exception], Exception]) -> list[Check]:
    """Reachable and authenticated (a model listing needs the key), and is `model` among those listed?"""
    started = time.monotonic()
    try:
        models = list_models()
    except errors as exc:
        return [Check(name="reachable and authenticated", ok=False, detail=str(failure(exc)),
                      latency_ms=elapsed_ms(started))]
    listed = model in models
    return [Check(name="reachable and authenticated", ok=True, detail=f"{len(models)} models listed",
                  latency_ms=elapsed_ms(started)),
            Check(name="model listed", ok=listed, detail=f"{model} is available" if listed else
                  f"{model} is not among the {len(models)} models the server lists")]


def elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def require_json(text: str, provider: str, stop_reason: str | None) -> None:
    """Raise unless `text` is a JSON object: TruncatedAnswerError at the token limit, else MalformedAnswerError.

    Both carry `text`, so the service can salvage what the answer holds once asking again no longer helps.
    """
    if stop_reason in ("max_tokens", "length"):
        raise TruncatedAnswerError(f"{provider}'s answer was cut off at the token limit",
                                   hint="raise max_tokens for the provider in config.yaml", text=text)
    try:
        if isinstance(json.loads(text), dict):
            return
    except json.JSONDecodeError:
        pass
    raise MalformedAnswerError(f"{provider} answered with something that is not a JSON object",
                               hint="try again, or use another --provider", text=text)
