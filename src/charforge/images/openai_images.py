"""OpenAI's Images API through the official SDK (`POST /v1/images/generations`).

GPT image models always answer base64; a server that answers with a `url` instead (older models, some
compatible servers) is downloaded at once, because a stored URL expires. The SDK's retries are off:
`resilience.call` owns them. A moderation refusal is a `GenerationError` (exit 5), not a provider
failure: the same prompt will be refused again, so it is never retried.
"""

from __future__ import annotations

import base64
from typing import Any, ClassVar

from charforge.errors import (
    CharforgeError,
    GenerationError,
    ProviderError,
    ProviderRequestError,
    ProviderTransientError,
)
from charforge.images.base import ImageProvider, ImageRequest, ImageResult, Usage, checked, require_images
from charforge.models import Check
from charforge.providers.base import listing_checks
from charforge.providers.sdk_errors import BROKEN_BODY, broken_body, translate
from charforge.sections import ImageSettings, RetrySettings

MAX_DOWNLOAD = 64 * 1024 * 1024  # a portrait is a few MB; anything this large is not one
MODERATION_HINT = "change the prompt (--concept, --style, or portrait.prompt in the --from file) and try again"


class OpenAIImages(ImageProvider):
    name: ClassVar[str] = "openai"

    def __init__(self, settings: ImageSettings, *, key: str | None, retry: RetrySettings) -> None:
        import httpx2  # the openai SDK runs on httpx2
        import openai

        self.configure(settings, retry)
        timeout = httpx2.Timeout(settings.timeout, connect=settings.connect_timeout)
        self.client = openai.OpenAI(api_key=key, base_url=self.base_url, max_retries=0, timeout=timeout)
        self.errors: type[Exception] = openai.APIError

    def generate(self, request: ImageRequest) -> ImageResult:
        return self.retried(request)

    def attempt(self, request: ImageRequest) -> ImageResult:
        options = {"model": self.model, "prompt": request.prompt, "n": request.n, "size": request.size,
                   "quality": request.quality, "output_format": request.output_format,
                   "background": request.background}
        try:
            raw = self.client.images.with_raw_response.generate(**{k: v for k, v in options.items() if v is not None})
        except self.errors as exc:
            raise self.failure(exc) from exc
        self.limiter.observe(raw.headers)
        try:  # a body cut off, not JSON, or of another shape fails here with one of BROKEN_BODY
            answer = raw.parse()
            items = list(answer.data or [])
            images = require_images([self._bytes(item) for item in items], provider=self.name,
                                    base_url=self.base_url, status=raw.status_code)
            usage = answer.usage
            return ImageResult(
                images=images, mime=checked(images, self.name), model=self.model,
                revised_prompt=next((item.revised_prompt for item in items if item.revised_prompt), None),
                usage=Usage(input_tokens=usage.input_tokens or 0, output_tokens=usage.output_tokens or 0)
                if usage else None)
        except BROKEN_BODY as exc:
            raise broken_body(exc, provider=self.name, base_url=self.base_url, status=raw.status_code) from exc

    def failure(self, exc: Exception) -> CharforgeError:
        """A moderation refusal becomes a GenerationError; everything else is classified by `translate`."""
        body = getattr(exc, "body", None)
        code = body.get("code") if isinstance(body, dict) else None
        message = str(getattr(exc, "message", "") or "")
        if getattr(exc, "status_code", None) == 400 and (code == "moderation_blocked" or "safety system" in message):
            return GenerationError(f"{self.name} refused to draw this portrait: its safety system rejected the prompt",
                                   hint=MODERATION_HINT, status=400)
        return translate(exc, provider=self.name, base_url=self.base_url, key_env=self.entry.key_env)

    def _bytes(self, item: Any) -> bytes:
        if item.b64_json:
            try:
                return base64.b64decode(item.b64_json, validate=True)
            except ValueError:  # binascii.Error: the body was garbled; the caller makes it a transient error
                raise ValueError("b64_json is not valid base64") from None
        if item.url:
            return download(item.url, provider=self.name, timeout=(self.settings.connect_timeout,
                                                                   self.settings.timeout))
        raise GenerationError(f"{self.name} answered with no image", hint="try again, or use another --provider")

    def check(self, *, deep: bool = False) -> list[Check]:
        checks = listing_checks(lambda: [m.id for m in self.client.models.list()], model=self.model,
                                errors=self.errors, failure=self.failure)
        return [*checks, self.deep_check()] if deep and checks[0].ok else checks


def download(url: str, *, provider: str, timeout: tuple[float, float]) -> bytes:
    """Fetch an image the provider answered with a URL to; only http(s), at most MAX_DOWNLOAD bytes."""
    import requests

    if not url.startswith(("https://", "http://")):
        raise GenerationError(f"{provider} answered with an image URL charforge will not fetch", hint="try again")
    where = url.split("?", 1)[0]  # signed URLs carry tokens in the query; never show them
    try:
        with requests.get(url, timeout=timeout, stream=True) as response:
            if response.status_code != 200:
                raise _download_error(provider, where, response.status_code)
            data = bytearray()
            for chunk in response.iter_content(chunk_size=65536):
                data += chunk
                if len(data) > MAX_DOWNLOAD:
                    raise GenerationError(f"{provider}'s image at {where} is larger than {MAX_DOWNLOAD} bytes",
                                          hint="try again, or use another --provider")
            return bytes(data)
    except requests.RequestException as exc:
        raise ProviderTransientError(f"cannot download {provider}'s image from {where} ({type(exc).__name__})",
                                     hint="check the network and try again") from None


def _download_error(provider: str, where: str, status: int) -> ProviderError:
    if status == 429 or status >= 500:
        return ProviderTransientError(f"{provider}'s image at {where} is unavailable ({status})", status=status,
                                      hint="try again")
    return ProviderRequestError(f"cannot download {provider}'s image from {where} ({status})", status=status,
                                hint="the image link may have expired; generate again")
