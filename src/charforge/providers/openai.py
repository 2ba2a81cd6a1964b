"""OpenAI's Chat Completions API through the official SDK, with a `json_schema` response format.

`openai-compatible` (providers/openai_compatible.py) reuses this with a base URL and a fallback for
servers that do not accept `json_schema`. The SDK is imported only when a provider is built, and
its own retries are off: `resilience.call` owns them.
"""

from __future__ import annotations

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

DEFAULT_URL = "https://api.openai.com/v1"


class OpenAIProvider(TextProvider):
    name: ClassVar[str] = "openai"
    key_env: ClassVar[str | None] = "OPENAI_API_KEY"
    token_limit_arg: ClassVar[str] = "max_completion_tokens"  # newer OpenAI models refuse max_tokens

    def __init__(self, settings: ProviderSettings, *, key: str, retry: RetrySettings) -> None:
        import httpx2
        import openai

        self.settings, self.retry = settings, retry
        self.model = settings.model or PROVIDERS[self.name].default_model
        self.base_url = settings.base_url or DEFAULT_URL
        self.errors = openai.APIError
        self.client = openai.OpenAI(
            api_key=key, base_url=self.base_url, max_retries=0,
            timeout=httpx2.Timeout(settings.timeout, connect=settings.connect_timeout),
        )
        self.limiter = resilience.limiter(self.name, self.model, rpm=settings.rpm, tpm=settings.tpm)

    def generate(self, request: GenerationRequest) -> ProviderReply:
        reply, attempts = resilience.call(lambda: self._attempt(request), provider=self.name, model=self.model,
                                          policy=self.retry, limiter=self.limiter)
        return reply.model_copy(update={"attempts": attempts})

    def response_format(self, request: GenerationRequest) -> dict[str, Any] | None:
        return {"type": "json_schema", "json_schema": {"name": request.kind, "schema": request.schema_}}

    def messages(self, request: GenerationRequest) -> list[dict[str, str]]:
        return [{"role": "system", "content": request.system}, {"role": "user", "content": request.user}]

    def _attempt(self, request: GenerationRequest) -> ProviderReply:
        max_tokens, temperature = sampling(self.settings, request)
        options: dict[str, Any] = {self.token_limit_arg: max_tokens, "seed": request.brief.seed}
        if temperature is not None:
            options["temperature"] = temperature
        if (response_format := self.response_format(request)) is not None:
            options["response_format"] = response_format
        try:
            raw = self.client.chat.completions.with_raw_response.create(
                model=self.model, messages=self.messages(request), **options)
        except self.errors as exc:
            raise translate(exc, provider=self.name, base_url=self.base_url, key_env=self.key_env) from exc
        self.limiter.observe(raw.headers)
        completion = raw.parse()
        choice = completion.choices[0]
        text = choice.message.content or ""
        require_json(text, self.name, choice.finish_reason)
        usage = completion.usage
        details = getattr(usage, "prompt_tokens_details", None)
        return ProviderReply(text=text, model=completion.model or self.model, usage=Usage(
            input_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            output_tokens=getattr(usage, "completion_tokens", 0) or 0,
            cached_tokens=getattr(details, "cached_tokens", 0) or 0))

    def check(self, *, deep: bool = False) -> list[Check]:
        started = time.monotonic()
        try:
            models = [m.id for m in self.client.models.list()]
        except self.errors as exc:
            error = translate(exc, provider=self.name, base_url=self.base_url, key_env=self.key_env)
            return [Check(name="reachable and authenticated", ok=False, detail=str(error),
                          latency_ms=elapsed_ms(started))]
        return self.health(models, started, deep=deep)
