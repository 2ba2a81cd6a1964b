"""The spells a player of each class reaches for first, and which spells heal or deal damage.

`STAPLES` is charforge's choice, not an SRD rule: reviewed by hand, per class, best first within each spell
level (combat, healing and the utility a table misses most). Every entry is an SRD 5.1 spell on that class's
list in the rules pack (`tests/test_spell_choices.py` checks). `HEALING` and `DAMAGING_CANTRIPS` are facts
read from the SRD 5.1 spell descriptions: spells that restore hit points, cantrips that deal damage.
"""

from __future__ import annotations

# charforge's choice (reviewed): class -> staple spell indexes, cantrips first, then by spell level, best first.
STAPLES: dict[str, tuple[str, ...]] = {
    "bard": (
        "vicious-mockery", "minor-illusion", "mage-hand", "prestidigitation", "light",
        "healing-word", "cure-wounds", "faerie-fire", "hideous-laughter", "sleep", "thunderwave", "heroism",
        "charm-person", "detect-magic", "feather-fall",
        "hold-person", "invisibility", "shatter", "suggestion", "lesser-restoration", "heat-metal", "silence",
        "hypnotic-pattern", "dispel-magic", "fear", "tongues", "sending",
        "greater-invisibility", "dimension-door", "polymorph", "freedom-of-movement",
        "mass-cure-wounds", "greater-restoration", "hold-monster", "raise-dead", "animate-objects",
        "mass-suggestion", "irresistible-dance", "true-seeing",
        "forcecage", "teleport", "regenerate", "resurrection",
        "power-word-stun", "dominate-monster", "mind-blank",
        "foresight", "power-word-kill", "true-polymorph",
    ),
    "cleric": (
        "sacred-flame", "guidance", "spare-the-dying", "light", "thaumaturgy",
        "healing-word", "cure-wounds", "bless", "guiding-bolt", "shield-of-faith", "sanctuary", "command",
        "spiritual-weapon", "aid", "lesser-restoration", "hold-person", "prayer-of-healing", "silence",
        "spirit-guardians", "revivify", "mass-healing-word", "dispel-magic", "beacon-of-hope", "remove-curse",
        "banishment", "death-ward", "guardian-of-faith", "freedom-of-movement", "divination",
        "mass-cure-wounds", "greater-restoration", "flame-strike", "raise-dead", "commune",
        "heal", "blade-barrier", "heroes-feast", "true-seeing", "harm",
        "regenerate", "resurrection", "fire-storm", "plane-shift", "divine-word",
        "holy-aura", "antimagic-field", "earthquake",
        "mass-heal", "true-resurrection", "gate",
    ),
    "druid": (
        "produce-flame", "shillelagh", "guidance", "druidcraft",
        "healing-word", "cure-wounds", "goodberry", "entangle", "faerie-fire", "thunderwave", "fog-cloud",
        "speak-with-animals",
        "moonbeam", "pass-without-trace", "spike-growth", "lesser-restoration", "heat-metal", "flaming-sphere",
        "barkskin",
        "call-lightning", "conjure-animals", "dispel-magic", "plant-growth", "sleet-storm", "wind-wall",
        "polymorph", "ice-storm", "wall-of-fire", "freedom-of-movement", "stoneskin", "conjure-woodland-beings",
        "mass-cure-wounds", "greater-restoration", "insect-plague", "wall-of-stone", "tree-stride", "reincarnate",
        "heal", "sunbeam", "wall-of-thorns", "transport-via-plants", "heroes-feast",
        "regenerate", "fire-storm", "plane-shift", "reverse-gravity",
        "sunburst", "animal-shapes", "control-weather", "earthquake",
        "foresight", "shapechange", "storm-of-vengeance", "true-resurrection",
    ),
    "paladin": (
        "cure-wounds", "bless", "shield-of-faith", "divine-favor", "heroism", "protection-from-evil-and-good",
        "command", "detect-evil-and-good",
        "aid", "lesser-restoration", "magic-weapon", "branding-smite", "find-steed",
        "revivify", "dispel-magic", "remove-curse", "magic-circle", "daylight",
        "banishment", "death-ward",
        "dispel-evil-and-good", "raise-dead",
    ),
    "ranger": (
        "hunters-mark", "cure-wounds", "goodberry", "fog-cloud", "longstrider", "speak-with-animals", "alarm",
        "pass-without-trace", "spike-growth", "lesser-restoration", "silence", "barkskin",
        "conjure-animals", "plant-growth", "wind-wall", "protection-from-energy", "water-breathing",
        "freedom-of-movement", "stoneskin", "conjure-woodland-beings", "locate-creature",
        "tree-stride", "commune-with-nature",
    ),
    "sorcerer": (
        "fire-bolt", "ray-of-frost", "shocking-grasp", "mage-hand", "prestidigitation", "minor-illusion", "light",
        "magic-missile", "shield", "mage-armor", "sleep", "burning-hands", "thunderwave", "charm-person",
        "detect-magic",
        "misty-step", "scorching-ray", "hold-person", "invisibility", "mirror-image", "suggestion", "web", "shatter",
        "fireball", "counterspell", "haste", "fly", "lightning-bolt", "hypnotic-pattern", "dispel-magic",
        "greater-invisibility", "polymorph", "dimension-door", "banishment", "wall-of-fire", "ice-storm",
        "cone-of-cold", "hold-monster", "telekinesis", "animate-objects", "wall-of-stone", "teleportation-circle",
        "chain-lightning", "disintegrate", "globe-of-invulnerability", "mass-suggestion", "true-seeing", "sunbeam",
        "finger-of-death", "teleport", "plane-shift", "delayed-blast-fireball", "reverse-gravity",
        "power-word-stun", "dominate-monster", "incendiary-cloud", "sunburst",
        "wish", "time-stop", "meteor-swarm", "power-word-kill",
    ),
    "warlock": (
        "eldritch-blast", "minor-illusion", "mage-hand", "prestidigitation",
        "hellish-rebuke", "charm-person", "protection-from-evil-and-good", "comprehend-languages", "unseen-servant",
        "misty-step", "hold-person", "invisibility", "darkness", "suggestion", "mirror-image", "shatter",
        "counterspell", "hypnotic-pattern", "fly", "dispel-magic", "vampiric-touch", "fear",
        "dimension-door", "banishment", "blight",
        "hold-monster", "scrying", "dream",
        "circle-of-death", "mass-suggestion", "true-seeing", "flesh-to-stone",
        "finger-of-death", "forcecage", "plane-shift",
        "power-word-stun", "dominate-monster", "feeblemind",
        "foresight", "power-word-kill", "true-polymorph",
    ),
    "wizard": (
        "fire-bolt", "ray-of-frost", "mage-hand", "prestidigitation", "minor-illusion", "light", "shocking-grasp",
        "magic-missile", "shield", "mage-armor", "sleep", "detect-magic", "find-familiar", "burning-hands",
        "thunderwave", "identify", "feather-fall",
        "misty-step", "scorching-ray", "hold-person", "invisibility", "mirror-image", "web", "shatter", "suggestion",
        "fireball", "counterspell", "haste", "fly", "dispel-magic", "lightning-bolt", "hypnotic-pattern", "slow",
        "greater-invisibility", "polymorph", "dimension-door", "banishment", "black-tentacles", "wall-of-fire",
        "resilient-sphere",
        "wall-of-force", "cone-of-cold", "hold-monster", "telekinesis", "animate-objects", "teleportation-circle",
        "disintegrate", "chain-lightning", "globe-of-invulnerability", "contingency", "true-seeing",
        "mass-suggestion",
        "forcecage", "finger-of-death", "teleport", "plane-shift", "simulacrum", "delayed-blast-fireball",
        "mind-blank", "power-word-stun", "maze", "dominate-monster", "feeblemind", "antimagic-field",
        "wish", "time-stop", "meteor-swarm", "foresight", "power-word-kill", "true-polymorph",
    ),
}

# charforge's choice (reviewed): what a bard takes from other classes with Magical Secrets, best first by level
# (no cantrips: a secret is spent on a spell).
SECRET_STAPLES: tuple[str, ...] = (
    "shield", "hunters-mark", "magic-missile", "guiding-bolt", "bless",
    "misty-step", "spiritual-weapon", "aid", "scorching-ray", "mirror-image",
    "counterspell", "fireball", "spirit-guardians", "revivify", "haste", "fly",
    "banishment", "wall-of-fire", "death-ward", "guardian-of-faith",
    "wall-of-force", "cone-of-cold", "flame-strike", "commune",
    "heal", "disintegrate", "chain-lightning", "contingency", "sunbeam",
    "finger-of-death", "simulacrum", "plane-shift", "delayed-blast-fireball",
    "antimagic-field", "maze", "sunburst", "holy-aura",
    "wish", "meteor-swarm", "time-stop", "mass-heal", "true-resurrection",
)
# SRD 5.1 spells that restore hit points.
HEALING = frozenset({
    "cure-wounds", "healing-word", "goodberry", "prayer-of-healing", "mass-healing-word", "mass-cure-wounds",
    "heal", "regenerate", "mass-heal",
})
# SRD 5.1 cantrips that deal damage (an attack roll or a saving throw).
DAMAGING_CANTRIPS = frozenset({
    "acid-splash", "chill-touch", "eldritch-blast", "fire-bolt", "poison-spray", "produce-flame", "ray-of-frost",
    "sacred-flame", "shocking-grasp", "vicious-mockery",
})
# Classes whose list heals (bard, cleric, druid, paladin, ranger): each character of them gets a healing spell.
HEALERS = frozenset({"bard", "cleric", "druid", "paladin", "ranger"})
# A class's defining cantrip, always known (charforge's choice: no SRD warlock goes without Eldritch Blast).
SIGNATURE_CANTRIPS = {"warlock": "eldritch-blast"}
