"""The settings sections providers use: what a user can set for each, with bounds and a description.

The registry names the section model of every provider; `config.resolve` validates `config.yaml`, `.env`,
the environment and flags against them in one pass. These models import nothing of charforge's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SIZE_PATTERN = r"^[1-9][0-9]{1,3}x[1-9][0-9]{1,3}$"
ImageFormat = Literal["png", "webp", "jpeg"]
# `auto` or one of the registry's STRUCTURED_MODES; which a provider has is its entry's `capabilities.structured`,
# checked by `config.resolve` (this module imports nothing of charforge's).
StructuredOutput = Literal["auto", "tool", "json_schema", "json_object", "prompt"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MockSettings(_Section):
    scenario: str = Field("default", description="Folder of canned answers under the mock fixtures.")
    fixtures: Path | None = Field(None, description="Fixtures folder (default: the bundled one).")
    fail: list[str] = Field(default_factory=list, description="Failures to inject, one per call, in order.")


class ProviderSettings(_Section):
    """An LLM provider's section (`anthropic:`, `openai:`, `openai-compatible:`, or a plugin's)."""

    model: str | None = Field(None, description="Model id (default: charforge's choice for the provider).")
    base_url: str | None = Field(None, description="API base URL; OpenAI-style URLs end in /v1.")
    timeout: float = Field(60.0, gt=0, description="Seconds to wait for an answer.")
    connect_timeout: float = Field(10.0, gt=0, description="Seconds to wait for a connection.")
    max_tokens: int | None = Field(None, ge=256, description="Most tokens an answer may use (default: the template's).")
    temperature: float | None = Field(None, ge=0, le=2, description="Sampling temperature (provider default if unset).")
    rpm: int | None = Field(None, gt=0, description="Client-side limit: requests per minute.")
    tpm: int | None = Field(None, gt=0, description="Client-side limit: tokens per minute.")
    structured_output: StructuredOutput = Field(
        "auto", description="How the answer is asked for as JSON: auto (the best the server accepts, remembered "
        "per base URL), json_schema, json_object, prompt (the schema in the prompt only), or tool (anthropic).")


class RetrySettings(_Section):
    max_attempts: int = Field(6, ge=1, le=50, description="Attempts per provider call, the first included.")
    max_wait: float = Field(60.0, gt=0, description="Longest single wait, even if the provider asks for more.")
    deadline: float = Field(300.0, gt=0, description="Give up on a call after this many seconds in all.")
    backoff: float = Field(0.5, gt=0, description="First wait when the provider gave no retry-after; doubles.")


class ImageSettings(_Section):
    """The `images:` section; `Settings.for_images()` fills in the provider's model, URL and size."""

    provider: str = Field("offline", description="Image provider.")
    model: str | None = Field(None, description="Model id (default: charforge's choice for the provider).")
    base_url: str | None = Field(None, description="API base URL (OpenAI-style URLs end in /v1).")
    size: str | None = Field(None, pattern=SIZE_PATTERN, description="WIDTHxHEIGHT (default: the provider's).")
    quality: Literal["low", "medium", "high", "auto"] = Field("medium", description="OpenAI image quality.")
    output_format: ImageFormat = Field("png", description="File format of the images.")
    background: Literal["transparent", "opaque", "auto"] | None = Field(None, description="OpenAI background.")
    timeout: float = Field(120.0, gt=0, description="Seconds to wait for an image.")
    connect_timeout: float = Field(10.0, gt=0, description="Seconds to wait for a connection.")
    rpm: int | None = Field(None, gt=0, description="Client-side limit: requests per minute.")
