"""A local Stable Diffusion WebUI (AUTOMATIC1111, started with `--api`): `POST {base}/sdapi/v1/txt2img`.

No key and no cost; it runs on the user's own GPU, so the default timeout is generous. The model
"current" keeps whatever checkpoint the WebUI has loaded; any other name is sent as
`override_settings.sd_model_checkpoint` for this request only.
"""

from __future__ import annotations

import base64
import time
from typing import Any, ClassVar

from charforge.errors import CharforgeError, ProviderRequestError, ProviderTransientError
from charforge.images.base import ImageProvider, ImageRequest, ImageResult, checked, require_images
from charforge.models import Check
from charforge.providers.base import elapsed_ms
from charforge.providers.sdk_errors import BROKEN_BODY, broken_body, connection_hint
from charforge.redact import redact
from charforge.sections import ImageSettings, RetrySettings

STEPS = 20
START_HINT = "start the WebUI with --api, or point CHARFORGE_SDWEBUI_BASE_URL / --base-url at it"


class SDWebUIImages(ImageProvider):
    name: ClassVar[str] = "sdwebui"
    check_size: ClassVar[str] = "256x256"

    def __init__(self, settings: ImageSettings, *, key: str | None = None, retry: RetrySettings) -> None:
        import requests

        self.configure(settings, retry)
        self.session = requests.Session()

    def generate(self, request: ImageRequest) -> ImageResult:
        return self.retried(request)

    def attempt(self, request: ImageRequest) -> ImageResult:
        width, height = request.dimensions
        body: dict[str, Any] = {"prompt": request.prompt, "negative_prompt": request.negative_prompt or "",
                                "steps": STEPS, "width": width, "height": height, "batch_size": request.n,
                                "seed": -1 if request.seed is None else request.seed % 2**32}
        if self.model != self.entry.default_model:
            body["override_settings"] = {"sd_model_checkpoint": self.model}
        response = self._send("POST", "/sdapi/v1/txt2img", json=body)
        try:  # a body cut off, not JSON, or JSON of another shape: garbled on its way, worth another attempt
            encoded = response.json()["images"][: request.n]
            images = require_images([base64.b64decode(item, validate=True) for item in encoded],
                                    provider=self.name, base_url=self.base_url, status=response.status_code)
        except BROKEN_BODY as exc:
            raise broken_body(exc, provider=self.name, base_url=self.base_url, status=response.status_code) from exc
        return ImageResult(images=images, mime=checked(images, self.name), model=self.model)

    def _send(self, method: str, path: str, **options: Any) -> Any:
        import requests

        url = self.base_url + path
        try:
            response = self.session.request(method, url, timeout=self.timeout, **options)
        except requests.Timeout:
            raise ProviderTransientError(f"{self.name} did not answer in time ({url})",
                                         hint="raise the images timeout; big sizes take long on small GPUs") from None
        except requests.RequestException as exc:
            hint = f"{connection_hint(self.base_url, probe=self.base_url + '/sdapi/v1/sd-models')}; {START_HINT}"
            raise ProviderTransientError(f"cannot connect to {self.name} at {url} ({type(exc).__name__})",
                                         hint=hint) from None
        if response.status_code == 429 or response.status_code >= 500:
            raise ProviderTransientError(f"{self.name} is unavailable ({response.status_code})",
                                         status=response.status_code, hint="check the WebUI's console")
        if response.status_code != 200:
            detail = redact(response.text)[:200]
            raise ProviderRequestError(f"{self.name} refused the request ({response.status_code}): {detail}",
                                       status=response.status_code, hint=START_HINT)
        return response

    def check(self, *, deep: bool = False) -> list[Check]:
        started = time.monotonic()
        try:
            listed = self._send("GET", "/sdapi/v1/sd-models").json()
            models = [str(m.get("title") or m.get("model_name")) for m in listed]
        except (CharforgeError, ValueError, AttributeError) as exc:
            return [Check(name="reachable", ok=False, detail=str(exc), latency_ms=elapsed_ms(started))]
        checks = [Check(name="reachable", ok=True, detail=f"{len(models)} checkpoints listed",
                        latency_ms=elapsed_ms(started))]
        if self.model != self.entry.default_model:
            listed = any(self.model in title for title in models)
            checks.append(Check(name="model listed", ok=listed, detail=f"{self.model} is "
                                f"{'available' if listed else 'not among the checkpoints the WebUI lists'}"))
        return [*checks, self.deep_check()] if deep else checks
