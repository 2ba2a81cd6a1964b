"""What a prompt template file may contain. Unknown keys are errors, not silent defaults."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from charforge.models import ANSWER_MODELS
from charforge.registry import registry

OUTPUT_MODELS: dict[str, type[BaseModel]] = {model.__name__: model for model in ANSWER_MODELS.values()}


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
    providers: dict[str, Variant] = Field(default_factory=dict, description="Variants by text provider name.")

    @field_validator("providers")
    @classmethod
    def _known_providers(cls, value: dict[str, Variant]) -> dict[str, Variant]:
        variants = registry().prompt_variants()
        for name in value:
            if name not in variants:
                raise ValueError(f"no text provider {name!r} reads templates; use one of: {', '.join(variants)}")
        return value
