"""Who the character is, before any prose: class, ancestry and alignment, checked or chosen by seed."""

from __future__ import annotations

import re

from charforge.errors import UsageError
from charforge.rules import dice
from charforge.rules.pack import load

ALIGNMENTS = {
    "lawful-good": "Lawful Good", "neutral-good": "Neutral Good", "chaotic-good": "Chaotic Good",
    "lawful-neutral": "Lawful Neutral", "neutral": "Neutral", "chaotic-neutral": "Chaotic Neutral",
    "lawful-evil": "Lawful Evil", "neutral-evil": "Neutral Evil", "chaotic-evil": "Chaotic Evil",
}
ALIGNMENT_ALIASES = {"lg": "lawful-good", "ng": "neutral-good", "cg": "chaotic-good", "ln": "lawful-neutral",
                      "n": "neutral", "tn": "neutral", "true-neutral": "neutral", "neutral-neutral": "neutral",
                      "cn": "chaotic-neutral", "le": "lawful-evil", "ne": "neutral-evil", "ce": "chaotic-evil"}
# charforge's choice: how often each people turns up when the user does not say.
ANCESTRY_WEIGHTS = {"human": 6, "dwarf": 3, "elf": 3, "halfling": 3, "gnome": 2, "half-elf": 2, "half-orc": 2,
                    "dragonborn": 1, "tiefling": 1}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.strip().lower()).strip("-")


def class_index(value: str | None, seed: int) -> str:
    classes = load().classes
    if value is None:
        return dice.stream(seed, "class").choice(sorted(classes))
    if slug(value) in classes:
        return slug(value)
    raise UsageError(f"unknown class {value!r}", hint=f"choose one of: {', '.join(sorted(classes))}")


def ancestry_index(value: str | None, seed: int, weights: dict[str, float] | None = None) -> str:
    """The given ancestry, checked; else one drawn by `weights` (a setting's) or charforge's own."""
    races = load().races
    if value is None:
        rng = dice.stream(seed, "ancestry")
        table = weights or ANCESTRY_WEIGHTS
        base = rng.choices(list(table), list(table.values()))[0]
        return rng.choice(races[base].subraces) if races[base].subraces else base
    if slug(value) in races:
        return slug(value)
    raise UsageError(f"unknown ancestry {value!r}", hint=f"choose one of: {', '.join(sorted(races))}")


def alignment_index(value: str | None) -> str | None:
    if value is None:
        return None
    key = slug(value)
    key = ALIGNMENT_ALIASES.get(key, key)
    if key in ALIGNMENTS:
        return key
    raise UsageError(f"unknown alignment {value!r}",
                     hint=f"choose one of: {', '.join(ALIGNMENTS)} (or LG, NG, CG, LN, N, CN, LE, NE, CE)")
