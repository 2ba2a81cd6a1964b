"""Everything about a character that comes before prose: who it is and what the rules allow.

`plan()` resolves what the user left out from seeded streams and computes abilities, spell choices,
the class kit, the budget and the shop. `brief()` turns a plan into what a provider is given.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from charforge.models import (
    ANSWER_MODELS,
    Abilities,
    Brief,
    CharacterSpec,
    ItemPick,
    Repair,
    SettingCanon,
    ShopItem,
    SpellChoice,
    UsageTotals,
    answer_schema,
)
from charforge.rules import equipment as gear
from charforge.rules import identity, loadout, spell_picks, spells, stats
from charforge.rules.pack import load
from charforge.rules.stats import AbilityMethod
from charforge.service.canon import load_canon

log = logging.getLogger(__name__)


@dataclass
class Plan:
    """A character's facts before any prose: resolved identity, numbers and legal options."""

    spec: CharacterSpec
    seed: int
    class_index: str
    ancestry: str
    alignment: str | None
    abilities: Abilities
    groups: list[spells.SpellGroup]
    kit: list[tuple[str, int]]
    budget: float
    shop: list[str]
    canon: SettingCanon | None = None
    repairs: list[Repair] = field(default_factory=list)
    usage: UsageTotals = field(default_factory=UsageTotals)  # the provider calls made for it

    @property
    def wearer(self) -> loadout.Wearer:
        """Who carries the gear, for the kit, the shopping plan and settling purchases."""
        return loadout.Wearer(self.class_index, self.ancestry, self.abilities, self.spec.level)


def plan(spec: CharacterSpec, method: AbilityMethod = "4d6") -> Plan:
    """Resolve what the user left out (seeded) and compute everything the rules allow."""
    seed = spec.seed if spec.seed is not None else secrets.randbelow(2**32)
    canon = load_canon(spec.setting)
    class_index = identity.class_index(spec.class_name, seed)
    ancestry = identity.ancestry_index(spec.ancestry, seed, canon.ancestry_weights if canon else None)
    abilities = stats.ability_scores(seed, class_index, load().races[ancestry], spec.level, method)
    budget = gear.budget_gp(seed, class_index, spec.level)
    log.info("planned %s level %d %s, seed %d, budget %g gp", class_index, spec.level, ancestry, seed, budget)
    return Plan(
        spec=spec, seed=seed, class_index=class_index, ancestry=ancestry,
        alignment=identity.alignment_index(spec.alignment), abilities=abilities,
        groups=spells.spell_groups(class_index, spec.level, abilities),
        kit=gear.starting_kit(seed, class_index, ancestry, abilities, level=spec.level), budget=budget,
        shop=gear.shop(class_index, ancestry, budget, level=spec.level), canon=canon,
    )


def brief(plan: Plan, *, taken_names: list[str], style: str = "painted") -> Brief:
    """What a provider may use: the character so far and every legal option, spelled out."""
    pack = load()
    race, klass, spec = pack.races[plan.ancestry], pack.classes[plan.class_index], plan.spec
    purchases = loadout.shopping_plan(plan.wearer, plan.kit, plan.budget, plan.shop)
    return Brief(
        seed=plan.seed, name=spec.name, ancestry=plan.ancestry, ancestry_name=race.name,
        people=race.parent or plan.ancestry, class_name=plan.class_index, class_title=klass.name,
        level=spec.level, alignment=plan.alignment, origin=spec.background, concept=spec.concept,
        setting=plan.canon.name if plan.canon else spec.setting, canon=plan.canon, length=spec.length,
        abilities=plan.abilities,
        kit=[f"{q} x {pack.equipment[i].name}" for i, q in plan.kit], budget_gp=plan.budget,
        shop=[_shop_item(i) for i in gear.shortlist(plan.shop, plan.kit, first=[i for i, _ in purchases])],
        suggested_purchases=[ItemPick(name=pack.equipment[i].name, quantity=q) for i, q in purchases],
        spell_choices=_spell_choices(plan),
        taken_names=taken_names, style=style,
    )


def _spell_choices(plan: Plan) -> list[SpellChoice]:
    """Each group's legal options and the picks a player would make (which the offline provider takes)."""
    names = _spell_names()
    level, seed = plan.spec.level, plan.seed
    suggested = spell_picks.choose(seed, plan.class_index, level, plan.groups)
    return [SpellChoice(label=g.label, count=g.count, suggested=[names[i] for i in suggested[g.label]],
                        options=[names[i] for i in spell_picks.options(seed, plan.class_index, level, g.levels,
                                                                         label=g.label)])
            for g in plan.groups]


# A pure function of the pack, which never changes in a process; briefs are frozen and only read, so they share
# these (a brief lists some 60).
@cache
def _shop_item(index: str) -> ShopItem:
    item = load().equipment[index]
    return ShopItem(name=item.name, price_gp=item.cost_gp, category=item.category)


@cache  # a pure function of the pack, which never changes in a process
def _spell_names() -> dict[str, str]:
    """Spell index -> name (read only: shared by every brief)."""
    return {i: s.name for i, s in load().spells.items()}


def sample_context(kind: str) -> dict[str, Any]:
    """A real brief (a level-5 wizard, seed 1) to render templates against: `prompts validate` and `check`."""
    import json

    plan_ = plan(CharacterSpec(class_name="wizard", level=5, seed=1, concept="sample concept"))
    schema = answer_schema(ANSWER_MODELS.get(kind, ANSWER_MODELS["npc"]))  # type: ignore[call-overload]
    return {**brief(plan_, taken_names=["Sample Name"]).model_dump(), "kind": kind, "schema_json": json.dumps(schema)}
