"""OpenAI's Chat Completions API through the official SDK, with a `json_schema` response format.

`openai-compatible` (providers/openai_compatible.py) reuses this with a base URL and a fallback for
servers that do not accept `json_schema`. The SDK's own retries are off: `resilience.call` owns
them (see providers/hosted.py).
"""

from __future__ import annotations

from typing import Any, ClassVar

from charforge.providers.base import GenerationRequest, ProviderReply, Usage, require_json, sampling
from charforge.providers.hosted import HostedProvider


class OpenAIProvider(HostedProvider):
    name: ClassVar[str] = "openai"
    default_url: ClassVar[str] = "https://api.openai.com/v1"  # OpenAI-style base URLs include /v1
    token_limit_arg: ClassVar[str] = "max_completion_tokens"  # newer OpenAI models refuse max_tokens

    def connect(self, key: str, timeout: Any) -> tuple[Any, type[Exception]]:
        import openai

        return openai.OpenAI(api_key=key, base_url=self.base_url, max_retries=0, timeout=timeout), openai.APIError

    def response_format(self, request: GenerationRequest) -> dict[str, Any] | None:
        return {"type": "json_schema", "json_schema": {"name": request.kind, "schema": request.schema_}}

    def messages(self, request: GenerationRequest) -> list[dict[str, str]]:
        return [{"role": "system", "content": request.system}, {"role": "user", "content": request.user}]

    def attempt(self, request: GenerationRequest) -> ProviderReply:
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
            raise self.failure(exc) from exc
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
