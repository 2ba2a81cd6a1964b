"""Cost estimates for the generation log: a dated price table per model, in USD per million tokens.

Prices change and differ by account, so every cost charforge shows is an estimate, stored with the date of the
table it came from. The table ships in `charforge/data/prices.yaml`; a user's `<config dir>/prices.yaml`
overrides it model by model, so a new model or a negotiated price needs no new release.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from charforge.errors import ConfigError
from charforge.validation import first_error

_HINT = "fix or remove it; the bundled prices are used for models it does not list"


class ModelPrice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    input: float = Field(ge=0, description="USD per million input tokens.")
    output: float = Field(ge=0, description="USD per million output tokens.")
    cached_input: float | None = Field(None, ge=0, description="USD per million cached input tokens.")


def _date_text(value: Any) -> Any:
    """YAML reads an unquoted 2026-11-25 as a date; keep it as text."""
    return value.isoformat() if isinstance(value, dt.date) else value


class PriceTable(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: str = Field(description="When these prices were checked, YYYY-MM-DD.")
    currency: str = "USD"
    note: str = ""
    models: dict[str, ModelPrice] = Field(default_factory=dict)

    _date = field_validator("date", mode="before")(_date_text)


class PriceOverride(BaseModel):
    """The user's prices.yaml: the same shape as the bundled table, every key optional."""

    model_config = ConfigDict(extra="forbid")

    date: str | None = None
    currency: str | None = None
    note: str | None = None
    models: dict[str, ModelPrice] = Field(default_factory=dict)

    _date = field_validator("date", mode="before")(_date_text)


def user_prices_file() -> Path:
    from charforge.config import config_dir

    return config_dir() / "prices.yaml"


@cache  # the bundled file cannot change while charforge runs
def _bundled() -> PriceTable:
    from importlib.resources import files

    import yaml

    text = files("charforge.data").joinpath("prices.yaml").read_text(encoding="utf-8")
    return PriceTable.model_validate(yaml.safe_load(text))


def _read_override(path: Path) -> PriceOverride | None:
    if not path.is_file():
        return None
    from charforge.files import read_yaml

    data = read_yaml(path, error=ConfigError, hint=_HINT)  # with the limits every user YAML file is read under
    if data is None:
        return None
    try:
        override = PriceOverride.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {first_error(exc)}", hint=_HINT) from None
    if override.currency not in (None, "USD"):
        raise ConfigError(f"{path}: currency {override.currency!r} is not supported",
                          hint="charforge's costs are in USD; give prices in USD")
    return override


def load_prices() -> PriceTable:
    """The bundled table with the user's prices.yaml applied (read on every call, so edits show at once).

    Raises:
        ConfigError: the user's file is not valid YAML or not a price table.
    """
    table = _bundled().model_copy(deep=True)
    table.models.update(_registered())
    override = _read_override(user_prices_file())
    if override is None:
        return table
    return PriceTable(date=override.date or table.date, currency=table.currency, note=override.note or table.note,
                      models={**table.models, **override.models})


def _registered() -> dict[str, ModelPrice]:
    """Prices a provider's registration brings (a plugin's models); the bundled table does not know them."""
    from charforge.registry import registry

    return {model: ModelPrice.model_validate(price) for entry in registry().text.values()
            for model, price in entry.prices.items()}


def estimate(table: PriceTable, model: str, *, input_tokens: int, output_tokens: int,
             cached_tokens: int = 0) -> float | None:
    """Estimated USD for one call, rounded to 6 decimals; None when the table does not know the model.

    `cached_tokens` are part of `input_tokens` (as OpenAI reports them) and are billed at `cached_input`
    when the table gives it, else at the input price.

    Example:
        estimate(table, "claude-sonnet-5-5", input_tokens=10_000, cached_tokens=2_000, output_tokens=1_000)
        # (8_000 * 3 + 2_000 * 0.30 + 1_000 * 15) / 1e6 == 0.0396
    """
    price = table.models.get(model)
    if price is None:
        return None
    cached = min(cached_tokens, input_tokens)
    cached_rate = price.input if price.cached_input is None else price.cached_input
    total = (input_tokens - cached) * price.input + cached * cached_rate + output_tokens * price.output
    return round(total / 1_000_000, 6)
