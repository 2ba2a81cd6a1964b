"""One registry: every text provider, image provider and export format charforge knows.

Everything that lists them reads this table: settings validation, the CLI's help, choices and completion,
`charforge check`, prompt-template variants, keys, prices. Adding one is one module plus one registration.

Built-ins are data here; their code is named as "module:callable" and imported only when built, so
`charforge --help` pays for nothing. Plugins are Python packages that declare an entry point in the group
`charforge.providers` or `charforge.exporters`; each entry point is a function that receives the registry
and calls `add_text_provider`, `add_image_provider` or `add_exporter`. They are loaded the first time a name
is not a built-in or a full listing is asked for (see docs/plugins.md). `CHARFORGE_NO_PLUGINS=1` skips them.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
from collections.abc import Callable
from typing import Any, ClassVar, Literal

from charforge.errors import UsageError

log = logging.getLogger(__name__)

ENTRY_POINT_GROUPS = ("charforge.providers", "charforge.exporters")
STRUCTURED_MODES = ("tool", "json_schema", "json_object", "prompt")
Factory = str | Callable[..., Any]  # "package.module:callable", or the callable itself (plugins)
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")

# Entries are small frozen records, checked by `_check` when added, rather than pydantic models or dataclasses:
# this module is imported by `charforge --help` (for the names in the help text), which must pay for neither
# pydantic nor the code generation of five dataclasses (about 5 ms).


class _Record:
    """A frozen record: `FIELDS` maps each field to its default (a callable default is a factory)."""

    FIELDS: ClassVar[dict[str, Any]] = {}
    REQUIRED: ClassVar[tuple[str, ...]] = ()

    def __init__(self, **values: Any) -> None:
        if unknown := sorted(set(values) - set(self.FIELDS)):
            raise TypeError(f"unexpected field {unknown[0]!r}")
        if missing := [f for f in self.REQUIRED if f not in values]:
            raise TypeError(f"missing field {missing[0]!r}")
        for name, default in self.FIELDS.items():
            value = values[name] if name in values else default() if callable(default) else default
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.as_dict() == other.as_dict()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.as_dict().items())})"

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}


class Capabilities(_Record):
    """What a provider can do; `charforge providers` shows it and the service reads it."""

    FIELDS: ClassVar[dict[str, Any]] = {
        "structured": (),  # how it returns JSON, in order of preference (STRUCTURED_MODES)
        "messages": True,  # renders prompt templates (False: works from the brief alone)
        "network": True,  # calls a server
        "seeds": False,  # same seed, same answer
        "batch_api": False,  # has an asynchronous batch API at a discount
    }
    structured: tuple[str, ...]
    messages: bool
    network: bool
    seeds: bool
    batch_api: bool


_ENTRY = {"name": "", "factory": "", "description": "", "origin": "builtin"}


class _Entry(_Record):
    REQUIRED = ("name", "factory")
    name: str
    factory: Factory  # called as factory(settings_section, key=..., retry=...); exporters: factory(document)
    description: str
    origin: str  # "builtin", or the distribution of the plugin that added it

    def load(self) -> Callable[..., Any]:
        """The factory itself, importing its module now."""
        return _resolve(self.factory)


class TextProviderEntry(_Entry):
    FIELDS: ClassVar[dict[str, Any]] = {
        **_ENTRY, "default_model": "",
        "settings": "charforge.sections:ProviderSettings",  # its config section's model; None: no section
        "key_env": None,  # the environment variable its API key comes from
        "needs_key": False,
        "base_url_env": None,  # the SDK's own base-URL variable, read as a setting
        "default_base_url": None,
        "capabilities": Capabilities,
        "auto": False,  # '--provider auto' picks it (in registration order) when it has a key
        "prices": dict,  # model -> {input, output, cached_input} in USD per million tokens
    }
    default_model: str
    settings: type | str | None
    key_env: str | None
    needs_key: bool
    base_url_env: str | None
    default_base_url: str | None
    capabilities: Capabilities
    auto: bool
    prices: dict[str, dict[str, float]]

    @property
    def settings_model(self) -> Any:
        """The settings section's pydantic model, imported now (None when the provider has no section)."""
        return _resolve(self.settings) if self.settings is not None else None


class ImageProviderEntry(_Entry):
    FIELDS: ClassVar[dict[str, Any]] = {
        **_ENTRY, "default_model": "", "key_env": None, "base_url_env": None, "default_base_url": None,
        "models": (),  # the only models accepted, when the provider has a fixed list
        "default_size": "1024x1024",
        "capabilities": lambda: Capabilities(messages=False),
    }
    default_model: str
    key_env: str | None
    base_url_env: str | None
    default_base_url: str | None
    models: tuple[str, ...]
    default_size: str
    capabilities: Capabilities

    @property
    def needs_key(self) -> bool:
        return self.key_env is not None


class ExporterEntry(_Entry):
    FIELDS: ClassVar[dict[str, Any]] = {
        **_ENTRY, "extension": ".txt",  # with the dot
        "kinds": (),  # document kinds it accepts, e.g. ('character',); () = all
        "joins": False,  # a batch export writes every document into one file (JSON Lines), not a file each
        "binary": False,  # the factory returns bytes (a PDF): written as they are, never to a terminal, never joined
        "check": None,  # run before any work: raises a CharforgeError when the format cannot be used here
    }
    extension: str
    kinds: tuple[str, ...]
    joins: bool
    binary: bool
    check: Factory | None  # "module:callable" or a callable taking no argument (an optional library's probe)

    def ready(self) -> None:
        """Run the format's `check` (imports its module now): a missing optional library fails here, before work."""
        if self.check is not None:
            _resolve(self.check)()


def _resolve(target: Any) -> Any:
    if not isinstance(target, str):
        return target
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def _check(entry: _Entry) -> None:
    """A registration's mistakes as one clear ValueError (plugins are a boundary)."""
    if not _NAME.match(entry.name):
        raise ValueError(f"name {entry.name!r} must be lowercase letters, digits, '-' or '_'")
    if not (callable(entry.factory) or (isinstance(entry.factory, str) and ":" in entry.factory)):
        raise ValueError(f"{entry.name}: factory must be a callable or 'module:attribute'")
    for field_name, value in entry.as_dict().items():
        if field_name.endswith(("_env", "_url", "description")) and value is not None and not isinstance(value, str):
            raise ValueError(f"{entry.name}: {field_name} must be text")
    caps = getattr(entry, "capabilities", None)
    if caps is not None and (not isinstance(caps, Capabilities) or set(caps.structured) - set(STRUCTURED_MODES)):
        raise ValueError(f"{entry.name}: capabilities must be a Capabilities with structured modes among "
                         f"{', '.join(STRUCTURED_MODES)}")
    if isinstance(entry, ExporterEntry) and not re.match(r"^\.[a-z0-9]+$", entry.extension):
        raise ValueError(f"{entry.name}: extension must look like '.csv'")
    if isinstance(entry, ExporterEntry) and entry.binary and entry.joins:
        raise ValueError(f"{entry.name}: a binary format cannot join documents into one file")
    if isinstance(entry, ExporterEntry) and not (entry.check is None or callable(entry.check)
                                                  or (isinstance(entry.check, str) and ":" in entry.check)):
        raise ValueError(f"{entry.name}: check must be a callable or 'module:attribute'")
    if isinstance(entry, TextProviderEntry | ImageProviderEntry) and not entry.default_model:
        raise ValueError(f"{entry.name}: default_model is required")


Entry = TextProviderEntry | ImageProviderEntry | ExporterEntry


class Registry:
    """The three tables. Look-ups of an unknown name load the plugins once, then fail with the names known."""

    def __init__(self, *, plugins: bool = True) -> None:
        self.text: dict[str, TextProviderEntry] = {}
        self.images: dict[str, ImageProviderEntry] = {}
        self.exporters: dict[str, ExporterEntry] = {}
        self.plugin_errors: list[str] = []  # one line per plugin that failed to load or register
        self._plugins_loaded = not plugins
        self._origin = "builtin"

    # -- registration (what a plugin calls) -------------------------------------------------------

    def add_text_provider(self, name: str, **fields: Any) -> TextProviderEntry:
        return self._add(self.text, TextProviderEntry, name, fields)

    def add_image_provider(self, name: str, **fields: Any) -> ImageProviderEntry:
        return self._add(self.images, ImageProviderEntry, name, fields)

    def add_exporter(self, name: str, **fields: Any) -> ExporterEntry:
        return self._add(self.exporters, ExporterEntry, name, fields)

    def _add(self, table: dict[str, Any], model: type[Any], name: str, fields: dict[str, Any]) -> Any:
        if name in table or name in ("auto", "generic"):
            owner = table[name].origin if name in table else "charforge"
            raise ValueError(f"{name!r} is already registered (by {owner})")
        try:
            entry = model(name=name, origin=self._origin, **fields)
        except TypeError as exc:  # an unknown or missing field
            raise ValueError(f"{name}: {exc}") from None
        _check(entry)
        table[name] = entry
        return entry

    # -- look-ups ---------------------------------------------------------------------------------

    def text_provider(self, name: str) -> TextProviderEntry:
        return self._find(self.text, name, "text provider", extra=("auto",))

    def image_provider(self, name: str) -> ImageProviderEntry:
        return self._find(self.images, name, "image provider")

    def exporter(self, name: str) -> ExporterEntry:
        return self._find(self.exporters, name.lower(), "format")

    def knows(self, kind: Literal["text", "images", "exporters"], name: str) -> bool:
        table = getattr(self, kind)
        if name not in table:
            self.load_plugins()
        return name in table

    def text_providers(self) -> list[TextProviderEntry]:
        self.load_plugins()
        return list(self.text.values())

    def image_providers(self) -> list[ImageProviderEntry]:
        self.load_plugins()
        return list(self.images.values())

    def all_exporters(self) -> list[ExporterEntry]:
        self.load_plugins()
        return list(self.exporters.values())

    def prompt_variants(self) -> list[str]:
        """Names a template's `providers:` block or `<name>.<provider>.yaml` file may use."""
        return [e.name for e in self.text_providers() if e.capabilities.messages]

    def key_variables(self) -> dict[str, str]:
        """Provider name -> its key's environment variable, text and image providers together."""
        found: dict[str, str] = {}
        for entry in [*self.text_providers(), *self.image_providers()]:
            if entry.key_env:
                found.setdefault(entry.name, entry.key_env)
        return found

    def key_variable(self, name: str) -> str:
        """The environment variable provider `name`'s key comes from (text or image provider)."""
        for _ in range(2):  # the tables as they are, then once more with the plugins loaded
            for table in (self.text, self.images):
                if name in table and table[name].key_env:
                    return table[name].key_env
            if self._plugins_loaded:
                break
            self.load_plugins()
        raise UsageError(f"no provider {name!r} takes a key", hint=f"choose one of: {', '.join(self.key_variables())}")

    def _find(self, table: dict[str, Any], name: str, what: str, extra: tuple[str, ...] = ()) -> Any:
        if name not in table:
            self.load_plugins()
        if name not in table:
            known = ", ".join([*extra, *table])
            raise UsageError(f"unknown {what} {name!r}", hint=f"choose one of: {known} "
                             "('charforge providers' lists them with the plugins that add them)")
        return table[name]

    # -- plugins ----------------------------------------------------------------------------------

    def load_plugins(self) -> None:
        """Call every installed plugin's entry point once; a broken plugin is reported, never fatal."""
        if self._plugins_loaded:
            return
        self._plugins_loaded = True
        if os.environ.get("CHARFORGE_NO_PLUGINS", "") not in ("", "0"):
            return
        from importlib.metadata import entry_points

        for group in ENTRY_POINT_GROUPS:
            for point in entry_points(group=group):
                origin = point.dist.name if point.dist else point.value
                self._origin = origin
                try:
                    point.load()(self)
                except (Exception, SystemExit) as exc:  # a plugin's bug must not break charforge
                    problem = _one_line(exc)
                    self.plugin_errors.append(f"{origin} ({group}: {point.name}): {problem}")
                    log.warning("plugin %s failed to load: %s", origin, problem)
                finally:
                    self._origin = "builtin"


def _one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _builtins(registry: Registry) -> None:
    """charforge's own providers and formats. Default models are checked against the installed SDKs by a test."""
    text, images, export = registry.add_text_provider, registry.add_image_provider, registry.add_exporter
    text("offline", factory="charforge.providers.offline:build", settings=None, default_model="charforge-offline-1",
         capabilities=Capabilities(messages=False, network=False, seeds=True),
         description="Seeded tables and the rules data: no key, no network.")
    text("mock", factory="charforge.providers.mock:build", settings="charforge.sections:MockSettings",
         default_model="charforge-mock-1",
         capabilities=Capabilities(messages=True, network=False, seeds=True),
         description="Canned answers from fixtures, with injected faults, for tests and demos.")
    text("anthropic", factory="charforge.providers.anthropic:AnthropicProvider", key_env="ANTHROPIC_API_KEY",
         needs_key=True, base_url_env="ANTHROPIC_BASE_URL", default_model="claude-sonnet-5-5", auto=True,
         capabilities=Capabilities(structured=("tool",), batch_api=True),
         description="Claude through the official SDK; structured output by a forced tool.")
    text("openai", factory="charforge.providers.openai:OpenAIProvider", key_env="OPENAI_API_KEY", needs_key=True,
         base_url_env="OPENAI_BASE_URL", default_model="gpt-5.5", auto=True,
         capabilities=Capabilities(structured=("json_schema",), batch_api=True, seeds=True),
         description="OpenAI Chat Completions through the official SDK, json_schema output.")
    # Ollama's OpenAI-compatible endpoint by default; llama.cpp's server is http://localhost:8080/v1.
    text("openai-compatible", factory="charforge.providers.openai_compatible:OpenAICompatibleProvider",
         key_env="OPENAI_COMPATIBLE_API_KEY", default_model="llama3.1", default_base_url="http://localhost:11434/v1",
         capabilities=Capabilities(structured=("json_schema", "json_object", "prompt"), seeds=True),
         description="Any Chat Completions server: Ollama, llama.cpp, vLLM, LM Studio.")

    images("offline", factory="charforge.images.offline:OfflineImages", default_model="charforge-offline-portrait-1",
           default_size="512x512", capabilities=Capabilities(messages=False, network=False, seeds=True),
           description="A deterministic Pillow PNG.")
    # dall-e-2/3 are retired and gpt-image-1 shut down (openai SDK 3.57 docstrings); GPT image models answer base64.
    images("openai", factory="charforge.images.openai_images:OpenAIImages", key_env="OPENAI_API_KEY",
           base_url_env="OPENAI_BASE_URL", default_base_url="https://api.openai.com/v1", default_model="gpt-image-2",
           description="OpenAI Images (gpt-image models).")
    # The model is the v2beta endpoint: /v2beta/stable-image/generate/{core|ultra}.
    images("stability", factory="charforge.images.stability:StabilityImages", key_env="STABILITY_API_KEY",
           base_url_env="STABILITY_BASE_URL", default_base_url="https://api.stability.ai", default_model="core",
           models=("core", "ultra"), capabilities=Capabilities(messages=False, seeds=True),
           description="Stability AI's v2beta Stable Image API.")
    # AUTOMATIC1111's WebUI started with --api; "current" keeps whatever checkpoint it has loaded.
    images("sdwebui", factory="charforge.images.sdwebui:SDWebUIImages", base_url_env="CHARFORGE_SDWEBUI_BASE_URL",
           default_base_url="http://127.0.0.1:7860", default_model="current", default_size="512x512",
           capabilities=Capabilities(messages=False, seeds=True), description="A local Stable Diffusion WebUI (--api).")

    export("text", factory="charforge.export.documents:to_text", extension=".txt",
           description="The terminal layout, without colour.")
    export("markdown", factory="charforge.export.documents:to_markdown", extension=".md",
           description="Markdown with YAML frontmatter.")
    export("json", factory="charforge.export.documents:to_json", extension=".json",
           description="The versioned JSON contract (see the README).")
    export("jsonl", factory="charforge.export.documents:to_json_line", extension=".jsonl", joins=True,
           description="One JSON document per line; a batch export writes one file.")
    export("yaml", factory="charforge.export.documents:to_yaml", extension=".yaml",
           description="The JSON contract as YAML.")
    export("foundry", factory="charforge.export.foundry:to_foundry_json", extension=".json", kinds=("character",),
           description="A Foundry VTT dnd5e actor (experimental).")
    export("html", factory="charforge.export.html:to_html", extension=".html", kinds=("character",),
           description="A printable character sheet: one self-contained page, A4 or Letter.")
    export("pdf", factory="charforge.export.pdf:to_pdf", extension=".pdf", kinds=("character",), binary=True,
           check="charforge.export.pdf:check",
           description="The printable sheet as PDF (the extra: pip install 'charforge[pdf]').")


REGISTRY = Registry()
_builtins(REGISTRY)


def registry() -> Registry:
    """The process's registry: the built-ins, plus plugins once something asks beyond them."""
    return REGISTRY


__all__ = ["Capabilities", "ExporterEntry", "ImageProviderEntry", "Registry", "TextProviderEntry", "registry"]
