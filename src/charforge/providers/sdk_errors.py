"""Turn an official SDK's exception into a charforge error, classified by type before status.

Both SDKs (anthropic, openai) share the same shape: APITimeoutError < APIConnectionError <
APIError, and APIStatusError carrying `status_code`, `response.headers` and `body`. Reading those
attributes (not importing the SDKs) keeps this module free of heavy imports. Messages name the
provider and the URL, never the key; everything passes through `redact` anyway.
"""

from __future__ import annotations

from typing import Any

from charforge.errors import ProviderAuthError, ProviderError, ProviderRequestError, ProviderTransientError
from charforge.providers.resilience import retry_after
from charforge.redact import redact

RETRY_STATUSES = {408, 409, 429}


def _error_type(body: Any) -> str:
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            return str(inner.get("type") or inner.get("code") or "")
    return ""


def _api_message(exc: Exception) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return redact(str(message))[:300]


def translate(exc: Exception, *, provider: str, base_url: str, key_env: str | None) -> ProviderError:
    kind = type(exc).__name__
    status = getattr(exc, "status_code", None)
    if status is None:
        if "Timeout" in kind:
            return ProviderTransientError(f"{provider} did not answer in time ({base_url})",
                                          hint="raise --timeout, or check the server's load")
        error = ProviderTransientError(f"cannot connect to {provider} at {base_url}",
                                       hint="check the URL (--base-url) and that the server is running")
        error.unreachable = True  # retried only while the request timeout lasts (see HostedProvider.failure)
        return error
    response = getattr(exc, "response", None)
    headers = dict(getattr(response, "headers", {}) or {})
    error_type = _error_type(getattr(exc, "body", None))
    if status in (401, 403):
        where = f"set {key_env} or run 'charforge keys set {provider}'" if key_env else "check the server's auth"
        return ProviderAuthError(f"{provider} rejected the API key ({status} {error_type or 'unauthorized'})",
                                 hint=f"use a valid key: {where}", status=status)
    if status in RETRY_STATUSES or status >= 500 or error_type == "overloaded_error":
        label = "rate limited" if status == 429 else "overloaded" if error_type == "overloaded_error" else "unavailable"
        return ProviderTransientError(f"{provider} is {label} ({status})", status=status,
                                      retry_after=retry_after(headers),
                                      hint="wait and try again, or lower the rate in config (rpm/tpm)")
    if status == 404:
        return ProviderRequestError(f"{provider}: not found (404): {_api_message(exc)}", status=status,
                                    hint="check --model and --base-url ('charforge check' lists what is available)")
    return ProviderRequestError(f"{provider} refused the request ({status}): {_api_message(exc)}", status=status,
                                hint="check --model and the provider's documentation for this error")
