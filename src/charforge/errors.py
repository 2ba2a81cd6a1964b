"""Every error a user can cause, with the exit code scripts rely on and a hint naming the fix.

The CLI prints `error: <message>` and `hint: <hint>` on stderr and exits with `exit_code`.
Exit codes are public: changing one breaks somebody's cron job.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, ClassVar


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # a bug: unexpected exception
    USAGE = 2  # bad flag, bad value, unreadable or unwritable file
    CONFIG = 3  # config.yaml or .env is wrong, a key is missing
    PROVIDER = 4  # the provider failed: auth, network, rate limit after retries
    GENERATION = 5  # the answer could not be turned into a legal character
    BATCH_FAILED = 6  # a batch finished, but some of its jobs did not succeed
    INTERRUPTED = 130


class CharforgeError(Exception):
    """An error the user can act on: the CLI prints str(self), then the hint.

    `retryable` errors are worth another attempt (the retry loop in providers/resilience.py asks);
    `retry_after` is the provider's own advice, in seconds, when it gave any.
    """

    exit_code: ClassVar[ExitCode] = ExitCode.ERROR
    retryable: ClassVar[bool] = False

    def __init__(self, message: str, *, hint: str = "", status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.hint = hint
        self.status = status
        self.retry_after = retry_after
        self.attempts = 1


class UsageError(CharforgeError):
    """A flag or value the user gave is not allowed, or a file they named cannot be used."""

    exit_code = ExitCode.USAGE


class ConfigError(CharforgeError):
    """Settings from config.yaml, .env or the environment are invalid."""

    exit_code = ExitCode.CONFIG


class ProviderError(CharforgeError):
    """The provider could not be reached or refused the request."""

    exit_code = ExitCode.PROVIDER


class ProviderAuthError(ProviderError):
    """The key is missing, wrong or not allowed (401/403): retrying cannot help."""


class ProviderRequestError(ProviderError):
    """The provider refused this request (400/404/422): retrying the same request cannot help."""


class ProviderTransientError(ProviderError):
    """Rate limits, overload, 5xx, timeouts, dropped connections: worth another attempt."""

    retryable = True


class GenerationError(CharforgeError):
    """The provider answered, but nothing legal could be made of the answer."""

    exit_code = ExitCode.GENERATION


class AnswerError(GenerationError):
    """An answer that is not the JSON object asked for; `text` is what came back, when the provider kept it.

    When retrying no longer helps, the service reads what it can of `text` (`service.salvage`) and fills the rest.
    """

    def __init__(self, message: str, *, text: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.text = text


class MalformedAnswerError(AnswerError):
    """The answer was not the JSON object asked for; a model often gets it right the next time."""

    retryable = True


class TruncatedAnswerError(AnswerError):
    """The answer hit the token limit; the same request would be cut off again, so ask with more room."""


class FilledAnswerError(GenerationError):
    """Under --strict: fields of the answer had to be filled from the offline generator."""

    def __init__(self, message: str, *, fields: list[str], **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.fields = fields
