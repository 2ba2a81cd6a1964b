"""Turn a provider's answer into something legal and faithful to what the user asked for.

Pure functions: each returns the settled value and the `Repair`s it made, and never fails. Rules
problems (spells, gear) are settled by `rules.legality`; this module adds what is about the
request: fields the user gave, the length preset, an alignment that exists, a name nobody in the
batch or setting has.
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection

from charforge.models import (
    STORY_LISTS,
    STORY_SECTIONS,
    Background,
    BackgroundAnswer,
    Equipment,
    EquipmentAnswer,
    EquipmentItem,
    Repair,
    SpellList,
    SpellsAnswer,
)
from charforge.naming import make_name
from charforge.rules import equipment as gear
from charforge.rules import identity, legality, loadout, stats
from charforge.rules.lookup import find_item
from charforge.rules.pack import load
from charforge.service.planning import Plan

# Most sentences per story section and items per list, by length preset (charforge's choice).
SENTENCES = {"quick": 3, "standard": 6, "full": 12}
LIST_ITEMS = {"quick": 2, "standard": 3, "full": 5}


def story(plan: Plan, answer: BackgroundAnswer, taken: Collection[str]) -> tuple[BackgroundAnswer, list[Repair]]:
    repairs: list[Repair] = []
    spec = plan.spec
    for key, wanted in {"name": spec.name, "alignment": plan.alignment, "concept": spec.concept}.items():
        if wanted is not None and getattr(answer, key) != wanted:
            repairs.append(Repair(field=key, problem=f"the provider changed the given {key}",
                                  action=f"restored {wanted!r}"))
            answer = answer.model_copy(update={key: wanted})
    if answer.alignment not in identity.ALIGNMENTS:
        guess = identity.ALIGNMENT_ALIASES.get(identity.slug(answer.alignment), identity.slug(answer.alignment))
        fixed = guess if guess in identity.ALIGNMENTS else "neutral"
        repairs.append(Repair(field="alignment", problem=f"{answer.alignment!r} is not an alignment index",
                              action=f"set to {fixed!r}"))
        answer = answer.model_copy(update={"alignment": fixed})
    if spec.name is None and (not answer.name.strip() or answer.name in taken):
        people = _people(plan)
        own = plan.canon.names.get(people) if plan.canon else None  # a setting's own names, as offline uses
        given, family = make_name(random.Random(f"charforge:{plan.seed}:rename"), people, taken, table=own)
        repairs.append(Repair(field="name", problem=f"{answer.name!r} is already taken in this batch or setting",
                              action=f"renamed {given} {family}"))
        answer = answer.model_copy(update={"name": f"{given} {family}"})
    background, trims = _trim(answer.background, spec.length)
    return answer.model_copy(update={"background": background}), repairs + trims


def _trim(background: Background, length: str) -> tuple[Background, list[Repair]]:
    repairs: list[Repair] = []
    update: dict[str, object] = {}
    for key in STORY_SECTIONS:
        sentences = re.split(r"(?<=[.!?])\s+", getattr(background, key).strip())
        if len(sentences) > SENTENCES[length]:
            update[key] = " ".join(sentences[: SENTENCES[length]])
            repairs.append(Repair(field=f"background.{key}", problem=f"{len(sentences)} sentences for "
                                  f"length {length!r}", action=f"kept the first {SENTENCES[length]}"))
    for key in STORY_LISTS:
        items = getattr(background, key)
        if len(items) > LIST_ITEMS[length]:
            update[key] = items[: LIST_ITEMS[length]]
            repairs.append(Repair(field=f"background.{key}", problem=f"{len(items)} items for length {length!r}",
                                  action=f"kept the first {LIST_ITEMS[length]}"))
    return background.model_copy(update=update), repairs


def equipment(plan: Plan, answer: EquipmentAnswer) -> tuple[Equipment, list[Repair]]:
    items = load().equipment
    bought, repairs = legality.settle_purchases(answer, plan.shop, plan.budget, wearer=plan.wearer, kit=plan.kit)
    kept = loadout.kept_kit(plan.kit, [find_item(line.name)[0] for line in bought], plan.wearer)
    kit = [EquipmentItem(name=items[i].name, quantity=q, source="kit", cost_gp=gear.line_cost(i, q))
           for i, q in kept]
    trinkets = answer.trinkets[: LIST_ITEMS[plan.spec.length]]
    return Equipment(equipment=kit + bought, trinkets=trinkets, budget_gp=plan.budget,
                     total_cost_gp=round(sum(line.cost_gp for line in bought), 2)), repairs


def spells(plan: Plan, answer: SpellsAnswer) -> tuple[SpellList, list[Repair]]:
    casting = stats.spellcasting(load().classes[plan.class_index], plan.spec.level, plan.abilities)
    if not plan.groups:
        extra = [*answer.cantrips, *answer.spells]
        repairs = [Repair(field="spells", problem=f"{len(extra)} spells for a character with none at this level",
                          action="dropped")] if extra else []
        return SpellList(spells=[], spellcasting=casting), repairs
    chosen, repairs = legality.settle_spells(answer, plan.class_index, plan.groups, plan.seed, level=plan.spec.level)
    return SpellList(spells=chosen, spellcasting=casting), repairs


# Actions that are not worth a repair round: a near miss read as what it meant, a long story trimmed, the
# usable part of an answer kept, an unknown key ignored (see `service.salvage` for the last three).
MINOR_ACTIONS = ("read as", "kept", "ignored")


def serious(repairs: list[Repair]) -> list[Repair]:
    """Repairs worth sending back to the model; reading a near miss as the real name is not one."""
    return [r for r in repairs if not r.action.startswith(MINOR_ACTIONS)]


def _people(plan: Plan) -> str:
    race = load().races[plan.ancestry]
    return race.parent or plan.ancestry
