"""Token-bucket arithmetic shared by the in-process limiter (`providers.resilience`) and the one every worker
process shares (`store.limits`): how big a bucket is, and how a server's own count lowers it."""

from __future__ import annotations


def burst(per_minute: float) -> float:
    """A bucket's capacity: two seconds' worth of its rate, and at least one.

    A bucket holding a full minute would let a fresh client fire 300 requests at once at a 300 rpm server
    that counts over short windows (10 per 2 s) and rejects most of them with 429s. Two seconds' worth keeps
    the bursts as well as the average within such a limit. A request larger than the token capacity waits for
    a full bucket and then leaves it in debt, so the average never exceeds the limit either.
    """
    return max(1.0, per_minute / 30)


def at_most(level: float | None, left: float | None, per_minute: float | None) -> float | None:
    """A bucket's level lowered to what the server says is left (a bucket not seen yet starts full): requests
    sent before the limit was known count against it too."""
    if left is None or not per_minute:
        return level
    return min(burst(per_minute) if level is None else level, left)
