"""Export a character as a Foundry VTT actor that plays in the dnd5e system (5.x; read against 5.3.3).

The actor stores only what dnd5e's character data model stores, and derives the rest as dnd5e does: level and
proficiency from the class item, spell slots from the class item's `spellcasting.progression`, AC from the armour
equipped and the calculation mode, weapon proficiency from `traits.weaponProf` and each weapon's base item. Every
item is a copy of an SRD compendium document from the committed index (`foundry_index`), linked back to it by
`_stats.compendiumSource`, so descriptions, activities and rolls are dnd5e's own. What charforge cannot map to a
dnd5e code or compendium document is left out (the names go in `flags.charforge.unmapped`), never invented.
The same character always exports to the same bytes: item ids derive from the seed.
"""

from __future__ import annotations

import html
import json
from typing import Any

from charforge.export import foundry_codes as codes
from charforge.export.foundry_actor import Actor
from charforge.models import SCHEMA_VERSION, STORY_SECTIONS, Character
from charforge.rules.identity import ALIGNMENTS

DEFAULT_IMG = "icons/svg/mystery-man.svg"  # Foundry's default actor image


def to_foundry_json(character: Character) -> str:
    """The registered `foundry` format: the actor as indented JSON."""
    return json.dumps(to_foundry(character), indent=2, ensure_ascii=False) + "\n"


def to_foundry(character: Character) -> dict[str, Any]:
    """The dnd5e character actor for `character`, with its embedded items."""
    from charforge.export.foundry_embed import stats  # loads the compendium index on first use

    actor = Actor.build(character)
    img = character.portrait.image or DEFAULT_IMG
    return {
        "name": character.name,
        "type": "character",
        "img": img,
        "system": {
            "abilities": actor.abilities(),
            "attributes": actor.attributes(),
            "details": _details(character, actor),
            "traits": actor.traits_data(),
            "skills": actor.skills(),
            "tools": actor.tools(),
            "currency": character.coins.model_dump(),
            "spells": actor.spell_slots(),
        },
        "prototypeToken": _token(character, img),
        "items": actor.items,
        "effects": [],
        "flags": _flags(character, actor),
        "_stats": stats(None),
    }


def _details(character: Character, actor: Actor) -> dict[str, Any]:
    story = character.background
    return {
        "biography": {"value": _biography(character), "public": ""},
        "alignment": ALIGNMENTS.get(character.alignment, character.alignment),
        "race": actor.race_id,
        # dnd5e links an embedded background item; a background that is not an SRD one stays a name.
        "background": actor.background_id or story.origin.title(),
        "originalClass": actor.class_id,
        "xp": {"value": codes.LEVEL_XP[character.level - 1]},
        "appearance": story.appearance,
        "trait": "\n".join(story.personality_traits),
        "ideal": "\n".join(story.ideals),
        "bond": "\n".join(story.bonds),
        "flaw": "\n".join(story.flaws),
    }


def _biography(character: Character) -> str:
    story = character.background
    parts = [f"<p><em>{html.escape(character.concept)}</em></p>"] if character.concept else []
    parts += [f"<h3>{title}</h3><p>{html.escape(getattr(story, key))}</p>" for key, title in STORY_SECTIONS.items()]
    for title, lines in (("Adventure hooks", story.hooks), ("Trinkets", character.trinkets)):
        if lines:
            parts.append(f"<h3>{title}</h3><ul>{''.join(f'<li>{html.escape(x)}</li>' for x in lines)}</ul>")
    return "".join(parts)


def _token(character: Character, img: str) -> dict[str, Any]:
    darkvision = character.senses.get("darkvision", 0)
    return {
        "name": character.name,
        "actorLink": True,
        "disposition": 1,  # CONST.TOKEN_DISPOSITIONS.FRIENDLY, as dnd5e gives a new character
        "sight": {"enabled": True, "range": darkvision, "visionMode": "darkvision" if darkvision else "basic"},
        "texture": {"src": img},
        "bar1": {"attribute": "attributes.hp"},
    }


def _flags(character: Character, actor: Actor) -> dict[str, Any]:
    """charforge's provenance (no secrets: what made it, not with which key), and dnd5e's character flags."""
    made = character.provenance
    flags: dict[str, Any] = {"charforge": {"schema_version": SCHEMA_VERSION, "seed": made.seed,
                                           "provider": made.provider, "model": made.model, "rules": made.rules,
                                           "charforge": made.charforge}}
    if actor.unmapped:
        flags["charforge"]["unmapped"] = actor.unmapped
    if dnd5e := actor.dnd5e_flags():
        flags["dnd5e"] = dnd5e
    return flags
