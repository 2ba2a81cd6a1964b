"""Pydantic models at every boundary: what the user asks for, what a provider answers, what we print.

`Character` and the command documents are the `--format json` contract (`SCHEMA_VERSION`): add
fields, never rename or drop one. Provider answers (`*Answer`) are what a model may choose; code
turns them into documents after validating them against the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SkipValidation, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from charforge import inputs
from charforge.errors import UsageError
from charforge.validation import first_location

SCHEMA_VERSION = "1.1"  # 1.1 added the whole sheet (SheetDetail); see docs/json-contract.md
RULES_EDITION = "srd-5.1"

Length = Literal["quick", "standard", "full"]
Kind = Literal["background", "equipment", "spells", "portrait", "npc"]
KINDS: tuple[Kind, ...] = ("background", "equipment", "spells", "portrait", "npc")
AbilityName = Literal["str", "dex", "con", "int", "wis", "cha"]
ABILITY_NAMES: tuple[AbilityName, ...] = ("str", "dex", "con", "int", "wis", "cha")


class _Model(BaseModel):
    """Strict by default: an unknown key is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True,
                              serialize_by_alias=True, json_schema_serialization_defaults_required=True)


class CharacterSpec(_Model):
    """What the user asked for. Anything left out is chosen by the generator, seeded."""

    model_config = ConfigDict(frozen=True)

    name: str | None = Field(None, description="The name asked for (--name); null to have one invented.")
    ancestry: str | None = Field(None, description="SRD race or subrace index asked for (--ancestry); null for a "
                                 "seeded choice.")
    class_name: str | None = Field(None, alias="class", description="SRD class index asked for (--class); null for "
                                   "a seeded choice.")
    level: int = Field(1, ge=1, le=20, description="Character level asked for (--level), 1-20.")
    alignment: str | None = Field(None, description="Alignment asked for (--alignment), as given; null to let the "
                                  "story choose.")
    background: str | None = Field(None, description="Background asked for (--background), e.g. 'acolyte' or "
                                   "'river pilot'; null to let the story choose.")
    concept: str | None = Field(None, description="One-line concept asked for (--concept); null to let the story "
                                "choose.")
    setting: str | None = Field(None, description="Setting asked for (--setting): a few words or a setting file's "
                                "path; null for none.")
    length: Length = Field("standard", description="How much story to write (--length): 'quick', 'standard' or "
                           "'full'.")
    seed: int | None = Field(None, ge=0, lt=2**63, description="Seed asked for (--seed); in `provenance.spec` the "
                             "seed actually used, so `npc --replay` makes the same character.")

    @field_validator("name", "ancestry", "class_name", "alignment", "background", "concept", "setting")
    @classmethod
    def _input_policy(cls, value: str | None, info: Any) -> str | None:
        """Every free-text field keeps `inputs`' policy: UTF-8, no control characters, not empty, bounded."""
        if value is None:
            return None
        if info.field_name == "setting":
            from pathlib import PurePath

            limit = inputs.PATH_MAX if PurePath(value).suffix.lower() in (".yaml", ".yml") else inputs.SETTING_MAX
        else:
            limit = _TEXT_LIMITS.get(info.field_name, inputs.NAME_MAX)
        if reason := inputs.problem(value, limit):
            raise PydanticCustomError("input_policy", reason)
        return value

    @classmethod
    def from_flags(cls, **fields: object) -> CharacterSpec:
        """Build from command-line values; a bad value becomes one line naming the flag."""
        try:
            return cls.model_validate({k: v for k, v in fields.items() if v is not None})
        except ValidationError as exc:
            err = exc.errors()[0]
            flag = "--" + first_location(exc).replace("_name", "").replace("_", "-")
            if err["type"] == "input_policy":  # the value may be huge or unprintable: never echo it
                raise UsageError(f"{flag}: {err['msg']}", hint=inputs.HINT) from None
            raise UsageError(f"{flag}: {err['msg']} (got {inputs.printable(str(err.get('input')))!r})",
                             hint="see --help for the allowed values") from None


_TEXT_LIMITS = {"name": inputs.NAME_MAX, "concept": inputs.CONCEPT_MAX, "background": inputs.BACKGROUND_MAX}


class CanonPerson(_Model):
    name: str
    role: str = ""
    notes: str = ""


class NameTable(_Model):
    """A setting's own names for one people: whole given names, or prefix + suffix compounds, and family names."""

    given: list[str] = Field(default_factory=list)
    prefixes: list[str] = Field(default_factory=list)
    suffixes: list[str] = Field(default_factory=list)
    family: list[str] = Field(default_factory=list)


class SettingCanon(_Model):
    """A setting file (`--setting town.yaml`): facts the story must not contradict."""

    name: str = Field(description="The setting's name; generations in it share one name registry.")
    place: str = ""
    era: str = ""
    tone: str = ""
    description: str = ""
    places: list[str] = Field(default_factory=list)
    factions: list[str] = Field(default_factory=list)
    ancestry_weights: dict[str, float] = Field(default_factory=dict, description="SRD race index -> weight.")
    naming: str = Field("", description="Naming style, e.g. 'Norse-flavoured, with patronymics'.")
    npcs: list[CanonPerson] = Field(default_factory=list, description="People who already exist there.")
    names: dict[str, NameTable] = Field(default_factory=dict, description="Base SRD race (e.g. 'dwarf') -> the "
                                        "setting's own names; the offline generator draws only from these for it.")
    fragments: dict[str, list[str]] = Field(default_factory=dict, description="Offline story table name "
                                            "(e.g. 'early_life', 'hooks') -> extra fragments for this setting.")

    @field_validator("ancestry_weights")
    @classmethod
    def _usable_weights(cls, weights: dict[str, float]) -> dict[str, float]:
        """Weights are relative chances: none negative or NaN, and at least one above zero."""
        if bad := next((k for k, w in weights.items() if not 0 <= w < float("inf")), None):
            raise PydanticCustomError("weights", "{key}: a weight must be a number >= 0 (got {w})",
                                      {"key": bad, "w": weights[bad]})
        if weights and not sum(weights.values()) > 0:
            raise PydanticCustomError("weights", "at least one weight must be greater than 0")
        return weights

    @property
    def key(self) -> str:
        return self.name.strip().lower()


_ABILITY_FIELDS = {"str": "str_", "dex": "dex", "con": "con", "int": "int_", "wis": "wis", "cha": "cha"}


class Abilities(_Model):
    str_: int = Field(alias="str", ge=1, le=30, description="Strength score, 1-30; modifier = (score - 10) // 2.")
    dex: int = Field(ge=1, le=30, description="Dexterity score, 1-30; modifier = (score - 10) // 2.")
    con: int = Field(ge=1, le=30, description="Constitution score, 1-30; modifier = (score - 10) // 2.")
    int_: int = Field(alias="int", ge=1, le=30, description="Intelligence score, 1-30; modifier = (score - 10) // 2.")
    wis: int = Field(ge=1, le=30, description="Wisdom score, 1-30; modifier = (score - 10) // 2.")
    cha: int = Field(ge=1, le=30, description="Charisma score, 1-30; modifier = (score - 10) // 2.")

    def score(self, ability: AbilityName) -> int:
        return getattr(self, _ABILITY_FIELDS[ability])  # what model_dump()[ability] gives, without dumping all six

    def modifier(self, ability: AbilityName) -> int:
        return (self.score(ability) - 10) // 2


class Spellcasting(_Model):
    ability: AbilityName = Field(description="The class's spellcasting ability, e.g. 'int' for a wizard.")
    save_dc: int = Field(description="Spell save DC: 8 + proficiency bonus + spellcasting ability modifier.")
    attack_bonus: int = Field(description="Spell attack bonus: proficiency bonus + spellcasting ability modifier.")
    slots: list[int] = Field(description="Spell slots for levels 1-9; a warlock's are pact slots.")
    pact_magic: bool = Field(False, description="True for a warlock: `slots` are Pact Magic slots, all of one "
                             "level, regained on a short rest.")
    prepared: int | None = Field(None, description="How many spells a prepared caster (cleric, druid, paladin, "
                                 "wizard) prepares each day, besides always-prepared subclass spells; null for "
                                 "casters that know a fixed list.")


class AbilityAudit(_Model):
    """How the final scores were reached, so a sheet can be checked by hand: base + each bonus = abilities."""

    method: str = Field(description="'4d6' (4d6 drop lowest, placed by class priority) or 'standard-array'.")
    base: Abilities = Field(description="The rolled or standard-array scores, placed, before any bonus.")
    racial: dict[AbilityName, int] = Field(description="Ancestry bonuses, fixed and chosen.")
    improvements: dict[AbilityName, int] = Field(description="Ability Score Improvements taken up to this level.")
    features: dict[AbilityName, int] = Field(default_factory=dict,
                                             description="Class features that raise scores (Primal Champion).")


class SkillLine(_Model):
    name: str = Field(description="SRD skill name, e.g. 'Sleight of Hand'.")
    ability: AbilityName = Field(description="The ability the skill uses (SRD 5.1 skill list).")
    proficient: bool = Field(description="Whether the character is proficient; `source` says where from.")
    expertise: bool = Field(False, description="Proficiency bonus doubled (Expertise).")
    modifier: int = Field(description="Ability modifier + proficiency (doubled with expertise; half with Jack of "
                          "All Trades, rounded down, when not proficient).")
    source: str | None = Field(None, description="Where the proficiency came from: class, background, ancestry "
                               "or subclass.")


class SaveLine(_Model):
    ability: AbilityName = Field(description="The ability of this saving throw.")
    proficient: bool = Field(description="Whether the class gives proficiency in this saving throw.")
    modifier: int = Field(description="Ability modifier, + proficiency bonus when proficient.")


class Proficiencies(_Model):
    armor: list[str] = Field(description="Armour categories: light, medium, heavy, shield.")
    weapons: list[str] = Field(description="Weapon categories ('simple', 'martial') and single SRD weapons.")
    tools: list[str] = Field(description="SRD tool and instrument names.")
    languages: list[str] = Field(description="Language names, the ancestry's and every chosen extra.")


class FeatureLine(_Model):
    name: str = Field(description="The SRD feature or trait name, e.g. 'Sneak Attack'.")
    source: Literal["class", "subclass", "ancestry", "background"] = Field(
        description="Where it comes from: a class or subclass feature, an ancestry trait, or the background.")
    level: int = Field(description="Character level gained (0 for ancestry traits and the background).")
    summary: str = Field(description="One line: what it does, with this character's numbers.")


class Subclass(_Model):
    index: str = Field(description="SRD subclass index, e.g. 'thief'.")
    name: str = Field(description="SRD subclass name, e.g. 'Thief'.")
    flavor: str = Field(description="What the class calls it: 'Roguish Archetype', 'Divine Domain', ...")
    level: int = Field(description="Class level at which it was chosen.")


class Attack(_Model):
    name: str = Field(description="The weapon, 'Unarmed Strike', the cantrip, or 'Breath Weapon'.")
    kind: Literal["weapon", "unarmed", "cantrip", "breath"] = Field(
        description="'weapon' (one carried), 'unarmed', 'cantrip' (a damaging cantrip known) or 'breath' (a "
                    "dragonborn's Breath Weapon).")
    to_hit: int | None = Field(description="Attack bonus: ability modifier (STR; DEX at range; the better for "
                               "finesse and monk weapons) + proficiency bonus when proficient (+2 ranged with "
                               "Archery), or the spell attack bonus; null for an attack that forces a saving throw.")
    save: str | None = Field(None, description="For save attacks: 'DC 13 Dex'.")
    damage: str = Field(description="Dice + the attack's ability modifier (+2 with Dueling), e.g. '1d6+3'; dice "
                        "alone for cantrips and Breath Weapon.")
    damage_type: str = Field(description="SRD damage type, lower case, e.g. 'piercing'.")
    range: str = Field(description="'5 ft.' reach, or 'normal/long ft.'.")
    properties: list[str] = Field(default_factory=list, description="SRD weapon properties, lower case.")
    notes: str = Field("", description="e.g. 'versatile 1d10+3', 'Sneak Attack 3d6 once per turn'.")


class Coins(_Model):
    cp: int = Field(0, description="Copper pieces (100 cp = 1 gp).")
    sp: int = Field(0, description="Silver pieces (10 sp = 1 gp).")
    ep: int = Field(0, description="Electrum pieces (2 ep = 1 gp).")
    gp: int = Field(0, description="Gold pieces.")
    pp: int = Field(0, description="Platinum pieces (1 pp = 10 gp).")


class Carrying(_Model):
    weight_lb: float = Field(description="Everything carried, coins excluded.")
    capacity_lb: int = Field(description="Strength score x 15 (x 0.5 for Tiny; Small and Medium alike).")


class Sheet(_Model):
    """Every number on the character sheet, computed by `rules` from SRD 5.1 data."""

    abilities: Abilities = Field(description="Final ability scores: `ability_audit.base` plus every bonus listed "
                                 "in `ability_audit`.")
    hp: int = Field(description="Hit point maximum: the hit die's maximum + CON modifier at 1st level, then the fixed "
                    "average (die / 2 + 1) + CON modifier per level (at least 1 a level), plus ancestry (Dwarven "
                    "Toughness) and Draconic Resilience hit points.")
    ac: int = Field(description="Armour Class: the best of the proficient armour and shield carried, Unarmored "
                    "Defense and Draconic Resilience (+1 for the Defense fighting style in armour; never metal "
                    "armour for a druid).")
    proficiency_bonus: int = Field(description="Proficiency bonus for the character level: +2 at 1-4, +1 every "
                                   "four levels, +6 at 17-20.")
    speed: int = Field(description="Walking speed in feet: the ancestry's, with Fast Movement, Unarmored Movement "
                       "and the heavy-armour Strength penalty applied.")
    size: str = Field(description="Size from the ancestry: 'Small' or 'Medium'.")
    saving_throws: list[AbilityName] = Field(description="The abilities whose saving throws the class is "
                                             "proficient in; `saves` has every modifier.")
    languages: list[str] = Field(description="Languages the character speaks: the ancestry's, its free extra "
                                 "language, and the background's.")
    spellcasting: Spellcasting | None = Field(None, description="The class's spellcasting numbers at this level; "
                                              "null for non-casters and before Spellcasting starts (2nd level for "
                                              "paladins and rangers).")


class SheetDetail(_Model):
    """The rest of the sheet a GM plays from (schema 1.1): all of it computed by `rules.sheet`."""

    ability_audit: AbilityAudit = Field(description="How the ability scores were reached, so `abilities` can be "
                                        "checked by hand.")
    initiative: int = Field(description="Initiative modifier: DEX modifier, + half the proficiency bonus (rounded "
                            "down) with Jack of All Trades or Remarkable Athlete.")
    passive_perception: int = Field(description="10 + the Perception skill modifier.")
    hit_dice: str = Field(description="Hit dice: character level x the class's hit die, e.g. '5d8'.")
    senses: dict[str, int] = Field(default_factory=dict, description="Sense -> feet, e.g. {'darkvision': 60}.")
    resistances: list[str] = Field(default_factory=list, description="Damage types resisted.")
    saves: list[SaveLine] = Field(description="All six saving throws, str to cha, with modifiers.")
    skills: list[SkillLine] = Field(description="All 18 SRD skills, alphabetical, with proficiency and modifier.")
    proficiencies: Proficiencies = Field(description="Armour, weapon, tool and language proficiencies from class, "
                                         "subclass, ancestry and background.")
    subclass: Subclass | None = Field(description="Null before the level the class chooses it.")
    features: list[FeatureLine] = Field(description="Ancestry traits, then class and subclass features gained up to "
                                        "this level; a feature improved later shows once, as it is now.")
    attacks: list[Attack] = Field(description="Every attack the character can make: each weapon carried, an unarmed "
                                  "strike, damaging cantrips known, and a Breath Weapon.")
    spellbook: list[SpellEntry] = Field(default_factory=list, description="A wizard's spellbook (prepared spells "
                                        "are in `spells`); empty for everyone else.")
    background_feature: FeatureLine | None = Field(None, description="The SRD background's feature when the story's "
                                                   "origin is an SRD background (Acolyte); null for a custom one.")
    coins: Coins = Field(description="Money carried: the budget left after purchases, in gp, sp and cp.")
    carrying: Carrying = Field(description="Weight carried and carrying capacity, in pounds.")


# -- what a provider answers ---------------------------------------------------------------


class Background(_Model):
    """The character's story. Prose from the provider; nothing here is a rules number."""

    origin: str = Field(description="The character's background, e.g. 'acolyte' or 'river pilot'.")
    early_life: str = Field(description="Prose: where and how the character grew up.")
    pivotal_moments: str = Field(description="Prose: the events that made the character who they are.")
    recent_history: str = Field(description="Prose: what the character has been doing lately.")
    unresolved_mysteries: str = Field(description="Prose: open questions in the character's past, for a GM to use.")
    personality_traits: list[str] = Field(description="How the character behaves, one trait each.")
    ideals: list[str] = Field(description="What the character believes in, one ideal each.")
    bonds: list[str] = Field(description="People, places and things the character is tied to.")
    flaws: list[str] = Field(description="Weaknesses others can use against the character.")
    appearance: str = Field(description="Prose: how the character looks.")
    hooks: list[str] = Field(description="Adventure hooks: situations a GM can start a session from.")


# The story's prose sections and its lists, with the headings documents print them under.
STORY_SECTIONS = {"early_life": "Early life", "pivotal_moments": "Pivotal moments",
                  "recent_history": "Recent history", "unresolved_mysteries": "Unresolved mysteries"}
STORY_LISTS = {"personality_traits": "Personality traits", "ideals": "Ideals", "bonds": "Bonds", "flaws": "Flaws",
               "hooks": "Adventure hooks"}


class BackgroundAnswer(_Model):
    name: str = Field(description="Full name; must be the user's name when one was given.")
    alignment: str
    concept: str
    background: Background


class ItemPick(_Model):
    name: str
    quantity: int = Field(1, ge=1)


class EquipmentAnswer(_Model):
    purchases: list[ItemPick] = Field(description="SRD items bought from the candidate list, within budget.")
    trinkets: list[str] = Field(description="Flavour items with no rules effect.")


class SpellsAnswer(_Model):
    cantrips: list[str]
    spells: list[str]


# Art styles a portrait may ask for, and the words that describe each (text and image providers share them).
PORTRAIT_STYLES = {
    "painted": "painterly fantasy character portrait, oil on canvas, warm rim light",
    "ink sketch": "ink and wash sketch, cross-hatching, sepia paper",
    "token": "circular VTT token, head and shoulders, bold outline, plain background",
    "photoreal": "photorealistic portrait, 85mm lens, natural light, shallow depth of field",
    "pixel art": "pixel art character portrait, 32-colour palette, crisp pixels, no anti-aliasing",
}


class PortraitPrompt(_Model):
    prompt: str = Field(description="An image-generation prompt for the character's portrait.")
    style: str = Field("painted", description="Art style: 'painted', 'ink sketch', 'token', 'photoreal' or "
                       "'pixel art'.")
    image: str | None = Field(None, description="Path of the portrait drawn for it (npc --portrait), if any.")


class NpcAnswer(BackgroundAnswer):
    """Everything a model writes for one whole character, in one answer."""

    purchases: list[ItemPick] = Field(description="SRD items bought from the candidate list, within budget.")
    trinkets: list[str] = Field(description="Flavour items with no rules effect.")
    cantrips: list[str] = Field(default_factory=list)
    spells: list[str] = Field(default_factory=list)
    portrait: str = Field(description="An image-generation prompt for the character's portrait.")


ANSWER_MODELS: dict[Kind, type[BaseModel]] = {
    "background": BackgroundAnswer, "equipment": EquipmentAnswer, "spells": SpellsAnswer,
    "portrait": PortraitPrompt, "npc": NpcAnswer}


@cache
def answer_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The answer's JSON Schema without pydantic's `title`s, which cost tokens and say nothing.

    Cached: answer schemas never change in a process, and building one costs a millisecond.
    """
    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if not (k == "title" and isinstance(v, str))}
        return [strip(v) for v in node] if isinstance(node, list) else node

    return strip(model.model_json_schema())


# -- what a provider is given --------------------------------------------------------------


class TakenNames(list[str]):
    """Names in the order they were taken (prompts show the latest), with a set beside them so `in` is O(1):
    a batch of 10,000 asks it for every name it draws.

    A name can carry its owner (a hash of the spec that made it); `in` does not count the names owned by
    `exempt`, so a job run again after a crash may draw the name it drew the first time.
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        super().__init__()
        self._set: set[str] = set()
        self._owners: dict[str, str] = {}
        self.exempt: str | None = None
        for name in names:
            self.append(name)

    def append(self, name: str, owner: str | None = None) -> None:  # type: ignore[override]
        if owner is not None:
            self._owners.setdefault(name, owner)
        if name not in self._set:
            self._set.add(name)
            super().append(name)

    def __contains__(self, name: object) -> bool:
        if name not in self._set:
            return False
        return self.exempt is None or self._owners.get(name) != self.exempt  # type: ignore[call-overload]


class SpellChoice(BaseModel):
    """Pick exactly `count` of `options` (spell names)."""

    label: str
    count: int
    options: list[str]
    suggested: list[str] = Field(default_factory=list, description="What a player of the class would pick "
                                 "(`count` names, best first): legal, spread over the levels it learned them at.")


class ShopItem(BaseModel):
    name: str
    price_gp: float
    category: str


class Brief(BaseModel):
    """Everything a provider may use: the character so far and the legal options, all computed."""

    model_config = ConfigDict(frozen=True)

    seed: int
    name: str | None = Field(description="The user's name for the character; keep it when given.")
    ancestry: str
    ancestry_name: str
    people: str = Field(description="The base SRD race of the ancestry, e.g. 'dwarf' for 'hill-dwarf'.")
    class_name: str
    class_title: str
    level: int
    alignment: str | None
    origin: str | None = Field(description="The background the user asked for, if any.")
    concept: str | None
    setting: str | None
    canon: SettingCanon | None = Field(None, description="The setting file's facts, when --setting names one.")
    length: Length
    abilities: Abilities
    kit: list[str] = Field(default_factory=list, description="Starting kit already carried, as 'qty x name'.")
    budget_gp: float = 0
    shop: list[ShopItem] = Field(default_factory=list)
    suggested_purchases: list[ItemPick] = Field(default_factory=list, description=(
        "What a player would buy, worked out by the rules (`rules.loadout.shopping_plan`): the best armour it can "
        "wear well, a shield, staples, ammunition, class items; within budget and carrying capacity, all legal. "
        "The offline provider buys exactly this; a model may follow it."))
    spell_choices: list[SpellChoice] = Field(default_factory=list)
    appearance: str | None = Field(None, description="For portraits: how the character looks.")
    style: str = Field("painted", description="For portraits: the art style.")
    # Not validated (nor copied): a batch of 10,000 hands every brief the same growing list by reference.
    taken_names: Annotated[list[str], SkipValidation] = Field(default_factory=list,
                                                              description="Names already used in this batch.")


class Usage(BaseModel):
    """Tokens one provider call used, text or image; `cached_tokens` are part of `input_tokens`."""

    input_tokens: int = 0
    output_tokens: int = 0
    cached_tokens: int = 0


class Check(BaseModel):
    """One line of `charforge check`: what was checked, whether it passed, and how long it took."""

    name: str
    ok: bool
    detail: str = ""
    latency_ms: int | None = None


class ProviderHealth(BaseModel):
    """One entry of `charforge check --json`: a text provider, an image provider (`images:<name>`) or charforge."""

    provider: str
    ok: bool
    checks: list[Check]


# -- what we print ---------------------------------------------------------------------------


class SpellEntry(_Model):
    name: str = Field(description="SRD spell name, e.g. 'Magic Missile'.")
    level: int = Field(ge=0, le=9, description="0 for cantrips.")
    school: str = Field(description="School of magic, lower case, e.g. 'evocation'.")
    always_prepared: bool = Field(False, description="A subclass spell (domain, oath, circle): prepared without "
                                  "counting against the number prepared.")


class EquipmentItem(_Model):
    name: str = Field(description="The SRD item name.")
    quantity: int = Field(ge=1, description="How many are carried, e.g. 20 arrows.")
    source: Literal["kit", "purchase"] = Field(description="Class starting kit, or bought from the budget.")
    cost_gp: float = Field(description="Market price of this line (unit price x quantity).")


class Repair(_Model):
    field: str = Field(description="What was repaired: a field of the answer (e.g. 'name'), a part ('spells'), or "
                       "'answer' for the JSON as a whole.")
    problem: str = Field(description="What was wrong, e.g. 'the JSON was inside a code fence'.")
    action: str = Field(description="What charforge did about it, e.g. 'filled from the offline generator'.")


class TemplateUse(_Model):
    """Which prompt template produced the messages, so a result can be traced to its prompt."""

    name: str = Field(description="Template name, e.g. 'npc'.")
    version: str = Field(description="The template's own version, from its file, e.g. '1.1'.")
    source: str = Field(description="Where it was found: builtin, user, prompts-dir or file.")
    path: str = Field(description="The template file it was read from.")
    sha256: str = Field(description="Hash of the rendered system and user messages.")


class UsageTotals(_Model):
    """The provider calls made for one document, added up (each call's tokens are a `Usage`)."""

    calls: int = Field(0, description="Provider calls made for this document.")
    input_tokens: int = Field(0, description="Tokens sent, summed over the calls (0 offline).")
    output_tokens: int = Field(0, description="Tokens received, summed over the calls (0 offline).")
    cost_usd: float | None = Field(None, description="An estimate from charforge's price table.")


class Provenance(_Model):
    seed: int = Field(description="The seed every seeded choice was drawn from: the one given, else a random one "
                      "below 2^32. Offline, the same seed and spec give the same document.")
    provider: str = Field(description="The text provider that wrote it: 'offline', 'anthropic', 'openai', "
                          "'openai-compatible', 'mock' or a plugin's name.")
    model: str = Field(description="The provider's model id, e.g. 'charforge-offline-1'.")
    rules: str = Field(RULES_EDITION, description="The rules edition every number follows: 'srd-5.1'.")
    charforge: str = Field(description="The charforge version that made the document.")
    template: TemplateUse | None = Field(None, description="Null for providers that use no prompt (offline).")
    spec: CharacterSpec | None = Field(None, description="What was asked for; `npc --replay` regenerates from it.")
    usage: UsageTotals = Field(default_factory=UsageTotals, description="Provider calls and tokens spent on this "
                               "document, added up.")
    repairs: list[Repair] = Field(default_factory=list, description="What charforge fixed in the provider's answer "
                                  "before using it; empty when it was used as given.")


class Subject(_Model):
    """Whom a document is about; every command's output starts with these fields."""

    schema_version: str = Field(SCHEMA_VERSION, description="Version of this contract, 'MAJOR.MINOR': a minor "
                                "version adds fields, a major one renames or removes one.")
    kind: str = Field(description="What the document is: character, background, equipment or spells.")
    name: str | None = Field(None, description="Null when the command invents no story (equipment, spells).")
    ancestry: str = Field(description="SRD race or subrace index, e.g. 'hill-dwarf'.")
    class_name: str = Field(alias="class", description="SRD class index, e.g. 'wizard'.")
    level: int = Field(description="Character level, 1-20.")


class Identity(Subject):
    name: str = Field(description="The character's full name: the one given with --name, else invented.")
    alignment: str = Field(description="Alignment index, e.g. 'lawful-good' or 'neutral'.")
    concept: str = Field(description="One line on who the character is, e.g. 'moneylender to thieves'.")


class Equipment(_Model):
    equipment: list[EquipmentItem] = Field(description="Everything carried: the class's starting kit, then what was "
                                           "bought.")
    trinkets: list[str] = Field(description="Flavour items with no rules effect.")
    total_cost_gp: float = Field(description="What the purchases cost; the kit is free.")
    budget_gp: float = Field(description="Gold pieces to spend on purchases: the class's SRD starting wealth, rolled "
                             "(seeded), times the character level.")


class SpellList(_Model):
    spells: list[SpellEntry] = Field(description="Cantrips (level 0) and spells known or prepared, from the class's "
                                     "list within its limits; empty for non-casters.")
    spellcasting: Spellcasting | None = Field(description="The class's spellcasting numbers at this level; null for "
                                              "non-casters and before Spellcasting starts.")


class BackgroundDocument(Identity):
    kind: Literal["background"] = Field("background", description="What the document is: always 'background' here.")
    background: Background = Field(description="The character's story: prose, no rules numbers.")
    provenance: Provenance = Field(description="How the document was made: seed, provider, model, template, what "
                                   "was asked for, usage and repairs.")


# Bases are listed last-first: pydantic orders fields from the deepest base, and the JSON should
# open with schema_version, kind and who the document is about.
class EquipmentDocument(Equipment, Subject):
    kind: Literal["equipment"] = Field("equipment", description="What the document is: always 'equipment' here.")
    provenance: Provenance = Field(description="How the document was made: seed, provider, model, template, what "
                                   "was asked for, usage and repairs.")


class SpellsDocument(SpellList, Subject):
    kind: Literal["spells"] = Field("spells", description="What the document is: always 'spells' here.")
    provenance: Provenance = Field(description="How the document was made: seed, provider, model, template, what "
                                   "was asked for, usage and repairs.")


class Character(SheetDetail, Equipment, Sheet, Identity):
    """The whole character: `charforge npc --format json`."""

    kind: Literal["character"] = Field("character", description="What the document is: always 'character' here.")
    spells: list[SpellEntry] = Field(description="Cantrips (level 0) and spells known or prepared, from the class's "
                                     "list within its limits; empty for non-casters.")
    background: Background = Field(description="The character's story: prose, no rules numbers.")
    portrait: PortraitPrompt = Field(description="The portrait prompt and style, and the image drawn from it, if "
                                     "any.")
    provenance: Provenance = Field(description="How the document was made: seed, provider, model, template, what "
                                   "was asked for, usage and repairs.")
