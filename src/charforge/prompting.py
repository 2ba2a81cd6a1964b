"""The messages an LLM provider receives for each kind of request.

The model writes prose and picks among options code has already made legal; it never computes a
number. Every list of choices is spelled out, with exact names, so an answer can be checked.
"""

from __future__ import annotations

from charforge.providers.base import Brief, Kind

SYSTEM = (
    "You write characters for tabletop roleplaying games (D&D 5e, SRD 5.1 rules). Code has already computed "
    "every number; you write prose and choose only among the options you are given, using their names "
    "exactly as written. Be concrete and specific: particular places, people, objects and habits, never "
    "generic fantasy filler or famous names from published fiction. Honour every detail the user gave. "
    "Answer with a single JSON object that matches the schema, and nothing else."
)
LENGTHS = {
    "quick": "one or two sentences per story section, one item per list",
    "standard": "three or four sentences per story section, one or two items per list",
    "full": "six to eight sentences per story section, two to four items per list",
}
MAX_TAKEN_NAMES = 40  # enough to steer away from repeats without flooding the prompt


def render(kind: Kind, brief: Brief) -> tuple[str, str]:
    """(system, user) for one request."""
    body = {"background": _background, "equipment": _equipment, "spells": _spells, "portrait": _portrait}[kind]
    return SYSTEM, f"Task: {kind}\n\n{_character(brief)}\n\n{body(brief)}"


def _character(brief: Brief) -> str:
    lines = [
        f"Name: {brief.name or '(invent one: fresh, fitting a ' + brief.ancestry_name.lower() + ', not a stock name)'}",
        f"Ancestry: {brief.ancestry_name}",
        f"Class: {brief.class_title}, level {brief.level}",
        f"Alignment: {brief.alignment or '(choose one of the nine, as an index like neutral-good)'}",
    ]
    if brief.origin:
        lines.append(f"Background: {brief.origin}")
    if brief.concept:
        lines.append(f"Concept: {brief.concept}")
    if brief.setting:
        lines.append(f"Setting: {brief.setting}")
    scores = brief.abilities.model_dump()
    lines.append("Ability scores: " + ", ".join(f"{k.upper()} {v}" for k, v in scores.items()))
    return "\n".join(lines)


def _background(brief: Brief) -> str:
    parts = [
        f"Write the character's story at this length: {LENGTHS[brief.length]}.",
        "Keep the name, alignment and concept exactly as given; where one is missing, choose it. "
        "The alignment field is an index: lawful-good, neutral-good, chaotic-good, lawful-neutral, neutral, "
        "chaotic-neutral, lawful-evil, neutral-evil or chaotic-evil.",
        "origin is the character's background (the one given, or a fitting one). Personality traits, bonds and "
        "flaws are first person; hooks give a game master something to use at the table.",
    ]
    if brief.taken_names:
        parts.append("These names are taken; do not reuse them: " + ", ".join(brief.taken_names[-MAX_TAKEN_NAMES:]))
    return "\n".join(parts)


def _equipment(brief: Brief) -> str:
    shop = "\n".join(f"- {item.name} ({item.price_gp:g} gp)" for item in brief.shop)
    return (
        f"The character already carries its class kit: {', '.join(brief.kit) or 'nothing'}.\n"
        f"Choose purchases that suit the character from this list only, for at most {brief.budget_gp:g} gp in "
        f"total (price x quantity):\n{shop}\n"
        "Also name one to three trinkets: small flavour objects with no rules effect."
    )


def _spells(brief: Brief) -> str:
    parts = []
    for choice in brief.spell_choices:
        target = "cantrips" if choice.label == "cantrips" else "spells"
        parts.append(f"Choose exactly {choice.count} {choice.label} (put them in \"{target}\") from: "
                     + ", ".join(choice.options))
    return "\n".join(parts) + "\nPick spells that fit the character's story and role; use the names exactly."


def _portrait(brief: Brief) -> str:
    looks = f"How the character looks: {brief.appearance}\n" if brief.appearance else ""
    return (f"{looks}Write one image-generation prompt of 60 to 120 words for a portrait of this character in the "
            f"'{brief.style}' style: subject, face, clothing, pose, setting, light. No text or lettering in the image.")
