"""What a prompt template file may contain. Unknown keys are errors, not silent defaults."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from charforge.models import BackgroundAnswer, EquipmentAnswer, NpcAnswer, PortraitPrompt, SpellsAnswer

OUTPUT_MODELS: dict[str, type[BaseModel]] = {
    model.__name__: model for model in (BackgroundAnswer, EquipmentAnswer, SpellsAnswer, PortraitPrompt, NpcAnswer)
}
PROVIDER_VARIANTS = ("anthropic", "openai", "openai-compatible")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Variable(_Strict):
    """A template variable the user may set with `--var name=value`."""

    name: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")
    type: Literal["str", "int", "float", "bool"] = "str"
    default: Any = None
    description: str = ""
    choices: list[Any] | None = None


class GenerationOptions(_Strict):
    temperature: float | None = Field(None, ge=0, le=2, description="Sampling temperature.")
    max_tokens: int | None = Field(None, ge=64, le=64000, description="Most tokens the answer may use.")


class Variant(_Strict):
    """A provider's own `system` / `user` / `options`, replacing the generic ones."""

    system: str | None = None
    user: str | None = None
    options: GenerationOptions | None = None


class TemplateFile(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    version: str
    description: str = ""
    variables: list[Variable] = Field(default_factory=list)
    context: str = Field("", description="Rendered first; `system` and `user` use it as {{ context }}.")
    system: str
    user: str
    output: str
    options: GenerationOptions = Field(default_factory=GenerationOptions)
    providers: dict[Literal["anthropic", "openai", "openai-compatible"], Variant] = Field(default_factory=dict)
