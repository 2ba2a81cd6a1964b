"""Which legal spells a player of the class would pick, and the settling of a provider's picks.

A player learns spells level by level, so a known caster's list is built by walking the class table:
at each class level it learns the new spells the table grants, each of a level castable then. Prepared
casters spread their preparations over their slot levels in proportion to their slots, so a level-9
cleric is not all 5th-level spells. Every draw is weighted toward the class's staples (`STAPLES`,
charforge's choice) and seeded (`dice.stream(seed, ...)`), so a seed always gives the same spells;
a few guarantees hold on top: a healer heals, a warlock has Eldritch Blast, every caster with cantrips
has a damaging one.

A wizard's spellbook is separate from its prepared spells (SRD 5.1: six 1st-level spells at 1st level,
two a level after); `spellbook()` returns it, and prepared picks come from it.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from charforge.models import Repair, SpellEntry, SpellsAnswer
from charforge.rules import dice
from charforge.rules import spells as rules
from charforge.rules.lookup import find_spell
from charforge.rules.pack import load
from charforge.rules.spell_staples import (
    DAMAGING_CANTRIPS,
    HEALERS,
    HEALING,
    SECRET_STAPLES,
    SIGNATURE_CANTRIPS,
    STAPLES,
)
from charforge.rules.spells import CANTRIPS, KNOWN, PREPARED, SECRETS, SpellGroup

# How much likelier a staple is than any other spell: the first staple of its spell level most, the rest
# less, never below STAPLE_FLOOR (charforge's choice).
STAPLE_TOP, STAPLE_STEP, STAPLE_FLOOR = 10, 2, 3
# Magical Secrets reach every class's list (hundreds of spells): what is not a staple there weighs this little.
SECRET_OTHER = 0.2
# A known caster learning a spell first picks its level: the newest castable one NEWEST of the time, the rest
# shared out with the level below it NEXT times as likely as a lower one (charforge's choice: players take the
# new level's spells, and fill in the level below).
NEWEST, NEXT = 0.7, 3


@dataclass(frozen=True)
class _Step:
    """One round of choosing: up to `room` spells of `levels` (a class level's new spells, or a level's quota);
    `pool` and `taste` replace the group's for a round of Magical Secrets (any class's spells)."""

    levels: frozenset[int]
    room: int
    newest: int = 0
    pool: tuple[str, ...] | None = None
    taste: str | None = None


def land(seed: int, class_index: str) -> str | None:
    """The land a Circle of the Land druid chose, as its option feature's index (seeded); None for the rest."""
    found = rules.lands(class_index)
    return dice.stream(seed, "circle-land").choice(found) if found else None


def always_prepared(seed: int, class_index: str, level: int) -> list[str]:
    """Spell indexes this character always has prepared (Life Domain, Oath of Devotion, its land's circle)."""
    return rules.always_prepared(class_index, level, land(seed, class_index))


def options(seed: int, class_index: str, level: int, levels: frozenset[int], *, label: str = "") -> list[str]:
    """The choices offered for a group of `levels`: the class list (a patron's expanded list included), without
    this character's always-prepared spells; for a Lore bard's Additional Magical Secrets, the other classes'
    spells (its own are legal there too, but are what its spells known are for). By level, then name."""
    found = rules.options(class_index, level, levels, land=land(seed, class_index), anywhere=label == SECRETS)
    own = rules.class_list(class_index, level)
    return [i for i in found if i not in own] if label == SECRETS else found


def choose(seed: int, class_index: str, level: int, groups: list[SpellGroup]) -> dict[str, list[str]]:
    """The spells a player would pick for each group (label -> spell indexes, best first), seeded."""
    picked: dict[str, list[str]] = {}
    for group in groups:
        picked[group.label] = pick(seed, class_index, level, group, exclude=[i for p in picked.values() for i in p])
    return picked


def pick(seed: int, class_index: str, level: int, group: SpellGroup, forced: Sequence[str] = (),
         exclude: Collection[str] = ()) -> list[str]:
    """`group.count` spells for `group`: `forced` (already chosen, legal) first, the rest drawn from what is
    not in `exclude` (the other groups' spells).

    With nothing forced this is the offline suggestion; with a provider's picks forced it is the settling
    fill, from the same stream, so an empty answer settles into exactly the suggestion.
    """
    rng = dice.stream(seed, f"spells:{group.label}")
    exclude = set(exclude)  # looked up for every spell on the list
    pool = [i for i in options(seed, class_index, level, group.levels, label=group.label) if i not in exclude]
    if group.label == PREPARED and class_index == "wizard":
        offered = set(pool)
        pool = [i for i in spellbook(seed, level, forced) if i in offered]
    steps = _steps(class_index, level, group, pool, forced, exclude)
    return _fill(rng, class_index, pool, steps, list(forced), group.count, _musts(class_index, group))


def spellbook(seed: int, level: int, prepared: Sequence[str] = ()) -> list[str]:
    """A wizard's spellbook (spell indexes, by level then name): 6 + 2 x (level - 1) spells, each learned at
    a wizard level that could cast it, holding `prepared`.

    The book is drawn once per seed; prepared spells it lacks are swapped in for its least-wanted spells.
    Any `prepared` drawn from the result gives the same book back, so the caller can rebuild the book from
    a settled character's prepared spells. A prepared spell no book could hold (too many of a high level)
    is left out.
    """
    book = list(_drawn_book(seed, level))
    keep, ceiling = set(prepared) & set(book), rules.ceilings(rules.spellbook_ladder(level))
    spells, wizard = load().spells, set(rules.candidates("wizard", frozenset(range(1, 10))))
    extras = sorted((set(prepared) & wizard) - set(book), key=lambda i: (-spells[i].level, i))
    for extra in extras:
        spares = sorted((i for i in book if i not in keep),
                        key=lambda i: (spells[i].level != spells[extra].level, _weight("wizard", i),
                                       -book.index(i)))
        out = next((i for i in spares if rules.too_high(_levels([*book, extra], drop=i), ceiling) is None), None)
        if out is not None:
            book[book.index(out)] = extra
            keep.add(extra)
    return _ordered(book)


# A pure function of the seed and the pack, which never changes in a process: one wizard's suggestion, settling and
# sheet draw the same book three times. A handful is enough (a batch never meets a seed again).
@lru_cache(maxsize=16)
def _drawn_book(seed: int, level: int) -> tuple[str, ...]:
    """The book drawn for a seed, before any prepared spells are swapped in."""
    return tuple(_fill(dice.stream(seed, "spellbook"), "wizard", rules.candidates("wizard", frozenset(range(1, 10))),
                       [_Step(frozenset(range(1, r.top + 1)), r.new, r.top) for r in rules.spellbook_ladder(level)],
                       [], rules.spellbook_size(level), []))


def spellbook_entries(seed: int, class_index: str, level: int, spells: Iterable[SpellEntry]) -> list[SpellEntry]:
    """The sheet's spellbook for a settled character: a wizard's book holding its prepared `spells` (the same
    book `settle_spells` drew them from); empty for every other class."""
    if class_index != "wizard":
        return []
    prepared = [find_spell(e.name)[0] for e in spells if e.level and not e.always_prepared]
    return entries(spellbook(seed, level, [i for i in prepared if i]))


# -- the draw -------------------------------------------------------------------------------------


def _steps(class_index: str, level: int, group: SpellGroup, pool: list[str], forced: Sequence[str],
           exclude: Collection[str]) -> list[_Step]:
    """Rounds of choosing: a known caster's class levels, a prepared caster's spell levels, or one round.

    A player spends Magical Secrets (a bard's 10th, 14th and 18th levels, a Lore bard's Additional Magical
    Secrets) on other classes' spells: those rounds draw from them, by `SECRET_STAPLES`.
    """
    secrets = _secrets_pool(class_index, level, exclude)
    if group.label == KNOWN:
        return _known_steps(class_index, level, secrets, forced)
    if group.label == SECRETS:  # a spell, not a cantrip: what a player spends a secret on
        return [_Step(group.levels - {0}, group.count, max(group.levels), secrets, SECRETS)]
    if group.label != PREPARED:
        return [_Step(group.levels, group.count)]
    spells = load().spells
    slots = load().classes[class_index].at(level).slots
    room = {k: sum(spells[i].level == k for i in {*pool, *forced}) for k in sorted(group.levels)}
    quota = _quotas(group.count, {k: slots[k - 1] for k in room}, room)
    return [_Step(frozenset({k}), n) for k, n in quota.items()]


def _quotas(count: int, weights: dict[int, int], room: dict[int, int]) -> dict[int, int]:
    """`count` split over spell levels in proportion to `weights` (largest remainder), none above its `room`;
    what a level cannot hold goes to the lowest levels that can (a player fills up on lower-level spells)."""
    total = sum(weights.values()) or 1
    shares = {k: count * w / total for k, w in weights.items()}
    quota = {k: min(int(s), room[k]) for k, s in shares.items()}
    for k in sorted(shares, key=lambda k: (int(shares[k]) - shares[k], k)):
        if sum(quota.values()) < count and quota[k] < room[k] and quota[k] <= int(shares[k]):
            quota[k] += 1
    for k in sorted(quota):
        quota[k] += min(room[k] - quota[k], count - sum(quota.values()))
    return quota


def _known_steps(class_index: str, level: int, secrets: tuple[str, ...], forced: Sequence[str]) -> list[_Step]:
    """A known caster's class levels; the levels that grant Magical Secrets draw other classes' spells, as many
    as the provider's own picks from other classes (`forced`) have not used up."""
    gates = rules.MAGICAL_SECRETS.get(class_index, ())
    own = rules.class_list(class_index, level)
    spare = rules.secrets_known(class_index, level) - sum(i not in own for i in forced)
    steps = []
    for rung in (r for r in rules.ladder(class_index, level) if r.new > 0 and r.top > 0):
        anywhere = rung.level in gates and spare >= rung.new
        spare -= rung.new if anywhere else 0
        steps.append(_Step(frozenset(range(1, rung.top + 1)), rung.new, rung.top,
                           *((secrets, SECRETS) if anywhere else ())))
    return steps


def _secrets_pool(class_index: str, level: int, exclude: Collection[str]) -> tuple[str, ...]:
    """Other classes' spells, for Magical Secrets (a bard's own list is what its other picks are for)."""
    if not rules.secrets_known(class_index, level) and not rules.additional_secrets(class_index, level):
        return ()
    own = rules.class_list(class_index, level)
    return tuple(i for i in load().spells if i not in own and i not in exclude)


def _fill(rng: random.Random, class_index: str, pool: Iterable[str], steps: list[_Step], forced: list[str],
          count: int, musts: list[frozenset[str]]) -> list[str]:
    """Walk the steps: each takes the forced spells it can hold (highest level first), then draws the rest
    of its room, never more than `count` in all. Forced spells no step could hold are kept as they are."""
    spells, pool = load().spells, list(pool)
    chosen: list[str] = []
    pending = sorted(forced, key=lambda i: -spells[i].level)
    budget = count - len(forced)
    for step in steps:
        placed = [i for i in pending if spells[i].level in step.levels][: step.room]
        pending = [i for i in pending if i not in placed]
        chosen += placed
        drawn = _draw(rng, step.taste or class_index, list(step.pool) if step.pool is not None else pool, step,
                      min(step.room - len(placed), budget), {*chosen, *pending}, musts)
        chosen += drawn
        budget -= len(drawn)
    chosen += pending
    if budget > 0:  # a step found too few spells: take any level the group allows
        levels = frozenset(level for step in steps for level in step.levels)
        chosen += _draw(rng, class_index, pool, _Step(levels, budget), budget, set(chosen), musts)
    return chosen


def _draw(rng: random.Random, taste: str, pool: list[str], step: _Step, n: int, taken: set[str],
          musts: list[frozenset[str]]) -> list[str]:
    """`n` weighted draws without replacement from the pool at the step's levels; each must-have set not yet
    met by `taken` gets its draw first, when the step offers one of it."""
    if n <= 0:  # nothing to draw (settling a full answer): skip listing the open spells, no randomness is used
        return []
    spells = load().spells
    open_ = [i for i in pool if spells[i].level in step.levels and i not in taken]
    picks: list[str] = []
    for must in musts:
        hits = [i for i in open_ if i in must]
        if len(picks) < n and hits and not must & (taken | set(picks)):
            picks.append(_one(rng, taste, hits, step.newest))
            open_.remove(picks[-1])
    while len(picks) < n and open_:
        picks.append(_one(rng, taste, open_, step.newest))
        open_.remove(picks[-1])
    return picks


def _one(rng: random.Random, taste: str, options: list[str], newest: int) -> str:
    """A spell level first (when the step spans several, favouring the newest), then a spell of it by weight:
    a spell level's share does not grow with how many spells the list has of it."""
    spells = load().spells
    levels = sorted({spells[i].level for i in options})
    if len(levels) > 1:
        lean = {k: NEXT if k == newest - 1 else 1 for k in levels if k != newest}
        lean[newest] = NEWEST / (1 - NEWEST) * sum(lean.values()) if newest in levels else 0
        level = rng.choices(levels, [lean[k] for k in levels])[0]
        options = [i for i in options if spells[i].level == level]
    return rng.choices(options, [_weight(taste, i) for i in options])[0]


@cache
def _weight(taste: str, index: str) -> float:
    """A staple's weight falls with its rank among the staples of its level (the class's, or `SECRET_STAPLES`
    for Magical Secrets); other spells weigh 1.

    A subclass's expanded spells (the Fiend's Fireball) are what a player took that patron for: staples too.
    """
    level = load().spells[index].level
    ranked = [i for i in STAPLES.get(taste, SECRET_STAPLES) if load().spells[i].level == level]
    if index in ranked:
        return max(STAPLE_FLOOR, STAPLE_TOP - STAPLE_STEP * ranked.index(index))
    if taste not in STAPLES:
        return SECRET_OTHER
    expanded = not rules.prepares(taste) and index in rules.subclass_spells(taste, 20)
    return STAPLE_FLOOR if expanded else 1


def _musts(class_index: str, group: SpellGroup) -> list[frozenset[str]]:
    """What every such character has: a warlock's Eldritch Blast, a damaging cantrip, a healer's healing."""
    if group.label == CANTRIPS:
        signature = SIGNATURE_CANTRIPS.get(class_index)
        return [*([frozenset({signature})] if signature else []), DAMAGING_CANTRIPS]
    if group.label in (KNOWN, PREPARED) and class_index in HEALERS:
        return [HEALING]
    return []


def _levels(indexes: Iterable[str], *, drop: str | None = None) -> list[int]:
    spells = load().spells
    return [spells[i].level for i in indexes if i != drop]


def _ordered(indexes: Iterable[str]) -> list[str]:
    spells = load().spells
    return sorted(indexes, key=lambda i: (spells[i].level, spells[i].name))


def entries(indexes: Iterable[str], *, always_prepared: bool = False) -> list[SpellEntry]:
    """Spell indexes as document entries, by level then name."""
    spells = load().spells
    return [SpellEntry(name=spells[i].name, level=spells[i].level, school=spells[i].school,
                       always_prepared=always_prepared) for i in _ordered(indexes)]


# -- settling a provider's picks --------------------------------------------------------------------


def settle_spells(answer: SpellsAnswer, class_index: str, groups: list[SpellGroup], seed: int, *,
                  level: int) -> tuple[list[SpellEntry], list[Repair]]:
    """The provider's legal picks, then the weighted picker's for what is missing, then the subclass's
    always-prepared spells. Never fails: every change is a `Repair`.

    A pick is kept when a group `accepts` it: see there. The fill draws from what no group holds yet.
    """
    spells = load().spells
    fixed = always_prepared(seed, class_index, level)
    repairs: list[Repair] = []
    chosen: dict[str, list[str]] = {g.label: [] for g in groups}
    for name in [*answer.cantrips, *answer.spells]:
        index = _read(name, repairs)
        if index is None or any(index in c for c in chosen.values()):
            continue
        if index in fixed:
            repairs.append(Repair(field="spells", problem=f"{spells[index].name!r} is always prepared (subclass)",
                                  action="kept, not counted"))
            continue
        group = place(class_index, level, groups, chosen, index)
        if group is not None:
            chosen[group.label].append(index)
        elif not any(index in rules.options(class_index, level, g.levels, anywhere=g.label == SECRETS)
                     for g in groups):
            repairs.append(Repair(field="spells", problem=f"{spells[index].name!r} is not on the {class_index} "
                                  "list", action="dropped"))
        else:
            repairs.append(Repair(field="spells", problem=f"{spells[index].name!r} (level {spells[index].level}) "
                                  "is beyond what the character can know or cast at this level", action="dropped"))
    picked: list[str] = []
    for group in groups:
        others = [i for g in groups if g.label != group.label for i in chosen[g.label]] + picked
        full = pick(seed, class_index, level, group, chosen[group.label], exclude=others)
        repairs += [Repair(field="spells", problem=f"too few {group.label}", action=f"added {spells[i].name!r}")
                    for i in full if i not in chosen[group.label]]
        picked += full
    return entries(picked) + entries(fixed, always_prepared=True), repairs


def place(class_index: str, level: int, groups: list[SpellGroup], taken: dict[str, list[str]], index: str, *,
          learnable: bool = True) -> SpellGroup | None:
    """The group spell `index` goes in (None when none `accepts` it), given what each already holds (`taken`, by
    label). Another class's spell tries Additional Magical Secrets first, where only such spells go."""
    off_list = index not in rules.class_list(class_index, level)
    ordered = sorted(groups, key=lambda g: off_list and g.label != SECRETS)
    return next((g for g in ordered if accepts(class_index, level, g, taken[g.label], index, learnable=learnable)),
                None)


def accepts(class_index: str, level: int, group: SpellGroup, taken: list[str], index: str, *,
            learnable: bool = True) -> bool:
    """Whether `group`, already holding `taken`, may take spell `index`: of one of its levels, with room left, on
    the character's list (the class's with a patron's expanded spells; any class's for Additional Magical
    Secrets, and for as many spells known as a bard's Magical Secrets allow), and, with `learnable`,
    learnable by this level with the rest (`ceiling_for`)."""
    if load().spells[index].level not in group.levels or len(taken) >= group.count:
        return False
    own = rules.class_list(class_index, level)
    secrets_left = rules.secrets_known(class_index, level) - sum(i not in own for i in taken)
    if index not in own and not (group.label == SECRETS or (group.label == KNOWN and secrets_left > 0)):
        return False
    ceiling = ceiling_for(class_index, level, group) if learnable else None
    return ceiling is None or rules.too_high(_levels([*taken, index]), ceiling) is None


def _read(name: str, repairs: list[Repair]) -> str | None:
    """The spell index a provider meant, or None (with the repair saying why)."""
    index, near = find_spell(name)
    if index is None:
        repairs.append(Repair(field="spells", problem=f"{name!r} is not an SRD spell", action="dropped"))
    elif near:
        repairs.append(Repair(field="spells", problem=f"{name!r} is misspelt",
                              action=f"read as {load().spells[index].name!r}"))
    return index


def ceiling_for(class_index: str, level: int, group: SpellGroup) -> dict[int, int] | None:
    """The learning ceilings a group's spells must respect: a known caster's (swaps allowed), a wizard's
    spellbook's; None where any castable spell may be chosen (cantrips, a cleric's preparations, arcana)."""
    found = _ceiling(class_index, level, group.label)
    return dict(found) if found is not None else None  # a copy: the cached one is shared


@cache  # a pure function of the pack, which never changes in a process; `accepts` asks it for every spell placed
def _ceiling(class_index: str, level: int, label: str) -> dict[int, int] | None:
    if label == KNOWN:
        return rules.ceilings(rules.ladder(class_index, level), swaps=True)
    if label == PREPARED and class_index == "wizard":
        return rules.ceilings(rules.spellbook_ladder(level))
    return None
