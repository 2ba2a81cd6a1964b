"""The dnd5e system's codes for what charforge names in words (dnd5e 5.3.3, `module/config.mjs`).

Only codes dnd5e defines are here; a name without a code is not guessed at (the export leaves it out, or puts it in
the field's free-text `custom` where dnd5e has one). Tools and single weapons need no table: their code is the
compendium item's `system.type.baseItem`, read from the index.
"""

from __future__ import annotations

# CONFIG.DND5E.skills: the SRD skill index -> dnd5e's key.
SKILLS = {
    "acrobatics": "acr", "animal-handling": "ani", "arcana": "arc", "athletics": "ath", "deception": "dec",
    "history": "his", "insight": "ins", "intimidation": "itm", "investigation": "inv", "medicine": "med",
    "nature": "nat", "perception": "prc", "performance": "prf", "persuasion": "per", "religion": "rel",
    "sleight-of-hand": "slt", "stealth": "ste", "survival": "sur",
}

# CONFIG.DND5E.languages (standard and exotic children): the SRD language index -> dnd5e's key.
LANGUAGES = {
    "common": "common", "draconic": "draconic", "dwarvish": "dwarvish", "elvish": "elvish", "giant": "giant",
    "gnomish": "gnomish", "goblin": "goblin", "halfling": "halfling", "orc": "orc", "abyssal": "abyssal",
    "celestial": "celestial", "deep-speech": "deep", "infernal": "infernal", "primordial": "primordial",
    "sylvan": "sylvan", "undercommon": "undercommon",
}

# CONFIG.DND5E.weaponProficiencies and armorProficiencies: charforge's categories -> dnd5e's keys.
WEAPON_CATEGORIES = {"simple": "sim", "martial": "mar"}
ARMOR_CATEGORIES = {"light": "lgt", "medium": "med", "heavy": "hvy", "shield": "shl"}
# CONFIG.DND5E.weaponProficienciesMap: a weapon's `system.type.value` -> the category proficiency it needs.
WEAPON_TYPE_CATEGORY = {"simpleM": "sim", "simpleR": "sim", "martialM": "mar", "martialR": "mar"}

# CONFIG.DND5E.actorSizes.
SIZES = {"Tiny": "tiny", "Small": "sm", "Medium": "med", "Large": "lg", "Huge": "huge", "Gargantuan": "grg"}

# CONFIG.DND5E.damageTypes: the SRD's lower-case damage types are dnd5e's keys.
DAMAGE_TYPES = frozenset({"acid", "bludgeoning", "cold", "fire", "force", "lightning", "necrotic", "piercing",
                          "poison", "psychic", "radiant", "slashing", "thunder"})

# CONFIG.DND5E.CHARACTER_EXP_LEVELS (the SRD's Character Advancement table): the XP a level starts at.
LEVEL_XP = (0, 300, 900, 2700, 6500, 14000, 23000, 34000, 48000, 64000, 85000, 100000, 120000, 140000, 165000,
            195000, 225000, 265000, 305000, 355000)

# CONFIG.DND5E.spellcasting: the slot-giving method a class's `spellcasting.progression` belongs to.
SLOT_METHOD = {"full": "spell", "half": "spell", "third": "spell", "artificer": "spell", "pact": "pact"}

# CONFIG.DND5E.tools: each tool's key (a tool item's `system.type.baseItem`) -> the ability its checks use, as
# dnd5e's Trait advancement sets it on the actor's `system.tools`.
TOOL_ABILITIES = {
    "alchemist": "int", "bagpipes": "cha", "brewer": "int", "calligrapher": "dex", "card": "wis", "carpenter": "str",
    "cartographer": "wis", "chess": "wis", "cobbler": "dex", "cook": "wis", "dice": "wis", "disg": "cha",
    "drum": "cha", "dulcimer": "cha", "flute": "cha", "forg": "dex", "glassblower": "int", "herb": "int",
    "horn": "cha", "jeweler": "int", "leatherworker": "dex", "lute": "cha", "lyre": "cha", "mason": "str",
    "navg": "wis", "painter": "wis", "panflute": "cha", "pois": "int", "potter": "int", "shawm": "cha",
    "smith": "str", "thief": "dex", "tinker": "dex", "viol": "cha", "weaver": "dex", "woodcarver": "dex",
}
