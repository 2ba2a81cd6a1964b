"""Every error a user can cause, with the exit code scripts rely on and a hint naming the fix.

The CLI prints `error: <message>` and `hint: <hint>` on stderr and exits with `exit_code`.
Exit codes are public: changing one breaks somebody's cron job.
"""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # a bug: unexpected exception
    USAGE = 2  # bad flag, bad value, unreadable or unwritable file
    CONFIG = 3  # config.yaml or .env is wrong, a key is missing
    PROVIDER = 4  # the provider failed: auth, network, rate limit after retries
    GENERATION = 5  # the answer could not be turned into a legal character
    INTERRUPTED = 130


class CharforgeError(Exception):
    """An error the user can act on: the CLI prints str(self), then the hint."""

    exit_code: ClassVar[ExitCode] = ExitCode.ERROR

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


class UsageError(CharforgeError):
    """A flag or value the user gave is not allowed, or a file they named cannot be used."""

    exit_code = ExitCode.USAGE


class ConfigError(CharforgeError):
    """Settings from config.yaml, .env or the environment are invalid."""

    exit_code = ExitCode.CONFIG


class ProviderError(CharforgeError):
    """The provider could not be reached or refused the request."""

    exit_code = ExitCode.PROVIDER


class GenerationError(CharforgeError):
    """The provider answered, but nothing legal could be made of the answer."""

    exit_code = ExitCode.GENERATION
