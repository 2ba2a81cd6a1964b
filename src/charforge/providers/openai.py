"""OpenAI's Chat Completions API through the official SDK, with a `json_schema` response format.

`openai-compatible` (providers/openai_compatible.py) reuses this with a base URL and a fallback for
servers that do not accept `json_schema`. The SDK's own retries are off: `resilience.call` owns
them (see providers/hosted.py).

Batch mode (providers/batches.py) uploads a JSONL file whose lines carry exactly the body `attempt`
sends (`body`) and reads each completion exactly as `attempt` reads it (`reply`). `openai-compatible`
inherits the code but not the API: its registry entry says `batch_api=False`, and `submit` refuses.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, ClassVar

from charforge.errors import ProviderRequestError
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
from charforge.providers.sdk_errors import RETRY_STATUSES

ENDPOINT = "/v1/chat/completions"
NEVER_RAN = {"batch_expired": "expired", "batch_cancelled": "canceled"}  # error-file codes of requests not run


class OpenAIProvider(HostedProvider, BatchAPI):
    name: ClassVar[str] = "openai"
    default_url: ClassVar[str] = "https://api.openai.com/v1"  # OpenAI-style base URLs include /v1
    token_limit_arg: ClassVar[str] = "max_completion_tokens"  # newer OpenAI models refuse max_tokens
    max_requests: ClassVar[int] = 50_000
    max_bytes: ClassVar[int] = 200_000_000  # per input file

    def connect(self, key: str, timeout: Any) -> tuple[Any, type[Exception]]:
        import openai

        return openai.OpenAI(api_key=key, base_url=self.base_url, max_retries=0, timeout=timeout), openai.APIError

    def response_format(self, request: GenerationRequest) -> dict[str, Any] | None:
        return {"type": "json_schema", "json_schema": {"name": request.kind, "schema": request.schema_}}

    def messages(self, request: GenerationRequest) -> list[dict[str, str]]:
        return [{"role": "system", "content": request.system}, {"role": "user", "content": request.user}]

    def body(self, request: GenerationRequest) -> dict[str, Any]:
        """The Chat Completions body for `request`: what `attempt` sends, and a batch line's `body`."""
        max_tokens, temperature = sampling(self.settings, request)
        body: dict[str, Any] = {"model": self.model, "messages": self.messages(request),
                                self.token_limit_arg: max_tokens, "seed": request.brief.seed}
        if temperature is not None:
            body["temperature"] = temperature
        if (response_format := self.response_format(request)) is not None:
            body["response_format"] = response_format
        return body

    def attempt(self, request: GenerationRequest) -> ProviderReply:
        try:
            raw = self.client.chat.completions.with_raw_response.create(**self.body(request))
        except self.errors as exc:
            raise self.failure(exc) from exc
        self.limiter.observe(raw.headers)
        return self.read(raw, self.reply)

    def reply(self, completion: Any) -> ProviderReply:
        """Read a `ChatCompletion`: the first choice's content must be a JSON object."""
        choice = completion.choices[0]
        text = choice.message.content or ""
        require_json(text, self.name, choice.finish_reason)
        usage = completion.usage
        details = getattr(usage, "prompt_tokens_details", None)
        return ProviderReply(text=text, model=completion.model or self.model, usage=Usage(
            input_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            output_tokens=getattr(usage, "completion_tokens", 0) or 0,
            cached_tokens=getattr(details, "cached_tokens", 0) or 0))

    # -- batch mode (providers/batches.py) ---------------------------------------------------------

    def submit(self, items: list[tuple[str, GenerationRequest]]) -> str:
        if not self.entry.capabilities.batch_api:
            raise ProviderRequestError(f"{self.name} has no batch API", hint="generate in realtime mode")
        check_ids([custom_id for custom_id, _ in items], self.max_requests)
        lines = [json.dumps({"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": self.body(request)})
                 for custom_id, request in items]
        data = "\n".join([*lines, ""]).encode()
        check_size(len(data), self.max_bytes)
        upload = send(self, lambda: self.client.files.create(
            file=("charforge-batch.jsonl", data, "application/jsonl"), purpose="batch"))
        batch = send(self, lambda: self.client.batches.create(
            input_file_id=upload.id, endpoint=ENDPOINT, completion_window="24h", metadata={"charforge": "1"}))
        return batch.id

    def status(self, batch_id: str) -> BatchStatus:
        return self._status(send(self, lambda: self.client.batches.retrieve(batch_id)))

    def results(self, batch_id: str) -> Iterator[BatchItem]:
        batch = send(self, lambda: self.client.batches.retrieve(batch_id))
        if not (status := self._status(batch)).ended:
            raise not_ended(self.name, status)
        if batch.status == "failed":  # the input was rejected as a whole: no request ran
            errors = [e.message or e.code or "" for e in (batch.errors.data or [])] if batch.errors else []
            raise ProviderRequestError(f"{self.name} batch {batch_id} failed: {'; '.join(errors)[:300] or 'no reason'}",
                                       hint="the batch's requests never ran; submit them again or run them realtime")
        lines: list[dict[str, Any]] = []
        for file_id in filter(None, (batch.output_file_id, batch.error_file_id)):
            text = send(self, lambda file_id=file_id: self.client.files.content(file_id).text)
            lines += [json.loads(line) for line in text.splitlines() if line.strip()]
        return (self._item(line) for line in lines)

    def cancel(self, batch_id: str) -> BatchStatus:
        return self._status(send(self, lambda: self.client.batches.cancel(batch_id)))

    @staticmethod
    def _status(batch: Any) -> BatchStatus:
        counts = batch.request_counts
        total, succeeded, failed = (counts.total, counts.completed, counts.failed) if counts else (0, 0, 0)
        return BatchStatus(id=batch.id, state=state_of(batch.status), provider_status=batch.status, total=total,
                           succeeded=succeeded, failed=failed, processing=max(0, total - succeeded - failed))

    def _item(self, line: dict[str, Any]) -> BatchItem:
        """One output- or error-file line: `{"custom_id", "response": {"status_code", "body"}, "error"}`."""
        custom_id = line["custom_id"]
        if error := line.get("error"):
            code = error.get("code") or "error"
            return error_item(custom_id, NEVER_RAN.get(code, code), f"openai: {error.get('message') or code}",
                              retryable=code in NEVER_RAN)
        response = line.get("response") or {}
        status, body = response.get("status_code"), response.get("body") or {}
        if status == 200:
            from openai.types.chat import ChatCompletion

            return parsed(custom_id, lambda: self.reply(ChatCompletion.construct(**body)))
        inner = (body.get("error") or {}) if isinstance(body, dict) else {}
        kind = inner.get("type") or inner.get("code") or f"http_{status}"
        return error_item(custom_id, kind, f"openai ({status}): {inner.get('message') or kind}",
                          retryable=status in RETRY_STATUSES or (status or 0) >= 500)
