"""Pydantic's first validation error as one line: every boundary reports a bad value the same way."""

from __future__ import annotations

from pydantic import ValidationError


def first_location(exc: ValidationError) -> str:
    """The dotted path of the first error ('' for the top level)."""
    errors = exc.errors()
    return ".".join(str(p) for p in errors[0]["loc"]) if errors else ""


def first_message(exc: ValidationError) -> str:
    """The first error's message; an unknown key says so plainly."""
    errors = exc.errors()
    if not errors:
        return str(exc)
    return "unknown key" if errors[0]["type"] == "extra_forbidden" else errors[0]["msg"]


def first_error(exc: ValidationError, *, top: str = "top level") -> str:
    """'where: what' for the first error, e.g. 'background.hooks: Field required'."""
    return f"{first_location(exc) or top}: {first_message(exc)}"
