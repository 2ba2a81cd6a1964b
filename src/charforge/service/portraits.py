"""PortraitService: a prompt and a style in, image files and their sidecars out, every call logged.

The prompt comes from the caller: a character's `portrait.prompt` (from `charforge npc`, a `--from`
file, or the offline text generator). The service appends the chosen style's description, checks the
output folder before paying any provider, and records each provider call in the generation log with
file names, never image bytes. It never prints.
"""

from __future__ import annotations

import json
import logging
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from charforge import keys
from charforge.errors import CharforgeError, ConfigError, UsageError
from charforge.images import storage
from charforge.images.base import ImageProvider, ImageRequest, ImageResult
from charforge.images.storage import SavedPortrait
from charforge.models import PORTRAIT_STYLES
from charforge.redact import redact
from charforge.registry import registry
from charforge.sections import ImageSettings, RetrySettings
from charforge.validation import first_error, first_location, first_message

if TYPE_CHECKING:
    from charforge.models import Character, CharacterSpec
    from charforge.store.generations import GenerationLog

log = logging.getLogger(__name__)
STYLES = PORTRAIT_STYLES  # shared with the text side, so a character's own style text is recognised
DEFAULT_STYLE = "painted"


def compose(prompt: str, style: str) -> str:
    """The prompt with any known style text taken out and `style`'s description appended, once."""
    if style not in STYLES:
        raise UsageError(f"unknown style {style!r}", hint=f"choose one of: {', '.join(STYLES)}")
    for text in STYLES.values():
        prompt = prompt.replace(text, "")
    body = re.sub(r"[\s.,;]+$", "", prompt.strip())  # no ". ." where the old style text was cut out
    return f"{body}. {STYLES[style]}."


class PortraitSubject(BaseModel):
    """Who to draw: the character's prompt and the facts the offline renderer and file names use."""

    prompt: str
    name: str
    class_name: str
    style: str = DEFAULT_STYLE
    seed: int | None = None

    @classmethod
    def from_character(cls, character: Character) -> PortraitSubject:
        style = character.portrait.style if character.portrait.style in STYLES else DEFAULT_STYLE
        return cls(prompt=character.portrait.prompt, name=character.name, class_name=character.class_name,
                   style=style, seed=character.provenance.seed)

    @classmethod
    def from_file(cls, path: Path) -> PortraitSubject:
        """A character JSON from `charforge npc --format json`; the path '-' reads it from stdin.

        Raises:
            UsageError: the file cannot be read, is not JSON, or is not a character.
        """
        from charforge.inputs import read_document
        from charforge.models import Character

        hint = "give a file written by 'charforge npc --format json'"
        try:
            data = json.loads(read_document(path, option="--from"))
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"--from {path}: cannot read ({getattr(exc, 'strerror', None) or exc})", hint=hint) \
                from None
        except json.JSONDecodeError as exc:
            raise UsageError(f"--from {path}: not JSON ({exc.msg} at line {exc.lineno})", hint=hint) from None
        except RecursionError:
            raise UsageError(f"--from {path}: refused: nested too deeply", hint=hint) from None
        try:
            return cls.from_character(Character.model_validate(data))
        except ValidationError as exc:
            raise UsageError(f"--from {path}: not a character: {first_error(exc)}", hint=hint) from None

    @classmethod
    def from_spec(cls, spec: CharacterSpec) -> PortraitSubject:
        """A character made by the offline text generator (no key, no network, nothing logged)."""
        from charforge.providers.offline import OfflineProvider
        from charforge.service import CharacterService

        return cls.from_character(CharacterService(OfflineProvider()).npc(spec))


class PortraitPlan(BaseModel):
    """What `--dry-run` prints: the request that would be sent, to whom, and where files would go."""

    provider: str
    model: str
    base_url: str | None
    request: ImageRequest
    folder: Path


def build(settings: ImageSettings, *, retry: RetrySettings | None = None) -> ImageProvider:
    """The provider the settings name, through the registry; hosted ones need their key (ConfigError naming it)."""
    entry = registry().image_provider(settings.provider)
    key = keys.resolve(entry.name) if entry.key_env else None
    if key is None and entry.needs_key:
        raise ConfigError(f"no API key for {entry.name} images",
                          hint=f"set {entry.key_env} or run 'charforge keys set {entry.name}'")
    return entry.load()(settings, key=key.value if key else None, retry=retry or RetrySettings())


class PortraitService:
    """Generate portrait files with one image provider.

    Example:
        service = PortraitService.from_settings(image_settings({"provider": "offline"}), log=None)
        saved = service.generate("Portrait of Brokk, a dwarf fighter", name="Brokk", class_name="fighter")
    """

    def __init__(self, provider: ImageProvider, settings: ImageSettings, *, log: GenerationLog | None = None,
                 command: str = "portrait") -> None:
        self.provider, self.settings, self.log, self.command = provider, settings, log, command

    @classmethod
    def from_settings(cls, settings: ImageSettings, *, retry: RetrySettings | None = None,
                      log: GenerationLog | None = None, command: str = "portrait") -> PortraitService:
        return cls(build(settings, retry=retry), settings, log=log, command=command)

    @staticmethod
    def request(settings: ImageSettings, prompt: str, *, name: str | None = None, class_name: str | None = None,
                style: str = DEFAULT_STYLE, size: str | None = None, n: int = 1, seed: int | None = None,
                ) -> ImageRequest:
        """The request for one run; a bad --size or --n is a UsageError naming the flag."""
        try:
            return ImageRequest(prompt=compose(prompt, style), size=size or settings.size or "1024x1024", n=n,
                                quality=settings.quality, output_format=settings.output_format,
                                background=settings.background, seed=seed, style=style, subject=name,
                                class_name=class_name)
        except ValidationError as exc:
            field = first_location(exc) or "request"
            label = f"--{field}" if field in ("size", "n", "seed") else f"the portrait {field}"
            raise UsageError(f"{label}: {first_message(exc)}", hint="see --help for allowed values") from None

    @classmethod
    def plan(cls, settings: ImageSettings, prompt: str, *, out_dir: Path | None = None, **options: Any,
             ) -> PortraitPlan:
        """What would be sent and where files would go; needs no key, calls nothing, writes nothing."""
        return PortraitPlan(provider=settings.provider, model=settings.model or
                            registry().image_provider(settings.provider).default_model,
                            base_url=settings.base_url, request=cls.request(settings, prompt, **options),
                            folder=out_dir or storage.default_folder())

    def generate(self, prompt: str, *, name: str | None = None, class_name: str | None = None,
                 style: str = DEFAULT_STYLE, size: str | None = None, n: int = 1, seed: int | None = None,
                 out_dir: Path | None = None) -> list[SavedPortrait]:
        """Draw `n` images and save each with its sidecar.

        Raises:
            UsageError: bad size, n or style, or `out_dir` cannot be used (checked before any call).
            ProviderError: the provider failed. GenerationError: its moderation refused the prompt.
        """
        from charforge.store.db import utcnow_iso

        request = self.request(self.settings, prompt, name=name, class_name=class_name, style=style, size=size,
                               n=n, seed=seed)
        folder = storage.prepare_folder(out_dir)
        started = time.monotonic()
        try:
            result = self.provider.generate(request)
        except CharforgeError as exc:
            self._record(request, started, error=exc)
            raise
        meta = storage.PortraitMeta(name=name, prompt=request.prompt, revised_prompt=result.revised_prompt,
                                    provider=self.provider.name, model=result.model, size=request.size,
                                    seed=result.seed if result.seed is not None else seed, style=style)
        try:
            saved = storage.save(result.images, mime=result.mime, folder=folder, meta=meta, created=utcnow_iso())
        except CharforgeError as exc:
            self._record(request, started, result=result, error=exc)  # the call was made (and maybe paid)
            raise
        self._record(request, started, result=result, saved=saved)
        return saved

    def _record(self, request: ImageRequest, started: float, *, result: ImageResult | None = None,
                saved: list[SavedPortrait] | None = None, error: CharforgeError | None = None) -> None:
        if self.log is None:
            return
        from charforge.prices import estimate, load_prices
        from charforge.store.generations import CallRecord

        usage, model = (result.usage, result.model) if result else (None, self.provider.model)
        prices = load_prices() if usage else None
        cost = estimate(prices, model, input_tokens=usage.input_tokens, output_tokens=usage.output_tokens) \
            if usage and prices else None
        response = {"files": [s.path.name for s in saved or []], "mime": result.mime if result else None,
                    "revised_prompt": result.revised_prompt if result else None}
        self.log.record(CallRecord(
            command=self.command, provider=self.provider.name, model=model, kind="portrait",
            request={"prompt": request.prompt, "size": request.size, "n": request.n, "style": request.style,
                     "seed": request.seed},
            response=json.dumps(response) if result else None,
            input_tokens=usage.input_tokens if usage else 0, output_tokens=usage.output_tokens if usage else 0,
            cost_usd=cost, price_date=prices.date if cost is not None and prices else None,
            latency_ms=round((time.monotonic() - started) * 1000),
            attempts=result.attempts if result else getattr(error, "attempts", 1),
            error=redact(f"{type(error).__name__}: {error}") if error else None))


def portraits_for(character: Character, *, flags: dict[str, Any] | None = None, style: str | None = None,
                  n: int = 1, out_dir: Path | None = None, log: GenerationLog | None = None,
                  command: str = "npc") -> list[SavedPortrait]:
    """The hook for `charforge npc --portrait`: draw `character` with the configured image provider.

    Args:
        flags: image settings from the command line (provider, model, base_url, size, ...); None values ignored.
        style: one of STYLES; default: the character's own portrait style.
    """
    from charforge import config

    subject = PortraitSubject.from_character(character)
    settings = config.resolve({f"images.{k}": v for k, v in (flags or {}).items()}).settings
    service = PortraitService.from_settings(settings.for_images(), retry=settings.retry, log=log, command=command)
    return service.generate(subject.prompt, name=subject.name, class_name=subject.class_name,
                            style=style or subject.style, n=n, seed=subject.seed, out_dir=out_dir)


def attach_portrait(character: Character, *, out_dir: Path | None = None, log: GenerationLog | None = None,
                    flags: dict[str, Any] | None = None) -> Character:
    """`npc --portrait`: draw the character and record the image's path in its document."""
    [saved] = portraits_for(character, flags=flags, out_dir=out_dir, log=log)
    portrait = character.portrait.model_copy(update={"image": str(saved.path)})
    return character.model_copy(update={"portrait": portrait})
