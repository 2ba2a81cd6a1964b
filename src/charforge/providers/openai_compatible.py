"""Any server that speaks OpenAI's Chat Completions (Ollama, llama.cpp server, vLLM, LM Studio).

Many accept `response_format: json_schema`; some reject it. On such a 400 this provider falls back,
once per instance, to `json_object` with the schema stated in the prompt, and then to plain text
with the schema in the prompt. The service validates whatever comes back either way.
"""

from __future__ import annotations

import json
import logging
from typing import Any, ClassVar

from charforge.errors import ProviderRequestError
from charforge.providers.base import GenerationRequest, ProviderReply
from charforge.providers.openai import OpenAIProvider

log = logging.getLogger(__name__)
MODES = ("json_schema", "json_object", "prompt")


class OpenAICompatibleProvider(OpenAIProvider):
    name: ClassVar[str] = "openai-compatible"
    token_limit_arg: ClassVar[str] = "max_tokens"  # what llama.cpp, Ollama and vLLM understand
    mode: str = "json_schema"

    def generate(self, request: GenerationRequest) -> ProviderReply:
        while True:
            try:
                return super().generate(request)
            except ProviderRequestError as exc:
                if exc.status != 400 or self.mode == MODES[-1]:
                    raise
                self.mode = MODES[MODES.index(self.mode) + 1]
                log.info("%s rejected the request (%s); falling back to %s", self.base_url, exc, self.mode)

    def response_format(self, request: GenerationRequest) -> dict[str, Any] | None:
        if self.mode == "json_schema":
            return super().response_format(request)
        return {"type": "json_object"} if self.mode == "json_object" else None

    def messages(self, request: GenerationRequest) -> list[dict[str, str]]:
        messages = super().messages(request)
        if self.mode != "json_schema":
            contract = "Your answer must be one JSON object matching this JSON Schema:\n" + json.dumps(request.schema_)
            messages[0] = {"role": "system", "content": f"{request.system}\n\n{contract}"}
        return messages
