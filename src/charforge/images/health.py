"""Image providers in `charforge check`: key present, reachable, authenticated, and (with --deep) one image.

Each provider is built with the check's timeout and a single attempt, so a dead endpoint fails fast.
Entries are labelled `images:<provider>` so they never collide with the text provider of the same name.
"""

from __future__ import annotations

import os

from charforge.config import RetrySettings
from charforge.errors import CharforgeError
from charforge.images.settings import IMAGE_PROVIDERS, image_key, image_settings
from charforge.providers.base import Check
from charforge.service.health import ProviderHealth

LABEL = "images:{}"


def default_image_providers() -> list[str]:
    """Worth checking when none is named: offline, hosted ones with a key, a configured local WebUI."""
    chosen = ["offline"]
    chosen += [name for name, facts in IMAGE_PROVIDERS.items() if facts.key_env and image_key(name)]
    configured = image_settings(retry=RetrySettings()).provider
    if configured == "sdwebui" or os.environ.get(IMAGE_PROVIDERS["sdwebui"].base_url_env or ""):
        chosen.append("sdwebui")
    return chosen


def check_image_provider(name: str, *, deep: bool = False, timeout: float = 10.0) -> ProviderHealth:
    """One `ProviderHealth` for image provider `name`; never raises for a provider problem."""
    from charforge.service.portraits import build

    label, checks = LABEL.format(name), []
    facts = IMAGE_PROVIDERS[name]
    if facts.key_env:
        key = image_key(name)
        if key is None:
            checks.append(Check(name="key", ok=False, detail=f"no key: set {facts.key_env} or run "
                                f"'charforge keys set {name}'"))
            return ProviderHealth(provider=label, ok=False, checks=checks)
        checks.append(Check(name="key", ok=True, detail=f"from {key.source}"))
    try:
        settings = image_settings({"provider": name}, retry=RetrySettings(max_attempts=1))
        settings = settings.model_copy(update={"timeout": min(settings.timeout, timeout),
                                               "connect_timeout": min(settings.connect_timeout, timeout)})
        checks += build(settings).check(deep=deep)
    except CharforgeError as exc:
        checks.append(Check(name="build", ok=False, detail=str(exc)))
    return ProviderHealth(provider=label, ok=all(c.ok for c in checks), checks=checks)


def check_images(names: list[str] | None = None, *, deep: bool = False, timeout: float = 10.0,
                 ) -> list[ProviderHealth]:
    """Entries for `charforge check`: the named image providers, or `default_image_providers()`."""
    return [check_image_provider(n, deep=deep, timeout=timeout) for n in names or default_image_providers()]
