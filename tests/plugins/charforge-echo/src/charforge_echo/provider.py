"""The `echo` text provider: charforge's offline answer, with the configured greeting in front of the story.

It shows the whole provider contract with nothing in the way: a settings section, a factory, `generate`
answering JSON that matches `request.schema_` for every kind, and token usage the price table can cost.
It answers through `OfflineProvider.answer`, so every kind charforge asks for gets a valid answer; it never
computes a rules number (hit points, AC, save DCs): the service does, and validates what comes back.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from charforge.models import Usage
from charforge.providers.base import GenerationRequest, ProviderReply, TextProvider
from charforge.providers.offline import OfflineProvider
from charforge_echo import MODEL


class EchoSettings(BaseModel):
    """The `echo:` section of config.yaml; charforge validates it with this model, so an unknown key is an error."""

    model_config = ConfigDict(extra="forbid")

    greeting: str = Field("", description="Put in front of every story's early life.")


class EchoProvider(TextProvider):
    name: ClassVar[str] = "echo"

    def __init__(self, greeting: str = "") -> None:
        self.model = MODEL
        self.greeting = greeting
        self.tables = OfflineProvider()

    def generate(self, request: GenerationRequest) -> ProviderReply:
        answer = self.tables.answer(request.kind, request.brief)
        story = answer.get("background")
        if self.greeting and isinstance(story, dict):  # background and npc answers carry the story
            story["early_life"] = f"{self.greeting} {story['early_life']}"
        text = json.dumps(answer)
        usage = Usage(input_tokens=len(request.brief.model_dump_json()) // 4, output_tokens=len(text) // 4)
        return ProviderReply(text=text, model=self.model, usage=usage)


def build(settings: EchoSettings, *, key: str | None = None, retry: Any = None) -> EchoProvider:
    """The registry's factory: called with the validated `echo:` section, the key (none here) and retry settings."""
    return EchoProvider(greeting=settings.greeting)
