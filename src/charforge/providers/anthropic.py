"""Anthropic's Messages API through the official SDK, with structured output by a forced tool.

Forcing a tool whose `input_schema` is the answer's JSON Schema works across Claude models and
gives us the answer as parsed JSON (`tool_use.input`). The SDK's own retries are off:
`resilience.call` owns them (see providers/hosted.py).
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from charforge.providers.base import GenerationRequest, ProviderReply, Usage, require_json, sampling
from charforge.providers.hosted import HostedProvider


class AnthropicProvider(HostedProvider):
    name: ClassVar[str] = "anthropic"
    default_url: ClassVar[str] = "https://api.anthropic.com"  # the SDK adds /v1 itself

    def connect(self, key: str, timeout: Any) -> tuple[Any, type[Exception]]:
        import anthropic

        client = anthropic.Anthropic(api_key=key, base_url=self.base_url, max_retries=0, timeout=timeout)
        return client, anthropic.APIError

    def attempt(self, request: GenerationRequest) -> ProviderReply:
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
            raise self.failure(exc) from exc
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
