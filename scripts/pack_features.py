"""What a character gains in the rules pack: class, subclass and racial features with their one-line summaries
(scripts/summaries.yaml), the SRD subclasses, backgrounds and draconic ancestries.

Part of the rules-pack build (build_rules_pack.py). A summary is curated in summaries.yaml or, failing that,
the first sentence of the source's description cut to one line; the build stops on a curated summary longer
than SUMMARY_MAX characters or one that names an index the pack does not have.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

SUMMARIES = Path(__file__).resolve().parent / "summaries.yaml"
Source = dict[str, dict[str, dict]]  # folder -> file stem -> parsed JSON (a dict, or a list of rows)

# The SRD's one subclass per class (SRD 5.1, each class's subclass section): its full name, the class table's
# name for the choice, and the class level it is chosen at. The source names them "Life", "Berserker", ...
SUBCLASSES = {
    "berserker": ("Path of the Berserker", "Primal Path", 3), "lore": ("College of Lore", "Bard College", 3),
    "life": ("Life Domain", "Divine Domain", 1), "land": ("Circle of the Land", "Druid Circle", 2),
    "champion": ("Champion", "Martial Archetype", 3), "open-hand": ("Way of the Open Hand", "Monastic Tradition", 3),
    "devotion": ("Oath of Devotion", "Sacred Oath", 3), "hunter": ("Hunter", "Ranger Archetype", 3),
    "thief": ("Thief", "Roguish Archetype", 3), "draconic": ("Draconic Bloodline", "Sorcerous Origin", 1),
    "fiend": ("The Fiend", "Otherworldly Patron", 1), "evocation": ("School of Evocation", "Arcane Tradition", 2),
}
SUBCLASS_PROFICIENCIES = {"life": ["heavy"]}  # Life Domain: Bonus Proficiency
SUBCLASS_SKILL_CHOICES = {"lore": 3}  # College of Lore: Bonus Proficiencies, three skills of your choice
# Table markers the source lists as features ("Arcane Tradition feature" at wizard 6, 10 and 14): the
# subclass's own features are in the pack instead.
MARKER = re.compile(r"(?<!-score)-improvement-\d+$")
ASI = re.compile(r"-ability-score-improvement-\d+$")
SUMMARY_MAX = 200  # a curated summary longer than this stops the build
FALLBACK_MAX = 160  # an uncurated one (the source's first sentence) is cut to this


def option_indexes(options: list | dict) -> list[str]:
    """The indexes an option set offers, in either of the source's two shapes."""
    if isinstance(options, dict):
        options = [o.get("item", o) for o in options.get("options", [])]
    return [o["index"] for o in options]


def skill_index(proficiency: str) -> str:
    return proficiency.removeprefix("skill-")


def tool_targets(source: Source) -> dict[str, str]:
    """Tool proficiency index -> the equipment item it names (thieves-tools, lute, smiths-tools, ...)."""
    return {index: raw["reference"]["index"] for index, raw in source["proficiencies"].items()
            if raw["type"] not in ("Weapons", "Armor", "Skills", "Saving Throws")
            and raw.get("reference", {}).get("index") in source["equipment"]}


def build_backgrounds(source: Source, summaries: dict[str, str]) -> dict[str, dict]:
    backgrounds = {}
    for index, raw in source["backgrounds"].items():
        fixed = [p["index"] for p in raw["starting_proficiencies"]]
        tools = tool_targets(source)
        feature = raw["feature"]["name"]
        if not 0 < len(summaries.get(slug(feature), "")) <= SUMMARY_MAX:
            raise BadSummary(f"background feature {feature!r} needs a summary {slug(feature)} of 1 to "
                             f"{SUMMARY_MAX} characters in scripts/summaries.yaml")
        backgrounds[index] = {
            "name": raw["name"],
            "skills": [skill_index(p) for p in fixed if p.startswith("skill-")],
            "tools": [tools[p] for p in fixed if p in tools],
            "languages": raw.get("language_options", {}).get("choose", 0),
            "feature": feature,
            "feature_summary": summaries[slug(feature)],
        }
    return backgrounds


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def build_subclasses(source: Source) -> dict[str, dict]:
    """The SRD subclasses. `spells` are those gated by class level only; spells that also need a feature
    (a Circle of the Land druid's land) are on that feature (see `feature_spells`)."""
    subclasses = {}
    for index, raw in source["subclasses"].items():
        name, flavor, level = SUBCLASSES[index]
        spells: dict[int, list[str]] = {}
        for entry in raw.get("spells", []):
            gates = entry["prerequisites"]
            if all(g["type"] == "level" for g in gates):
                at = max(int(g["index"].rsplit("-", 1)[1]) for g in gates)
                spells.setdefault(at, []).append(entry["spell"]["index"])
        subclasses[index] = {
            "name": name,
            "flavor": flavor,
            "class": raw["class"]["index"],
            "level": level,
            "spells": {at: list(dict.fromkeys(found)) for at, found in sorted(spells.items())},
            "proficiencies": SUBCLASS_PROFICIENCIES.get(index, []),
        }
        if index in SUBCLASS_SKILL_CHOICES:
            subclasses[index]["skill_choices"] = {"choose": SUBCLASS_SKILL_CHOICES[index],
                                                  "from": sorted(source["skills"])}
    return subclasses


def feature_spells(source: Source) -> dict[str, dict[int, list[str]]]:
    """Feature index -> class level -> spells, for subclass spells that need the feature (the land circles)."""
    found: dict[str, dict[int, list[str]]] = {}
    for raw in source["subclasses"].values():
        for entry in raw.get("spells", []):
            gates = entry["prerequisites"]
            for gate in (g for g in gates if g["type"] == "feature"):
                at = max(int(g["index"].rsplit("-", 1)[1]) for g in gates if g["type"] == "level")
                found.setdefault(gate["index"], {}).setdefault(at, []).append(entry["spell"]["index"])
    return found


class BadSummary(Exception):
    """scripts/summaries.yaml lacks a summary, has one too long, or names an index the pack does not have."""


def load_summaries(path: Path = SUMMARIES) -> dict[str, str]:
    return {str(k): " ".join(str(v).split()) for k, v in yaml.safe_load(path.read_text()).items()}


def build_features(source: Source, summaries: dict[str, str]) -> dict[str, dict]:
    """Class, subclass and racial features (traits, level 0), each with its one-line summary."""
    spells = feature_spells(source)
    features = {}
    for index, raw in source["features"].items():
        if MARKER.search(index):
            continue
        sub = raw.get("subclass")
        feature = {"name": raw["name"], "level": raw["level"],
                   "owner": sub["index"] if sub else raw["class"]["index"]}
        if sub:
            feature["subclass"] = True
        options = (raw.get("feature_specific") or {}).get("subfeature_options")
        feature |= option_fields(raw, options)
        requires = {p["type"].lower(): p.get("level") or p[p["type"].lower()].rsplit("/", 1)[1]
                    for p in raw.get("prerequisites", [])}
        if requires:
            feature["requires"] = requires
        if index in spells:
            feature["spells"] = spells[index]
        features[index] = feature
    for index, raw in source["traits"].items():
        owners = [r["index"] for r in raw.get("races", []) + raw.get("subraces", [])]
        options = (raw.get("trait_specific") or {}).get("subtrait_options")
        features[index] = {"name": raw["name"], "level": 0, "owner": owners[0], **option_fields(raw, options)}
    for index, feature in features.items():  # a later pick from an earlier feature's options (Metamagic at 10th)
        if feature.get("choose") and not any(f.get("parent") == index for f in features.values()):
            first = option_indexes(source["features"][index]["feature_specific"]["subfeature_options"]["from"])[0]
            feature["options"] = features[first]["parent"]
    for index, feature in features.items():
        feature["summary"] = summary(index, source, summaries)
    return dict(sorted(features.items()))


def option_fields(raw: dict, options: dict | None) -> dict:
    fields: dict = {}
    if raw.get("parent"):
        fields["parent"] = raw["parent"]["index"]
    if options:
        fields["choose"] = options["choose"]
    return fields


def summary(index: str, source: Source, summaries: dict[str, str]) -> str:
    """The curated one-line summary, or the first sentence of the source's description."""
    text = summaries.get(index) or summaries.get("ability-score-improvement" if ASI.search(index) else "")
    if not text:
        raw = source["features"].get(index) or source["traits"][index]
        text = re.split(r"(?<=\.)\s", " ".join(" ".join(raw["desc"]).split()), maxsplit=1)[0]
        if len(text) > FALLBACK_MAX:
            text = text[:FALLBACK_MAX].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    if not text or len(text) > SUMMARY_MAX:
        raise BadSummary(f"summary of {index} is {len(text)} characters (1 to {SUMMARY_MAX}): {text!r}")
    return text


def check_summaries(summaries: dict[str, str], pack: dict) -> None:
    known = set(pack["features"]) | {slug(b["feature"]) for b in pack["backgrounds"].values()}
    unknown = sorted(set(summaries) - known - {"ability-score-improvement"})
    if unknown:
        raise BadSummary(f"scripts/summaries.yaml names indexes the pack does not have: {unknown}")


def build_draconic_ancestries(source: Source) -> dict[str, dict]:
    """Colour -> damage type, breath area and save (SRD 5.1, Dragonborn: Draconic Ancestry table)."""
    ancestries = {}
    for index, raw in source["traits"].items():
        if raw.get("parent", {}).get("index") != "draconic-ancestry":
            continue
        breath = raw["trait_specific"]["breath_weapon"]
        area = breath["area_of_effect"]
        ancestries[index.removeprefix("draconic-ancestry-")] = {
            "damage_type": raw["trait_specific"]["damage_type"]["index"],
            "area": f"5 by {area['size']} ft. line" if area["type"] == "line" else f"{area['size']} ft. cone",
            "save": breath["dc"]["dc_type"]["index"],
        }
    return ancestries
