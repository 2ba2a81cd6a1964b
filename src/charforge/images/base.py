"""The contract every image provider keeps.

A provider gets an `ImageRequest` and returns decoded image bytes in an `ImageResult`: never a URL,
never a file. It raises the same errors as a text provider (`ProviderTransientError` is retried by
`resilience.call`), plus `GenerationError` when the provider's moderation refused the prompt, which
no retry can fix.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from charforge.errors import CharforgeError, GenerationError
from charforge.models import Check, Usage
from charforge.providers.base import elapsed_ms
from charforge.sections import SIZE_PATTERN, ImageFormat

MIN_SIDE, MAX_SIDE = 16, 4096  # OpenAI's largest is 3840; beyond 4096 the offline renderer would need gigabytes
MIME = {"png": "image/png", "webp": "image/webp", "jpeg": "image/jpeg"}


class ImageRequest(BaseModel):
    """What to draw. `subject` and `class_name` feed the offline renderer; hosted providers read only the prompt."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prompt: str = Field(min_length=1, max_length=10_000)
    size: str = Field("1024x1024", pattern=SIZE_PATTERN, description="WIDTHxHEIGHT in pixels.")
    n: int = Field(1, ge=1, le=4, description="How many images.")
    quality: Literal["low", "medium", "high", "auto"] | None = "medium"
    output_format: ImageFormat = "png"
    background: Literal["transparent", "opaque", "auto"] | None = None
    seed: int | None = Field(None, ge=0, lt=2**63)
    style: str | None = None
    negative_prompt: str | None = None
    subject: str | None = Field(None, description="The character's name.")
    class_name: str | None = Field(None, description="The character's SRD class index.")

    @field_validator("size")
    @classmethod
    def _bounded(cls, size: str) -> str:
        if not all(MIN_SIDE <= int(side) <= MAX_SIDE for side in size.split("x")):
            raise ValueError(f"each side must be {MIN_SIDE} to {MAX_SIDE} pixels")
        return size

    @property
    def dimensions(self) -> tuple[int, int]:
        width, height = self.size.split("x")
        return int(width), int(height)


class ImageResult(BaseModel):
    images: list[bytes] = Field(description="Decoded image files, one per requested image.")
    mime: str
    model: str
    revised_prompt: str | None = None
    usage: Usage | None = Field(None, description="Token usage when the provider reports it.")
    seed: int | None = Field(None, description="The seed the provider used, when it says.")
    attempts: int = 1


def sniff(data: bytes) -> str | None:
    """The MIME type the bytes really are (PNG, JPEG or WebP), or None: providers' labels are not trusted."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def checked(images: list[bytes], provider: str) -> str:
    """The one MIME type of `images`; a non-image or a mixed answer is a GenerationError."""
    kinds = {sniff(data) for data in images}
    if not images or None in kinds or len(kinds) != 1:
        raise GenerationError(f"{provider} answered with something that is not a PNG, JPEG or WebP image",
                              hint="try again, or use another --provider")
    return kinds.pop() or ""


def require_images(images: list[bytes], *, provider: str, base_url: str, status: int | None = 200) -> list[bytes]:
    """`images`, if there are any and each is a PNG, JPEG or WebP; else the 2xx answer was cut off or garbled on
    its way, a transient error (`sdk_errors.broken_body`) for the retry loop, never a crash or a bad file."""
    from charforge.providers.sdk_errors import broken_body

    if not images:
        raise broken_body(ValueError("no image in the answer"), provider=provider, base_url=base_url, status=status)
    if any(sniff(data) is None for data in images):
        raise broken_body(ValueError("the image is not a PNG, JPEG or WebP file"), provider=provider,
                          base_url=base_url, status=status)
    return images


if TYPE_CHECKING:
    from charforge.providers.resilience import Limiter
    from charforge.sections import ImageSettings, RetrySettings


class ImageProvider(ABC):
    """An image provider. Implementations live one per module in `charforge.images`."""

    name: ClassVar[str]
    check_size: ClassVar[str] = "1024x1024"  # the deep check's image; local renderers use a small one
    model: str

    @abstractmethod
    def generate(self, request: ImageRequest) -> ImageResult:
        """Draw `request.n` images.

        Raises:
            ProviderError: the provider could not be reached or refused; nothing was drawn.
            GenerationError: the provider's moderation refused the prompt, or the answer was not an image.
        """

    retry: RetrySettings  # set by providers that call out over the network (`configure`)
    limiter: Limiter

    def configure(self, settings: ImageSettings, retry: RetrySettings) -> None:
        """What every remote image provider sets up: settings, model, base URL, timeouts, retry policy, limiter."""
        from charforge.providers import resilience
        from charforge.registry import registry

        self.entry = registry().image_provider(self.name)
        self.settings, self.retry = settings, retry
        self.model = settings.model or self.entry.default_model
        self.base_url = (settings.base_url or self.entry.default_base_url or "").rstrip("/")
        self.timeout = (settings.connect_timeout, settings.timeout)
        self.limiter = resilience.limiter(self.name, self.model, rpm=settings.rpm)

    def attempt(self, request: ImageRequest) -> ImageResult:
        """One try at a remote provider; `retried` runs it inside the retry loop."""
        raise NotImplementedError(f"{self.name} draws locally")

    def retried(self, request: ImageRequest) -> ImageResult:
        """`self.attempt(request)` inside the one retry loop, with this provider's limiter."""
        from charforge.providers import resilience

        result, attempts = resilience.call(lambda: self.attempt(request), provider=self.name, model=self.model,
                                           policy=self.retry, limiter=self.limiter)
        return result.model_copy(update={"attempts": attempts})

    def check(self, *, deep: bool = False) -> list[Check]:
        """Health checks for `charforge check`; local renderers are always ready."""
        checks = [Check(name="ready", ok=True, detail=f"{self.name} needs no key and no network")]
        return [*checks, self.deep_check()] if deep else checks

    def deep_check(self) -> Check:
        """One small real image, end to end."""
        started = time.monotonic()
        request = ImageRequest(prompt="A plain grey circle on a white background.", quality="low",
                               size=self.check_size, subject="Check", class_name="fighter")
        try:
            result = self.generate(request)
        except CharforgeError as exc:
            return Check(name="generation", ok=False, detail=str(exc), latency_ms=elapsed_ms(started))
        detail = f"{len(result.images[0])} bytes {result.mime}, {result.attempts} attempt(s)"
        return Check(name="generation", ok=True, detail=detail, latency_ms=elapsed_ms(started))
