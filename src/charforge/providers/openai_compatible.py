"""Any server that speaks OpenAI's Chat Completions (Ollama, llama.cpp server, vLLM, LM Studio).

The setting `structured_output` (`--structured-output`) says how the answer is asked for as JSON:

- `json_schema`: `response_format: {"type": "json_schema", "json_schema": {"name", "schema"}}`;
- `json_object`: `response_format: {"type": "json_object", "schema": {...}}`, the schema stated in the prompt;
- `prompt`: no `response_format`; the schema stated in the prompt;
- `auto` (the default): the mode remembered for this base URL, else `json_schema`, stepping down once per
  mode when the server rejects one (`sdk_errors.rejects_structured_output`: any 4xx/5xx naming
  `response_format`/`json_schema` or an unsupported field), and remembering the mode that worked
  (`providers/structured.py`). A forced mode never steps down; its rejection fails at once with a hint.

What the servers accept, as documented or coded (checked 2026-11-25):

- llama.cpp server (ggml-org/llama.cpp, tools/server/README.md at 00dc805 and `oaicompat_chat_params_parse`
  in tools/server/server-common.cpp at 006639c): `{"type": "json_object", "schema": {...}}` constrains the
  answer to the schema, `{"type": "json_schema", "json_schema": {"schema": {...}}}` too; any other type is
  `invalid_argument` (400, `invalid_request_error`), earlier builds threw `runtime_error` for it, which the
  server answers with 500 `server_error`, and what it lacks is 501 `not_supported_error`. Unknown top-level
  keys are copied through and ignored.
- Ollama (ollama/ollama v0.33.0-rc2, fb30760: openai/openai.go): `json_object` becomes `format: "json"`;
  `json_schema` passes `json_schema.schema` as the format; unknown keys (our `schema`) are ignored. Errors
  are `{"error": {"type", "message"}}`, 400 `invalid_request_error` or 500 `api_error`.
- vLLM (vllm/sampling_params.py at 00388f6): `StructuredOutputsParams` allows exactly one constraint, so a
  request with `response_format: json_object` *and* `guided_json` is rejected ("You can only use one kind
  of structured outputs constraint"); `json_object` therefore carries no `guided_json`. vLLM takes
  `json_schema` itself, and ignores the extra `schema` key with a warning.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, ClassVar

from charforge.errors import ProviderError, ProviderRequestError
from charforge.models import Check
from charforge.providers import structured
from charforge.providers.base import GenerationRequest, ProviderReply
from charforge.providers.openai import OpenAIProvider
from charforge.providers.sdk_errors import api_message, rejects_structured_output
from charforge.providers.structured import AUTO, FALLBACK, ModeMemory
from charforge.sections import ProviderSettings, RetrySettings

log = logging.getLogger(__name__)
MODES = FALLBACK


class ModeRejected(ProviderRequestError):
    """The server refused this structured-output mode; `auto` steps down to the next (never leaves the provider)."""


class OpenAICompatibleProvider(OpenAIProvider):
    name: ClassVar[str] = "openai-compatible"
    token_limit_arg: ClassVar[str] = "max_tokens"  # what llama.cpp, Ollama and vLLM understand

    def __init__(self, settings: ProviderSettings, *, key: str | None, retry: RetrySettings,
                 mode_memory: ModeMemory | None = None, sleep: Callable[[float], None] | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        super().__init__(settings, key=key, retry=retry, sleep=sleep, clock=clock)
        self.setting = settings.structured_output
        self.forced = self.setting != AUTO
        self.memory = mode_memory if mode_memory is not None else structured.mode_memory()
        self.mode = self.setting if self.forced else FALLBACK[0]
        self._known: str | None = None  # what the memory holds for this server, once asked
        self._asked = self.forced  # a forced mode never reads or writes the memory

    def generate(self, request: GenerationRequest) -> ProviderReply:
        self._recall()
        rejected_attempts = 0
        while True:
            try:
                reply = super().generate(request)
            except ModeRejected as exc:
                rejected, self.mode = self.mode, FALLBACK[FALLBACK.index(self.mode) + 1]
                rejected_attempts += exc.attempts
                log.info("%s rejected structured output %s (%s); trying %s", self.base_url, rejected, exc, self.mode)
                continue
            self._remember()  # the generation log counts the rejected requests among the call's attempts
            return reply.model_copy(update={"attempts": reply.attempts + rejected_attempts})

    def failure(self, exc: Exception) -> ProviderError:
        """A rejection of the structured-output mode steps down in `auto`; a forced one fails with a hint."""
        if self.mode == "prompt" or not rejects_structured_output(exc):
            return super().failure(exc)
        status = getattr(exc, "status_code", None)
        detail = (f"{self.name} at {self.base_url} does not accept structured output {self.mode!r} ({status}): "
                  f"{api_message(exc)}")
        if not self.forced:
            return ModeRejected(detail, status=status)
        return ProviderRequestError(detail, status=status, hint="use --structured-output auto (or structured_output: "
                                    f"auto under '{self.name}:' in config.yaml) to find a mode the server accepts")

    def response_format(self, request: GenerationRequest) -> dict[str, Any] | None:
        if self.mode == "json_schema":
            return super().response_format(request)
        if self.mode == "json_object":  # llama.cpp holds the answer to `schema`; Ollama and vLLM ignore it
            return {"type": "json_object", "schema": request.schema_}
        return None

    def messages(self, request: GenerationRequest) -> list[dict[str, str]]:
        messages = super().messages(request)
        if self.mode != "json_schema":
            contract = "Your answer must be one JSON object matching this JSON Schema:\n" + json.dumps(request.schema_)
            messages[0] = {"role": "system", "content": f"{request.system}\n\n{contract}"}
        return messages

    def check(self, *, deep: bool = False) -> list[Check]:
        """The listing checks, plus the structured-output mode; `deep` forgets the remembered one and probes."""
        if deep and not self.forced:
            if self.memory is not None:
                self.memory.forget(self.name, self.base_url)
            self.mode, self._known, self._asked = FALLBACK[0], None, True
        else:
            self._recall()
        checks = super().check(deep=deep)
        probed = deep and any(c.name == "generation" for c in checks)
        return [*checks, Check(name="structured output", ok=True, detail=self._describe(probed=probed))]

    def _recall(self) -> None:
        if self._asked:
            return
        self._asked = True
        known = self.memory.recall(self.name, self.base_url) if self.memory is not None else None
        if known in FALLBACK:
            self.mode = self._known = known

    def _remember(self) -> None:
        if self.forced or self.mode == self._known:
            return
        self._known = self.mode
        if self.memory is not None:
            self.memory.remember(self.name, self.base_url, self.mode)

    def _describe(self, *, probed: bool) -> str:
        if self.forced:
            return f"{self.mode} (forced by structured_output)"
        if probed and self._known:
            return f"{self._known} (probed now; remembered for {self.base_url})"
        if self._known:
            return f"{self._known} (remembered for {self.base_url}; 'charforge check --deep' probes again)"
        return f"auto: nothing remembered for {self.base_url} yet; {FALLBACK[0]} is tried first"
