"""Procedural answers from seeded tables: the same brief always gives the same answer.

Each answer draws from its own random stream (seed + kind), so a story never changes because the
spell picker changed. Names avoid `brief.taken_names`, which keeps a batch of hundreds distinct.
"""

from __future__ import annotations

import itertools
import json
import random
from typing import Any, ClassVar

from charforge import naming
from charforge.models import PORTRAIT_STYLES as STYLES
from charforge.models import Brief, SettingCanon
from charforge.providers.base import GenerationRequest, ProviderReply, TextProvider
from charforge.providers.offline.tables import groups, table
from charforge.rules import identity

MODEL = "charforge-offline-1"
ORIGINS = (
    "acolyte", "charlatan", "criminal", "entertainer", "folk hero", "guild artisan", "hermit", "noble",
    "outlander", "sage", "sailor", "soldier", "urchin", "ferry hand", "grave digger", "cartographer's apprentice",
    "toll keeper", "beekeeper", "bookbinder", "river smuggler", "lamplighter", "debt collector",
)
ALIGNMENTS = tuple(identity.ALIGNMENTS)  # lg ng cg ln n cn le ne ce
ALIGNMENT_WEIGHTS = (12, 14, 12, 10, 14, 12, 4, 4, 3)  # villains exist, but most NPCs are not
PEOPLE = {
    "dragonborn": ("dragonborn", "dragonborn"), "dwarf": ("dwarf", "dwarves"), "elf": ("elf", "elves"),
    "gnome": ("gnome", "gnomes"), "half-elf": ("half-elf", "half-elves"), "half-orc": ("half-orc", "half-orcs"),
    "halfling": ("halfling", "halflings"), "human": ("human", "humans"), "tiefling": ("tiefling", "tieflings"),
}
PRONOUNS = (("her", "her"), ("his", "him"), ("their", "them"))
SECTION_SIZES = {"quick": 1, "standard": 2, "full": 3}
LIST_SIZES = {  # traits, ideals, bonds, flaws, hooks, appearance features, purchases, trinkets
    "quick": (1, 1, 1, 1, 1, 3, 2, 1),
    "standard": (2, 1, 1, 1, 2, 4, 3, 2),
    "full": (3, 2, 2, 2, 4, 6, 5, 3),
}


class OfflineProvider(TextProvider):
    name: ClassVar[str] = "offline"

    def __init__(self) -> None:
        self.model = MODEL

    def generate(self, request: GenerationRequest) -> ProviderReply:
        return ProviderReply(text=json.dumps(self.answer(request.kind, request.brief)), model=self.model)

    def answer(self, kind: str, brief: Brief) -> dict[str, Any]:
        """Each kind draws from its own stream, so `npc` tells the same story as `background` for a seed."""
        return getattr(self, f"_{kind}")(brief, random.Random(f"charforge:{brief.seed}:offline:{kind}"))

    def _npc(self, brief: Brief, rng: random.Random) -> dict[str, Any]:
        story = self.answer("background", brief)
        looks = brief.model_copy(update={"name": story["name"], "concept": story["concept"],
                                         "appearance": story["background"]["appearance"]})
        return {**story, **self.answer("equipment", brief), **self.answer("spells", brief),
                "portrait": self.answer("portrait", looks)["prompt"]}

    def _background(self, brief: Brief, rng: random.Random) -> dict[str, Any]:
        base, canon = brief.people, brief.canon
        own = canon.names.get(base) if canon else None
        given, family = brief.name.split(" ", 1) if brief.name and " " in brief.name else (brief.name, None)
        if not given:
            given, family = naming.make_name(rng, base, brief.taken_names, table=own)
        family = family or naming.family_name(rng, base, table=own)
        their, them = rng.choice(PRONOUNS)
        kin, people = PEOPLE[base]
        pool = _places(rng, canon, brief.setting)
        concept = brief.concept or rng.choice(table("concepts", canon))
        slots = {
            "name": given, "family": family, "their": their, "Their": their.capitalize(), "them": them,
            "people": people, "kin": kin, "role": rng.choice(table(f"class_roles.{brief.class_name}", canon)),
            "concept": concept,
            "faction": rng.choice(canon.factions if canon and canon.factions else table("factions", canon)),
            "mentor": rng.choice(table("mentors", canon)), "rival": rng.choice(table("rivals", canon)),
            "object": rng.choice(table("objects", canon)), "deity": rng.choice(table("deities", canon)),
        }
        alignment = brief.alignment or rng.choices(ALIGNMENTS, ALIGNMENT_WEIGHTS)[0]
        n_traits, n_ideals, n_bonds, n_flaws, n_hooks, n_looks, _, _ = LIST_SIZES[brief.length]
        size = SECTION_SIZES[brief.length]

        turn = itertools.count()

        def fill(fragment: str) -> str:
            """A life happens in a few places: each fragment moves one along, starting from home."""
            k = next(turn)
            return fragment.format_map(slots | {"place": pool[k % len(pool)], "place2": pool[(k + 1) % len(pool)]})

        mentions = {"{concept}": 0, "{role}": 0}

        def passage(name: str) -> str:
            """`size` fragments; the concept and the role are each named at most twice in a whole story."""
            fragments = table(name, canon)
            chosen: list[str] = []
            while len(chosen) < size:
                blocked = [tag for tag, used in mentions.items() if used >= 2]
                pool = [f for f in fragments if not any(tag in f for tag in blocked)] if blocked else fragments
                fragment = rng.choice(pool)
                if fragment not in chosen:
                    chosen.append(fragment)
                    for tag in mentions:
                        mentions[tag] += tag in fragment
            return " ".join(fill(f) for f in chosen)

        return {
            "name": brief.name or f"{given} {family}",
            "alignment": alignment,
            "concept": concept,
            "background": {
                "origin": brief.origin or rng.choice(ORIGINS),
                "early_life": passage("early_life"),
                "pivotal_moments": passage("pivotal_moments"),
                "recent_history": passage("recent_history"),
                "unresolved_mysteries": passage("unresolved_mysteries"),
                "personality_traits": rng.sample(table("personality_traits", canon), n_traits),
                "ideals": rng.sample(_ideals(alignment, canon), n_ideals),
                "bonds": [fill(b) for b in rng.sample(table("bonds", canon), n_bonds)],
                "flaws": rng.sample(table("flaws", canon), n_flaws),
                "appearance": appearance(rng, given, n_looks, canon),
                "hooks": [fill(h) for h in rng.sample(table("hooks", canon), n_hooks)],
            },
        }

    def _equipment(self, brief: Brief, rng: random.Random) -> dict[str, Any]:
        """The brief's suggested purchases (a player's shopping, worked out by the rules), and a few trinkets."""
        *_, n_trinkets = LIST_SIZES[brief.length]
        purchases = [pick.model_dump() for pick in brief.suggested_purchases]
        return {"purchases": purchases, "trinkets": rng.sample(table("objects", brief.canon), n_trinkets)}

    def _spells(self, brief: Brief, rng: random.Random) -> dict[str, Any]:
        """The brief's suggestions (a player's picks, worked out by the rules); a brief without them gets a
        random legal draw."""
        picks = {c.label: c.suggested[: c.count] if len(c.suggested) >= c.count else rng.sample(c.options, c.count)
                 for c in brief.spell_choices}
        cantrips = picks.pop("cantrips", [])
        return {"cantrips": cantrips, "spells": [s for chosen in picks.values() for s in chosen]}

    def _portrait(self, brief: Brief, rng: random.Random) -> dict[str, Any]:
        style = brief.style if brief.style in STYLES else "painted"
        who = f"{brief.name}, a {brief.ancestry_name.lower()} {brief.class_title.lower()}"
        concept = f" ({brief.concept})" if brief.concept else ""
        looks = f" {brief.appearance}" if brief.appearance else ""
        return {"prompt": f"Portrait of {who}{concept}.{looks} {STYLES[style]}.", "style": style}


PLACES_IN_A_LIFE = 3


def _places(rng: random.Random, canon: SettingCanon | None, words: str | None = None) -> list[str]:
    """Home first, then two more: the setting's own places when it has them, else the tables'.

    A plain-words setting (`--setting "the port of Varr"`, no file) is the home place.
    """
    home = [canon.place] if canon and canon.place else [words] if words and not canon else []
    own = list(dict.fromkeys(p for p in home + (canon.places if canon else []) if p))
    if len(own) > PLACES_IN_A_LIFE:
        own = own[:1] + rng.sample(own[1:], PLACES_IN_A_LIFE - 1)
    extra = [p for p in rng.sample(table("places", canon), PLACES_IN_A_LIFE) if p not in own]
    return (own + extra)[:PLACES_IN_A_LIFE]


def _ideals(alignment: str, canon: SettingCanon | None) -> list[str]:
    parts = alignment.split("-") if alignment != "neutral" else ["neutral"]
    return [i for part in [*parts, "any"] for i in table(f"ideals.{part}", canon)]


def appearance(rng: random.Random, given: str, features: int, canon: SettingCanon | None = None) -> str:
    keys = rng.sample(groups("appearance"), features)
    clauses = [rng.choice(table(f"appearance.{k}", canon)) for k in keys]
    return f"{given} {', '.join(clauses[:-1])} and {clauses[-1]}."
