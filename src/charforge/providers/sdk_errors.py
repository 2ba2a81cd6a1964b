"""Turn an official SDK's exception into a charforge error, classified by type before status.

Both SDKs (anthropic, openai) share the same shape: APITimeoutError < APIConnectionError <
APIError, and APIStatusError carrying `status_code`, `response.headers` and `body`. Reading those
attributes (not importing the SDKs) keeps this module free of heavy imports. Messages name the
provider and the URL, never the key; everything passes through `redact` anyway.

Each class of failure gets the hint that fits it: a 500 is the server's failure, not a rate limit; a
refused connection to a local server asks whether it is running; 401/403 name the key's variable; 404
says the model or the URL is wrong; 429 says to lower the rate. Image providers without an SDK
(`images/stability.py`, `images/sdwebui.py`) use `connection_hint` and `broken_body` from here too.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from charforge.errors import ProviderAuthError, ProviderError, ProviderRequestError, ProviderTransientError
from charforge.providers.resilience import retry_after
from charforge.redact import redact

RETRY_STATUSES = {408, 409, 429}
# What reading a 2xx body raises when it is cut off, not JSON, or JSON of the wrong shape: the SDKs' parse()
# raises json.JSONDecodeError (a ValueError) for the first two, and for the third returns an object whose
# fields are None or plain values, so reading it fails with TypeError, AttributeError, KeyError or IndexError.
BROKEN_BODY = (ValueError, TypeError, AttributeError, KeyError, IndexError)
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "host.docker.internal"}
# Statuses that mean something else whatever the body says (auth, wrong URL or model, timeouts, rate limits).
_NOT_A_MODE_PROBLEM = {401, 403, 404, 408, 429}
_NAMES_STRUCTURED_OUTPUT = re.compile(
    r"response_format|json[ _-]?schema|guided[ _]json|guided decoding|structured[ _]outputs?", re.IGNORECASE)
_FIELD = r"(?:field|param|parameter|argument|key|property|option|type)s?"
_REFUSED = r"(?:unsupported|not supported|unknown|unrecognized|not recognized|not permitted|not allowed|invalid)"
_SAYS_UNSUPPORTED = re.compile(rf"\b{_REFUSED}\b.{{0,60}}\b{_FIELD}\b|\b{_FIELD}\b.{{0,60}}\b{_REFUSED}\b",
                               re.IGNORECASE | re.DOTALL)


def _error_type(body: Any) -> str:
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            return str(inner.get("type") or inner.get("code") or "")
    return ""


def api_message(exc: Exception) -> str:
    """The server's own words, without the SDK's "Error code: 500 - " prefix (the status is said already)."""
    message = getattr(exc, "message", None) or str(exc)
    return redact(re.sub(r"^Error code: \d+ - ", "", str(message)))[:300]


def is_local(base_url: str) -> bool:
    """Whether `base_url` points at this machine (a local server the user starts themselves)."""
    host = (urlsplit(base_url).hostname or "").lower()
    return host in LOCAL_HOSTS or host.startswith("127.") or host.endswith(".localhost")


def connection_hint(base_url: str, *, probe: str | None = None) -> str:
    """What to do about a refused or dropped connection: a local server may not be running.

    Args:
        probe: the URL to try with curl (default: the OpenAI-style model listing under `base_url`).
    """
    if probe is None:
        base = base_url.rstrip("/")
        probe = f"{base}/models" if base.endswith("/v1") else f"{base}/v1/models"
    if is_local(base_url):
        return f"is the server running? try `curl {probe}`; or point --base-url at it"
    return f"check the network and the URL (--base-url); `curl {probe}` shows whether it answers"


def broken_body(exc: BaseException, *, provider: str, base_url: str, status: int | None = None,
                ) -> ProviderTransientError:
    """A 2xx answer whose body could not be read (cut off by a proxy, not JSON, JSON of the wrong shape).

    Transient: the same request usually succeeds the next time, so the retry loop tries again.
    """
    detail = redact(str(exc).splitlines()[0] if str(exc) else "")[:160]
    what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    answered = f"answered {status}" if status else "answered"
    return ProviderTransientError(
        f"{provider} {answered} with a body charforge could not read ({what})", status=status,
        hint=f"the answer from {base_url} was cut off or garbled on its way (the server or a proxy); "
             "try again, and check the server's log if it keeps happening")


def rejects_structured_output(exc: Exception) -> bool:
    """Whether an HTTP error says the server does not take the structured-output request it was sent.

    Any 4xx or 5xx counts (servers disagree: llama.cpp answered a bad `response_format` with a 500 before it
    used 400, and says 501 `not_supported_error` for what it lacks; FastAPI servers say 422), except statuses
    that mean something else (401/403/404/408/429), when its body or message names `response_format`,
    `json_schema` or guided decoding, or says a field or parameter is unsupported or unknown.
    """
    status = getattr(exc, "status_code", None)
    if not isinstance(status, int) or status < 400 or status in _NOT_A_MODE_PROBLEM:
        return False
    body = getattr(exc, "body", None)
    if _error_type(body) in ("not_supported_error", "unsupported_parameter", "unsupported_value"):
        return True
    try:
        text = json.dumps(body) if body is not None else ""
    except (TypeError, ValueError):
        text = str(body)
    text = f"{text} {getattr(exc, 'message', '') or exc}"
    return bool(_NAMES_STRUCTURED_OUTPUT.search(text) or _SAYS_UNSUPPORTED.search(text))


def translate(exc: Exception, *, provider: str, base_url: str, key_env: str | None) -> ProviderError:
    kind = type(exc).__name__
    status = getattr(exc, "status_code", None)
    if status is None:
        if "Timeout" in kind:
            return ProviderTransientError(f"{provider} did not answer in time ({base_url})",
                                          hint="raise --timeout, or check the server's load")
        error = ProviderTransientError(f"cannot connect to {provider} at {base_url}", hint=connection_hint(base_url))
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
        label, hint = _transient(status, error_type, provider, base_url)
        return ProviderTransientError(f"{provider} {label} ({status}): {api_message(exc)}", status=status,
                                      retry_after=retry_after(headers), hint=hint)
    if status == 404:
        return ProviderRequestError(f"{provider}: not found (404): {api_message(exc)}", status=status,
                                    hint=f"the model or the URL is wrong: check --model and --base-url "
                                         f"('charforge check --provider {provider}' lists the models it has)")
    return ProviderRequestError(f"{provider} refused the request ({status}): {api_message(exc)}", status=status,
                                hint="check --model and the provider's documentation for this error")


def _transient(status: int, error_type: str, provider: str, base_url: str) -> tuple[str, str]:
    """(what happened, what to do) for an error worth retrying."""
    if status == 429:
        return "is rate limited", f"wait a minute, or lower the rate: set rpm/tpm under '{provider}:' in config.yaml"
    if error_type == "overloaded_error" or status == 529:
        return "is overloaded", "the provider is busy; wait a few minutes and try again"
    if status == 408:
        return "timed out on its side", "try again; a long answer may need a faster model or a higher --timeout"
    if status == 409:
        return "reported a conflict", "try again"
    where = "check the server's log" if is_local(base_url) else "check the provider's status page"
    return "failed", f"the server at {base_url} failed; try again later, and {where} if it keeps happening"
