"""The mock provider: canned answers from `fixtures/mock/<scenario>/<kind>.json`, and injected faults.

For tests, demos and script development. It records every request in `history`, answers with the
scenario's fixture, and before that consumes one entry of `fail` per call:

- `rate_limit`, `server_error`, `timeout`, `auth`: raise the `ProviderError` a real provider would;
- `bad_json`: answer text that is not JSON;
- `wrong_shape`: answer JSON that does not match the schema.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

from charforge.errors import ConfigError, ProviderError
from charforge.files import bundled
from charforge.models import Usage
from charforge.providers.base import GenerationRequest, ProviderReply, TextProvider
from charforge.sections import MockSettings, RetrySettings

MODEL = "charforge-mock-1"
FAULTS = {
    "rate_limit": "mock: 429 rate limited",
    "server_error": "mock: 500 internal server error",
    "timeout": "mock: request timed out",
    "auth": "mock: 401 invalid key",
}
ANSWER_FAULTS = {"bad_json": "this is not JSON {", "wrong_shape": '{"unexpected": true}'}


def bundled_fixtures() -> Path:
    """`fixtures/` inside the wheel, or at the top of a source checkout."""
    if found := bundled("fixtures", "fixtures", "mock"):
        return found
    raise ConfigError("the mock provider's fixtures are missing from this installation",
                      hint="set mock.fixtures in config.yaml or CHARFORGE_MOCK_FIXTURES to a fixtures folder")


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


class MockProvider(TextProvider):
    name: ClassVar[str] = "mock"

    def __init__(self, *, scenario: str = "default", fixtures: Path | None = None,
                 fail: list[str] | None = None) -> None:
        self.model = MODEL
        self.folder = (fixtures or bundled_fixtures()) / "mock" / scenario
        if not self.folder.is_dir():
            raise ConfigError(f"mock scenario {scenario!r} not found at {self.folder}",
                              hint="choose a folder under fixtures/mock, e.g. 'default'")
        unknown = [f for f in fail or [] if f not in FAULTS and f not in ANSWER_FAULTS and f != "ok"]
        if unknown:
            raise ConfigError(f"unknown mock fault {unknown[0]!r}",
                              hint=f"use one of: ok, {', '.join([*FAULTS, *ANSWER_FAULTS])}")
        self.fail = list(fail or [])
        self.history: list[GenerationRequest] = []

    def generate(self, request: GenerationRequest) -> ProviderReply:
        self.history.append(request)
        fault = self.fail.pop(0) if self.fail else "ok"
        if fault in FAULTS:
            raise ProviderError(FAULTS[fault], hint="the mock provider was told to fail (mock.fail)")
        if fault in ANSWER_FAULTS:
            return ProviderReply(text=ANSWER_FAULTS[fault], model=self.model)
        text = json.dumps(self.answer(request.kind))
        return ProviderReply(text=text, model=self.model,
                             usage=Usage(input_tokens=len(json.dumps(request.brief.model_dump())) // 4,
                                         output_tokens=len(text) // 4))

    def answer(self, kind: str) -> dict:
        """The scenario's `<kind>.json`; a missing npc.json is assembled from the other four."""
        path = self.folder / f"{kind}.json"
        if path.exists() or kind != "npc":
            return _read(path)
        portrait = _read(self.folder / "portrait.json")["prompt"]
        parts = ("background", "equipment", "spells")
        return {k: v for part in parts for k, v in _read(self.folder / f"{part}.json").items()} | {"portrait": portrait}


def build(settings: MockSettings, *, key: str | None = None, retry: RetrySettings | None = None) -> MockProvider:
    """The registry's factory: the `mock:` section of the settings."""
    return MockProvider(scenario=settings.scenario, fixtures=settings.fixtures, fail=settings.fail)
