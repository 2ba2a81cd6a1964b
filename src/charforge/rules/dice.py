"""Seeded randomness that is the same on every machine and Python version.

`random.Random` seeded with a str hashes it with SHA-512 (not `hash()`), so streams do not depend
on PYTHONHASHSEED. Each aspect of a character draws from its own stream, so changing how spells
are picked never changes the ability scores of the same seed.
"""

from __future__ import annotations

import random


def stream(seed: int, aspect: str) -> random.Random:
    return random.Random(f"charforge:{seed}:{aspect}")


def roll(rng: random.Random, dice: int, sides: int) -> list[int]:
    return [rng.randint(1, sides) for _ in range(dice)]


def four_d6_drop_lowest(rng: random.Random) -> int:
    return sum(sorted(roll(rng, 4, 6))[1:])


def derive(batch_seed: int, index: int) -> int:
    """Item `index` of a batch seeded `batch_seed`: stable, spread out, and independent of batch size."""
    import hashlib

    digest = hashlib.sha256(f"charforge:batch:{batch_seed}:{index}".encode()).digest()
    return int.from_bytes(digest[:4], "big")
