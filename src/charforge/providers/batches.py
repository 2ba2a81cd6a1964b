"""Provider batch mode: many requests in one asynchronous batch, answered within 24 hours at half price.

The contract a batch-capable provider keeps (`BatchAPI`), and what it reports (`BatchStatus`, `BatchItem`).
Anthropic (Message Batches) and OpenAI (Batch API) implement it; `batch_api(provider)` says whether a
provider has one (its registry entry decides: `openai-compatible` inherits the code but not the API).

A caller (the worker) submits `(custom_id, GenerationRequest)` pairs, keeps the returned batch id, polls
`status` until it has ended (possibly from another process: nothing lives in the provider object) and
reads `results`, matching each `BatchItem` to its job by `custom_id`, never by position. Each request
that has an outcome comes back once; a custom_id missing from the results never ran: treat it like an
expired item. Each request's body is exactly what the realtime `attempt()` would send, and each answer is
parsed exactly as `attempt()` parses it.

Every SDK call goes through the one retry loop (`resilience.call`, with the provider's limiter) and SDK
errors become charforge errors, as in realtime. A create that timed out may still have happened upstream,
so a retried `submit` can leave a second batch: results are matched by custom_id, so a job answered twice
is answered, not broken.

Pricing is not decided here: batch usage is billed at **half** the realtime price by both providers, and
`ProviderReply.usage` carries the tokens as reported; the caller applies the discount.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, ClassVar, Literal, TypeVar

from pydantic import BaseModel, Field

from charforge.errors import MalformedAnswerError, ProviderRequestError, ProviderTransientError, TruncatedAnswerError
from charforge.providers import resilience
from charforge.providers.base import GenerationRequest, ProviderReply, TextProvider
from charforge.redact import redact

if TYPE_CHECKING:
    from charforge.providers.hosted import HostedProvider

__all__ = ["BatchAPI", "BatchItem", "BatchStatus", "batch_api"]
T = TypeVar("T")
CUSTOM_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
# Anthropic's and OpenAI's final states; anything else (in_progress, canceling, validating, finalizing, ...) is not.
ENDED = frozenset({"ended", "completed", "failed", "expired", "cancelled"})


class BatchStatus(BaseModel):
    """Where a batch stands. Counts are the provider's; Anthropic reports outcomes only once a batch has ended."""

    id: str
    state: Literal["in_progress", "ended"]
    provider_status: str = Field(description="As the provider says it: in_progress, canceling, finalizing, ...")
    total: int = 0
    succeeded: int = 0
    failed: int = Field(0, description="Errored, expired or canceled requests.")
    processing: int = 0

    @property
    def ended(self) -> bool:
        return self.state == "ended"


class BatchItem(BaseModel):
    """One request's outcome: a reply, or an error saying whether the request is worth submitting again.

    `error_kind` is `expired`, `canceled` (never ran: retryable), `malformed` (the answer was not a JSON
    object: retryable, as in realtime), `truncated` (cut off at the token limit: retryable with more room;
    realtime `generate()` doubles it itself), or the provider's error type (`invalid_request_error`,
    `overloaded_error`, ...; retryable when the provider would be worth asking again).
    """

    custom_id: str
    reply: ProviderReply | None = None
    error: str | None = None
    error_kind: str | None = None
    retryable: bool = False

    @property
    def ok(self) -> bool:
        return self.reply is not None


class BatchAPI(ABC):
    """What a provider with a batch API offers. Implementations are `HostedProvider`s.

    Example:
        batch_id = provider.submit([(job.id, request) for job, request in claimed])
        while not provider.status(batch_id).ended:
            time.sleep(60)
        for item in provider.results(batch_id):
            finish(item.custom_id, item)
    """

    max_requests: ClassVar[int]  # requests per batch the provider accepts
    max_bytes: ClassVar[int]  # and the most bytes they may take, serialized

    @abstractmethod
    def submit(self, items: list[tuple[str, GenerationRequest]]) -> str:
        """Create one batch of `(custom_id, request)` pairs for this provider's model; returns the batch id.

        Raises:
            ValueError: no items, more than `max_requests` or `max_bytes` (split the batch), or a custom_id
                that is repeated or not 1-64 of `[A-Za-z0-9_-]` (a caller's bug).
            ProviderError: the provider refused or could not be reached (after the retry loop).
        """

    @abstractmethod
    def status(self, batch_id: str) -> BatchStatus:
        """Poll a batch; cheap and idempotent."""

    @abstractmethod
    def results(self, batch_id: str) -> Iterator[BatchItem]:
        """The outcome of each request of an ended batch, in no particular order; fetched before returning.

        Raises:
            ProviderRequestError: the batch has not ended, or (OpenAI) it failed as a whole; the caller
                knows its jobs by batch id.
        """

    @abstractmethod
    def cancel(self, batch_id: str) -> BatchStatus:
        """Ask the provider to stop; requests already running may still finish. Poll until it has ended."""


def state_of(provider_status: str) -> Literal["in_progress", "ended"]:
    return "ended" if provider_status in ENDED else "in_progress"


def batch_api(provider: TextProvider) -> BatchAPI | None:
    """The provider as a `BatchAPI`, or None when its registry entry says it has none."""
    from charforge.registry import registry

    has_api = registry().text_provider(provider.name).capabilities.batch_api
    return provider if has_api and isinstance(provider, BatchAPI) else None


def check_ids(ids: list[str], max_requests: int) -> None:
    """Raise ValueError unless these custom_ids can make one batch (see `BatchAPI.submit`)."""
    if not ids or len(ids) > max_requests:
        raise ValueError(f"a batch holds 1 to {max_requests} requests, not {len(ids)}")
    if len(set(ids)) != len(ids):
        raise ValueError("custom_ids in a batch must be unique")
    if bad := [i for i in ids if not 1 <= len(i) <= 64 or not set(i) <= CUSTOM_ID_CHARS]:
        raise ValueError(f"custom_id {bad[0]!r} is not 1-64 of [A-Za-z0-9_-]")


def send(provider: HostedProvider, fn: Callable[[], T]) -> T:
    """One batch-API call through the provider's retry loop and limiter, SDK errors translated.

    A connection dropped while a result file streams in is a transient error too (the SDKs let it through
    as an httpx2 error), so the whole download is tried again.
    """
    import httpx2

    def once() -> T:
        try:
            return fn()
        except provider.errors as exc:
            raise provider.failure(exc) from exc
        except httpx2.TransportError as exc:
            raise ProviderTransientError(f"{provider.name}: the connection dropped while reading a batch ({exc})",
                                         hint="try again") from exc

    result, _ = resilience.call(once, provider=provider.name, model=provider.model, policy=provider.retry,
                                limiter=provider.limiter)
    return result


def parsed(custom_id: str, parse: Callable[[], ProviderReply]) -> BatchItem:
    """A succeeded item, or an error item when the answer is not the JSON object asked for."""
    try:
        return BatchItem(custom_id=custom_id, reply=parse())
    except (MalformedAnswerError, TruncatedAnswerError) as exc:
        kind = "truncated" if isinstance(exc, TruncatedAnswerError) else "malformed"
        return BatchItem(custom_id=custom_id, error=str(exc), error_kind=kind, retryable=True)


def check_size(nbytes: int, max_bytes: int) -> None:
    if nbytes > max_bytes:
        raise ValueError(f"the batch takes {nbytes:,} bytes, more than the {max_bytes:,} allowed: split it")


def error_item(custom_id: str, kind: str, message: str, *, retryable: bool) -> BatchItem:
    return BatchItem(custom_id=custom_id, error=redact(message)[:300], error_kind=kind, retryable=retryable)


def not_ended(provider: str, status: BatchStatus) -> ProviderRequestError:
    return ProviderRequestError(f"{provider} batch {status.id} has not ended ({status.provider_status})",
                                hint="poll status() until it has ended")
