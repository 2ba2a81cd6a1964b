"""Stability AI's REST API v2beta with `requests`: `POST {base}/v2beta/stable-image/generate/{core|ultra}`.

One image per request, so `n` images are `n` calls, each through the one retry loop. The body is
multipart even without a file (`files={"none": ""}`); `accept: image/*` answers raw bytes. Errors are
JSON `{"id", "name", "errors": [...]}`: `name == "content_moderation"` at any status is a refusal of
the prompt (`GenerationError`, exit 5), 402 is an account out of credits (exit 4, not worth retrying).
"""

from __future__ import annotations

import math
import time
from typing import Any, ClassVar

from charforge.errors import (
    CharforgeError,
    GenerationError,
    ProviderAuthError,
    ProviderRequestError,
    ProviderTransientError,
)
from charforge.images.base import ImageProvider, ImageRequest, ImageResult, checked, require_images
from charforge.models import Check
from charforge.providers import resilience
from charforge.providers.base import elapsed_ms
from charforge.providers.sdk_errors import broken_body
from charforge.redact import redact
from charforge.sections import ImageSettings, RetrySettings

ASPECT_RATIOS = ("16:9", "1:1", "21:9", "2:3", "3:2", "4:5", "5:4", "9:16", "9:21")
MAX_SEED = 4_294_967_294
# Our style names -> Stability's `style_preset`; "token" has no counterpart, so the prompt alone carries it.
STYLE_PRESETS = {"painted": "fantasy-art", "ink sketch": "line-art", "photoreal": "photographic",
                 "pixel art": "pixel-art"}
KEY_HINT = "use a valid key: set STABILITY_API_KEY or run 'charforge keys set stability'"
MODERATION_HINT = "change the prompt (--concept, --style, or portrait.prompt in the --from file) and try again"


def aspect_ratio(width: int, height: int) -> str:
    """The allowed aspect ratio closest to width:height (compared on a log scale, so 2:1 and 1:2 are equally far)."""
    def distance(ratio: str) -> float:
        w, h = ratio.split(":")
        return abs(math.log(int(w) / int(h)) - math.log(width / height))

    return min(ASPECT_RATIOS, key=distance)


class StabilityImages(ImageProvider):
    name: ClassVar[str] = "stability"

    def __init__(self, settings: ImageSettings, *, key: str | None, retry: RetrySettings) -> None:
        import requests

        from charforge import __version__

        self.configure(settings, retry)
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {key}", "User-Agent": f"charforge/{__version__}"})

    def generate(self, request: ImageRequest) -> ImageResult:
        images, attempts, seed = [], 0, None
        for i in range(request.n):  # a different seed per image, or n copies of one picture
            form = self._form(request, None if request.seed is None else (request.seed + i) % (MAX_SEED + 1))
            (data, used), tries = resilience.call(lambda form=form: self.attempt(form), provider=self.name,
                                                  model=self.model, policy=self.retry, limiter=self.limiter)
            images.append(data)
            attempts, seed = attempts + tries, seed if seed is not None else used
        return ImageResult(images=images, mime=checked(images, self.name), model=self.model, seed=seed,
                           attempts=attempts)

    def _form(self, request: ImageRequest, seed: int | None) -> dict[str, Any]:
        form = {"prompt": request.prompt, "output_format": request.output_format,
                "aspect_ratio": aspect_ratio(*request.dimensions), "seed": seed,
                "negative_prompt": request.negative_prompt, "style_preset": STYLE_PRESETS.get(request.style or "")}
        return {key: str(value) for key, value in form.items() if value is not None}

    def attempt(self, form: dict[str, Any]) -> tuple[bytes, int | None]:
        """One request; (image bytes, the seed Stability used)."""
        url = f"{self.base_url}/v2beta/stable-image/generate/{self.model}"
        response = self._send("POST", url, headers={"accept": "image/*"}, files={"none": ""}, data=form)
        if response.status_code != 200:
            raise self.failure(response)
        if response.headers.get("finish-reason", "SUCCESS") == "CONTENT_FILTERED":
            raise GenerationError(f"{self.name} filtered the image: its content moderation flagged it",
                                  hint=MODERATION_HINT)
        if not response.headers.get("content-type", "").startswith("image/"):  # a proxy's page, a cut-off answer
            raise broken_body(ValueError(f"content-type {response.headers.get('content-type')!r}, not an image"),
                              provider=self.name, base_url=self.base_url, status=response.status_code)
        [data] = require_images([response.content], provider=self.name, base_url=self.base_url,
                                status=response.status_code)
        seed = response.headers.get("seed")
        return data, int(seed) if seed and seed.isdigit() else None

    def _send(self, method: str, url: str, **options: Any) -> Any:
        import requests

        try:
            return self.session.request(method, url, timeout=self.timeout, **options)
        except requests.Timeout:
            raise ProviderTransientError(f"{self.name} did not answer in time ({url})",
                                         hint="raise the images timeout, or try again later") from None
        except requests.RequestException as exc:
            raise ProviderTransientError(f"cannot connect to {self.name} at {url} ({type(exc).__name__})",
                                         hint="check the URL (--base-url) and the network") from None

    def failure(self, response: Any) -> CharforgeError:
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        errors = body.get("errors") if isinstance(body.get("errors"), list) else []
        detail = redact(str(errors[0] if errors else body.get("name") or response.reason or ""))[:300]
        if body.get("name") == "content_moderation":
            return GenerationError(f"{self.name} refused to draw this portrait: its content moderation flagged "
                                   "the prompt", hint=MODERATION_HINT, status=status)
        if status in (401, 403):
            return ProviderAuthError(f"{self.name} rejected the API key ({status})", status=status, hint=KEY_HINT)
        if status == 402:
            return ProviderAuthError(f"{self.name}: the account is out of credits (402)", status=status,
                                     hint="add credits at https://platform.stability.ai/account/credits")
        if status == 429:
            return ProviderTransientError(f"{self.name} is rate limited ({status})", status=status,
                                          retry_after=resilience.retry_after(response.headers),
                                          hint="wait a minute, or lower the rate: set images.rpm in config.yaml")
        if status >= 500:
            return ProviderTransientError(f"{self.name} failed ({status}): {detail}", status=status,
                                          retry_after=resilience.retry_after(response.headers),
                                          hint="Stability's servers failed; try again later, and check "
                                               "https://status.stability.ai if it keeps happening")
        return ProviderRequestError(f"{self.name} refused the request ({status}): {detail}", status=status,
                                    hint="check --model (core or ultra), --size and the prompt")

    def check(self, *, deep: bool = False) -> list[Check]:
        """Reachable and authenticated: Stability's account endpoint answers 200 only for a valid key."""
        started = time.monotonic()
        url = f"{self.base_url}/v1/user/account"
        try:
            response = self._send("GET", url, headers={"accept": "application/json"})
            if response.status_code != 200:
                raise self.failure(response)
        except CharforgeError as exc:
            return [Check(name="reachable and authenticated", ok=False, detail=str(exc),
                          latency_ms=elapsed_ms(started))]
        checks = [Check(name="reachable and authenticated", ok=True, detail="account found",
                        latency_ms=elapsed_ms(started))]
        return [*checks, self.deep_check()] if deep else checks
