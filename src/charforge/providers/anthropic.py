"""Anthropic's Messages API through the official SDK, with structured output by a forced tool.

Forcing a tool whose `input_schema` is the answer's JSON Schema works across Claude models and
gives us the answer as parsed JSON (`tool_use.input`). The SDK is imported only when this provider
is built, and its own retries are off: `resilience.call` owns them.
"""

from __future__ import annotations

import json
import time
from typing import Any, ClassVar

from charforge.config import PROVIDERS, ProviderSettings, RetrySettings
from charforge.providers import resilience
from charforge.providers.base import (
    Check,
    GenerationRequest,
    ProviderReply,
    TextProvider,
    Usage,
    elapsed_ms,
    require_json,
    sampling,
)
from charforge.providers.sdk_errors import translate

DEFAULT_URL = "https://api.anthropic.com"


class AnthropicProvider(TextProvider):
    name: ClassVar[str] = "anthropic"

    def __init__(self, settings: ProviderSettings, *, key: str, retry: RetrySettings) -> None:
        import anthropic
        import httpx2

        self.settings, self.retry = settings, retry
        self.model = settings.model or PROVIDERS[self.name].default_model
        self.base_url = settings.base_url or DEFAULT_URL
        self.errors = anthropic.APIError
        self.client = anthropic.Anthropic(
            api_key=key, base_url=self.base_url, max_retries=0,
            timeout=httpx2.Timeout(settings.timeout, connect=settings.connect_timeout),
        )
        self.limiter = resilience.limiter(self.name, self.model, rpm=settings.rpm, tpm=settings.tpm)

    def generate(self, request: GenerationRequest) -> ProviderReply:
        reply, attempts = resilience.call(lambda: self._attempt(request), provider=self.name, model=self.model,
                                          policy=self.retry, limiter=self.limiter)
        return reply.model_copy(update={"attempts": attempts})

    def _attempt(self, request: GenerationRequest) -> ProviderReply:
        max_tokens, temperature = sampling(self.settings, request)
        extra: dict[str, Any] = {}
        if temperature is not None:  # the SDK has no temperature argument; the API does
            extra["extra_body"] = {"temperature": temperature}
        try:
            raw = self.client.messages.with_raw_response.create(
                model=self.model, max_tokens=max_tokens, system=request.system,
                messages=[{"role": "user", "content": request.user}],
                tools=[{"name": request.kind, "description": f"Record the {request.kind} answer.",
                        "input_schema": request.schema_}],
                tool_choice={"type": "tool", "name": request.kind}, **extra,
            )
        except self.errors as exc:
            raise translate(exc, provider=self.name, base_url=self.base_url, key_env="ANTHROPIC_API_KEY") from exc
        self.limiter.observe(raw.headers)
        message = raw.parse()
        tool = next((b for b in message.content if b.type == "tool_use"), None)
        if tool is None:
            text = "".join(getattr(b, "text", "") for b in message.content)
            require_json(text, self.name, message.stop_reason)
        else:
            text = json.dumps(tool.input)
        usage = message.usage
        cached = getattr(usage, "cache_read_input_tokens", None) or 0
        written = getattr(usage, "cache_creation_input_tokens", None) or 0
        # Anthropic counts cache reads and writes apart from input_tokens; charforge's input includes them.
        return ProviderReply(text=text, model=message.model, usage=Usage(
            input_tokens=usage.input_tokens + cached + written, output_tokens=usage.output_tokens,
            cached_tokens=cached))

    def check(self, *, deep: bool = False) -> list[Check]:
        started = time.monotonic()
        try:
            models = [m.id for m in self.client.models.list()]
        except self.errors as exc:
            error = translate(exc, provider=self.name, base_url=self.base_url, key_env="ANTHROPIC_API_KEY")
            return [Check(name="reachable and authenticated", ok=False, detail=str(error),
                          latency_ms=elapsed_ms(started))]
        return self.health(models, started, deep=deep)
