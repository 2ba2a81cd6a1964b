"""What every SDK-backed provider shares: settings, the one retry loop, the limiter, health checks.

Subclasses say how to build their SDK client (`connect`) and how to make one attempt (`attempt`);
the SDK is imported inside `connect`, so it is loaded only when that provider is built.
"""

from __future__ import annotations

import json
import logging
import time
from abc import abstractmethod
from collections.abc import Callable
from typing import Any, ClassVar

from charforge.errors import ProviderError, TruncatedAnswerError
from charforge.models import Check
from charforge.providers import resilience
from charforge.providers.base import GenerationRequest, ProviderReply, TextProvider, listing_checks, sampling
from charforge.providers.sdk_errors import BROKEN_BODY, broken_body, translate
from charforge.registry import registry
from charforge.sections import ProviderSettings, RetrySettings

log = logging.getLogger(__name__)


class HostedProvider(TextProvider):
    default_url: ClassVar[str]
    # The retry loop's clock and sleep; tests inject fakes (here, or per instance) to count waits without waiting.
    sleep: Callable[[float], None] = staticmethod(time.sleep)
    clock: Callable[[], float] = staticmethod(time.monotonic)

    def __init__(self, settings: ProviderSettings, *, key: str | None, retry: RetrySettings,
                 sleep: Callable[[float], None] | None = None, clock: Callable[[], float] | None = None) -> None:
        import httpx2  # both SDKs run on httpx2

        self.settings, self.retry = settings, retry
        if sleep is not None:
            self.sleep = sleep
        if clock is not None:
            self.clock = clock
        self.entry = registry().text_provider(self.name)
        self.model = settings.model or self.entry.default_model
        self.base_url = settings.base_url or self.default_url
        timeout = httpx2.Timeout(settings.timeout, connect=settings.connect_timeout)
        self.client, self.errors = self.connect(key or "not-needed", timeout)  # local servers take any key
        self.limiter = resilience.limiter(self.name, self.model, rpm=settings.rpm, tpm=settings.tpm)

    @abstractmethod
    def connect(self, key: str, timeout: Any) -> tuple[Any, type[Exception]]:
        """The SDK client, built with max_retries=0, and the SDK's base error class."""

    @abstractmethod
    def attempt(self, request: GenerationRequest) -> ProviderReply:
        """One try; raise `self.failure(exc)` for SDK errors."""

    def read(self, raw: Any, reply: Callable[[Any], ProviderReply]) -> ProviderReply:
        """Parse a 2xx answer (`raw`, the SDK's raw response) and read it with `reply`.

        A body cut off on its way, not JSON, or JSON of another shape fails in the SDK's `parse()` or in `reply`
        with one of `BROKEN_BODY`; that becomes a transient error, retried by the one loop, never a crash.
        """
        try:
            return reply(raw.parse())
        except BROKEN_BODY as exc:
            raise broken_body(exc, provider=self.name, base_url=self.base_url,
                              status=getattr(raw, "status_code", None)) from exc

    def failure(self, exc: Exception) -> ProviderError:
        error = translate(exc, provider=self.name, base_url=self.base_url, key_env=self.entry.key_env)
        if getattr(error, "unreachable", False):
            error.budget = self.settings.timeout  # a server that is not there fails within the timeout
        return error

    def generate(self, request: GenerationRequest) -> ProviderReply:
        """The retry loop around `attempt`; an answer cut off at the token limit is asked again, once, with
        twice the room (the same request would only be cut off again)."""
        try:
            return self._generate(request)
        except TruncatedAnswerError:
            room = 2 * sampling(self.settings, request)[0]
            log.info("%s answer was cut off; asking again with max_tokens=%d", self.name, room)
            return self._generate(request.model_copy(update={"token_limit": room}))

    def _generate(self, request: GenerationRequest) -> ProviderReply:
        estimate = estimated_tokens(request, sampling(self.settings, request)[0])
        reply, attempts = resilience.call(lambda: self.attempt(request), provider=self.name, model=self.model,
                                          policy=self.retry, limiter=self.limiter, tokens=estimate,
                                          sleep=self.sleep, clock=self.clock)
        self.limiter.settle(estimate, reply.usage.input_tokens + reply.usage.output_tokens)
        return reply.model_copy(update={"attempts": attempts})

    def check(self, *, deep: bool = False) -> list[Check]:
        checks = listing_checks(lambda: [m.id for m in self.client.models.list()], model=self.model,
                                errors=self.errors, failure=self.failure)
        return [*checks, self.deep_check()] if deep and checks[0].ok else checks


def estimated_tokens(request: GenerationRequest, max_tokens: int) -> int:
    """What a request counts against a tokens-per-minute limit before its reply is known.

    The input at about four characters a token (system prompt, user message, and the JSON schema, which the
    SDK providers send as a tool or a response format), plus all the output room `max_tokens` allows, which
    is what a provider counts when the request arrives. `settle` corrects it with the reply's real usage.
    """
    chars = len(request.system) + len(request.user) + len(json.dumps(request.schema_))
    return -(-chars // 4) + max_tokens
