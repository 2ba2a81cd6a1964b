"""Image provider facts and settings: where each provider's key and URL come from, and what a user can set.

Layers, later wins, as for text settings (see `charforge.config`): defaults < the `images:` section of
`config.yaml` < `.env` < environment (`CHARFORGE_IMAGES_*`, plus each provider's own base-URL variable) <
flags. A model or base URL belongs to the provider that was in effect where it was set: when a later
layer switches provider, they are dropped, because an OpenAI model name means nothing to Stability.
"""

from __future__ import annotations

import os
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from charforge import config, keys
from charforge.errors import ConfigError, UsageError
from charforge.images.base import SIZE_PATTERN, ImageFormat

ImageProviderName = Literal["offline", "openai", "stability", "sdwebui"]
ENV_PREFIX = "CHARFORGE_IMAGES_"
_OWNED = ("model", "base_url")  # settings that belong to one provider


class ImageProviderFacts(BaseModel):
    """What charforge knows about an image provider before building it."""

    model_config = ConfigDict(frozen=True)

    key_env: str | None
    base_url_env: str | None
    default_base_url: str | None
    default_model: str
    models: tuple[str, ...] = ()  # the only models accepted, when the provider has a fixed list
    default_size: str = "1024x1024"


IMAGE_PROVIDERS: dict[str, ImageProviderFacts] = {
    # dall-e-2/3 are retired and gpt-image-1 shut down (openai SDK 3.57 docstrings); GPT image models answer base64.
    "openai": ImageProviderFacts(key_env="OPENAI_API_KEY", base_url_env="OPENAI_BASE_URL",
                                 default_base_url="https://api.openai.com/v1", default_model="gpt-image-2"),
    # The model is the v2beta endpoint: /v2beta/stable-image/generate/{core|ultra}.
    "stability": ImageProviderFacts(key_env="STABILITY_API_KEY", base_url_env="STABILITY_BASE_URL",
                                    default_base_url="https://api.stability.ai", default_model="core",
                                    models=("core", "ultra")),
    # AUTOMATIC1111's WebUI started with --api; "current" keeps whatever checkpoint it has loaded.
    "sdwebui": ImageProviderFacts(key_env=None, base_url_env="CHARFORGE_SDWEBUI_BASE_URL",
                                  default_base_url="http://127.0.0.1:7860", default_model="current",
                                  default_size="512x512"),
    "offline": ImageProviderFacts(key_env=None, base_url_env=None, default_base_url=None,
                                  default_model="charforge-offline-portrait-1", default_size="512x512"),
}


class ImageSettings(BaseModel):
    """Settings for one portrait run; `image_settings()` fills in the provider's model, URL and size."""

    model_config = ConfigDict(extra="forbid")

    provider: ImageProviderName = Field("offline", description="Image provider.")
    model: str | None = Field(None, description="Model id (default: charforge's choice for the provider).")
    base_url: str | None = Field(None, description="API base URL (OpenAI-style URLs end in /v1).")
    size: str | None = Field(None, pattern=SIZE_PATTERN, description="WIDTHxHEIGHT (default: the provider's).")
    quality: Literal["low", "medium", "high", "auto"] = Field("medium", description="OpenAI image quality.")
    output_format: ImageFormat = Field("png", description="File format of the images.")
    background: Literal["transparent", "opaque", "auto"] | None = Field(None, description="OpenAI background.")
    timeout: float = Field(120.0, gt=0, description="Seconds to wait for an image.")
    connect_timeout: float = Field(10.0, gt=0, description="Seconds to wait for a connection.")
    rpm: int | None = Field(None, gt=0, description="Client-side limit: requests per minute.")
    retry: config.RetrySettings = Field(default_factory=config.RetrySettings,
                                        description="Shared with text providers: the top-level `retry:`.")

    @property
    def facts(self) -> ImageProviderFacts:
        return IMAGE_PROVIDERS[self.provider]


FIELDS = tuple(name for name in ImageSettings.model_fields if name != "retry")


def image_settings(flags: dict[str, Any] | None = None, *,
                   retry: config.RetrySettings | None = None) -> ImageSettings:
    """Merge every layer, validate once, and fill in the provider's defaults.

    Args:
        flags: command-line values by setting name; None values are ignored.
        retry: the retry policy; default: the text settings' (`config.resolve().settings.retry`).

    Raises:
        UsageError: a flag has a bad value. ConfigError: a file or variable does.
    """
    from dotenv import dotenv_values

    dotenv = dict(dotenv_values(config.dotenv_file())) if config.dotenv_file().is_file() else {}
    layers = [("config.yaml", _from_config(), {}), (".env", _from_variables(dotenv), dotenv),
              ("environment", _from_variables(dict(os.environ)), dict(os.environ)),
              ("flag", {k: v for k, v in (flags or {}).items() if v is not None}, {})]
    chosen: dict[str, tuple[Any, str]] = {}
    owned: list[tuple[str, str, Any, str]] = []  # (setting, provider it belongs to, value, source)
    provider = "offline"
    for source, values, variables in layers:
        provider = str(values.get("provider", provider))
        for name, facts in IMAGE_PROVIDERS.items():  # OPENAI_BASE_URL and friends speak for one provider only
            if facts.base_url_env and variables.get(facts.base_url_env):
                owned.append(("base_url", name, variables[facts.base_url_env], source))
        for key, value in values.items():
            if key in _OWNED:
                owned.append((key, provider, value, source))
            else:
                chosen[key] = (value, source)
    chosen.update({key: (value, source) for key, owner, value, source in owned if owner == provider})
    settings = _validate(chosen)
    facts = settings.facts
    if facts.models and settings.model and settings.model not in facts.models:
        raise UsageError(f"{settings.provider} has no model {settings.model!r}",
                         hint=f"choose one of: {', '.join(facts.models)}")
    return settings.model_copy(update={
        "model": settings.model or facts.default_model, "base_url": settings.base_url or facts.default_base_url,
        "size": settings.size or facts.default_size, "retry": retry or config.resolve().settings.retry})


def _validate(chosen: dict[str, tuple[Any, str]]) -> ImageSettings:
    try:
        return ImageSettings.model_validate({key: value for key, (value, _) in chosen.items()})
    except ValidationError as exc:
        err = exc.errors()[0]
        key = str(err["loc"][0]) if err["loc"] else "images"
        source = chosen.get(key, (None, "config.yaml"))[1]
        if source == "flag":
            raise UsageError(f"--{key.replace('_', '-')}: {err['msg']}", hint="see --help for allowed values") from None
        where = {"config.yaml": str(config.config_file()), ".env": str(config.dotenv_file())}.get(source, source)
        raise ConfigError(f"setting images.{key} from {where}: {err['msg']}",
                          hint="fix or remove it; see the Portraits section of the README") from None


def _from_config() -> dict[str, Any]:
    """The `images:` section of config.yaml; an unknown key there is an error, not a silent default."""
    path = config.config_file()
    if not path.is_file():
        return {}
    from charforge.files import read_yaml

    data = read_yaml(path, error=ConfigError, hint="fix the file or remove it")
    section = data.get("images") if isinstance(data, dict) else None
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: 'images' must be a mapping of settings", hint="e.g. images: {provider: openai}")
    if unknown := sorted(set(section) - set(FIELDS)):
        raise ConfigError(f"{path}: unknown setting images.{unknown[0]}",
                          hint=f"images settings are: {', '.join(FIELDS)}")
    return dict(section)


def _from_variables(variables: dict[str, str | None]) -> dict[str, Any]:
    """CHARFORGE_IMAGES_SIZE=512x512 -> {"size": "512x512"}; unrelated variables are ignored."""
    found = {name.removeprefix(ENV_PREFIX).lower(): value for name, value in variables.items()
             if name.startswith(ENV_PREFIX) and value}
    return {key: value for key, value in found.items() if key in FIELDS}


def image_key(provider: str) -> keys.Key | None:
    """The key for an image provider, from where every charforge key comes from (see `charforge.keys`)."""
    return keys.resolve(provider) if IMAGE_PROVIDERS[provider].key_env else None
