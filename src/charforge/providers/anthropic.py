"""Anthropic's Messages API through the official SDK, with structured output by a forced tool.

Forcing a tool whose `input_schema` is the answer's JSON Schema works across Claude models and
gives us the answer as parsed JSON (`tool_use.input`). The SDK's own retries are off:
`resilience.call` owns them (see providers/hosted.py).

Batch mode (providers/batches.py) uses Message Batches: each request's `params` are exactly what
`attempt` sends (`params`), and each succeeded message is read exactly as `attempt` reads it (`reply`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, ClassVar

from charforge.models import Usage
from charforge.providers.base import GenerationRequest, ProviderReply, require_json, sampling
from charforge.providers.batches import (
    BatchAPI,
    BatchItem,
    BatchStatus,
    check_ids,
    check_size,
    error_item,
    not_ended,
    parsed,
    send,
    state_of,
)
from charforge.providers.hosted import HostedProvider

# Errored batch requests of these types failed on Anthropic's side: the same request may well succeed later.
RETRYABLE_ERRORS = frozenset({"api_error", "overloaded_error", "rate_limit_error", "timeout_error"})


class AnthropicProvider(HostedProvider, BatchAPI):
    name: ClassVar[str] = "anthropic"
    default_url: ClassVar[str] = "https://api.anthropic.com"  # the SDK adds /v1 itself
    max_requests: ClassVar[int] = 10_000  # one API reference says 100,000; we take the conservative reading
    max_bytes: ClassVar[int] = 256_000_000

    def connect(self, key: str, timeout: Any) -> tuple[Any, type[Exception]]:
        import anthropic

        client = anthropic.Anthropic(api_key=key, base_url=self.base_url, max_retries=0, timeout=timeout)
        return client, anthropic.APIError

    def params(self, request: GenerationRequest) -> dict[str, Any]:
        """The Messages API body for `request`: what `attempt` sends, and a batch request's `params`."""
        max_tokens, temperature = sampling(self.settings, request)
        params: dict[str, Any] = {
            "model": self.model, "max_tokens": max_tokens, "system": request.system,
            "messages": [{"role": "user", "content": request.user}],
            "tools": [{"name": request.kind, "description": f"Record the {request.kind} answer.",
                       "input_schema": request.schema_}],
            "tool_choice": {"type": "tool", "name": request.kind},
        }
        if temperature is not None:
            params["temperature"] = temperature
        return params

    def attempt(self, request: GenerationRequest) -> ProviderReply:
        params = self.params(request)
        # The SDK has no temperature argument; the API does (and batch params carry it as is).
        extra = {"temperature": params.pop("temperature")} if "temperature" in params else None
        try:
            raw = self.client.messages.with_raw_response.create(**params, extra_body=extra)
        except self.errors as exc:
            raise self.failure(exc) from exc
        self.limiter.observe(raw.headers)
        return self.read(raw, self.reply)

    def reply(self, message: Any) -> ProviderReply:
        """Read a `Message`: the forced tool's input, else text that must be a JSON object."""
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

    # -- batch mode (providers/batches.py) ---------------------------------------------------------

    def submit(self, items: list[tuple[str, GenerationRequest]]) -> str:
        check_ids([custom_id for custom_id, _ in items], self.max_requests)
        requests = [{"custom_id": custom_id, "params": self.params(request)} for custom_id, request in items]
        check_size(len(json.dumps({"requests": requests})), self.max_bytes)
        return send(self, lambda: self.client.messages.batches.create(requests=requests)).id

    def status(self, batch_id: str) -> BatchStatus:
        return self._status(send(self, lambda: self.client.messages.batches.retrieve(batch_id)))

    def results(self, batch_id: str) -> Iterator[BatchItem]:
        if not (status := self.status(batch_id)).ended:
            raise not_ended(self.name, status)
        lines = send(self, lambda: list(self.client.messages.batches.results(batch_id)))
        return (self._item(line.custom_id, line.result) for line in lines)

    def cancel(self, batch_id: str) -> BatchStatus:
        return self._status(send(self, lambda: self.client.messages.batches.cancel(batch_id)))

    @staticmethod
    def _status(batch: Any) -> BatchStatus:
        counts = batch.request_counts
        failed = counts.errored + counts.canceled + counts.expired
        return BatchStatus(id=batch.id, state=state_of(batch.processing_status),
                           provider_status=batch.processing_status, total=counts.processing + counts.succeeded + failed,
                           succeeded=counts.succeeded, failed=failed, processing=counts.processing)

    def _item(self, custom_id: str, result: Any) -> BatchItem:
        if result.type == "succeeded":
            return parsed(custom_id, lambda: self.reply(result.message))
        if result.type == "errored":
            error = getattr(result.error, "error", None)
            kind = getattr(error, "type", None) or "api_error"
            return error_item(custom_id, kind, f"anthropic: {getattr(error, 'message', kind)}",
                              retryable=kind in RETRYABLE_ERRORS)
        return error_item(custom_id, str(result.type), f"anthropic: the request was {result.type} before it ran",
                          retryable=True)  # canceled or expired: it never ran
