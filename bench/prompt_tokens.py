"""How big is the prompt for one full NPC? Characters sent, and tokens estimated at 4 characters each.

    python bench/prompt_tokens.py                 # a spread of classes and levels, per provider variant

There is no tokenizer offline, so tokens are estimated (chars / 4, the usual rule of thumb for
English); the generation log holds the provider's real counts once a provider is used.
"""

from __future__ import annotations

import json

from charforge.models import CharacterSpec, NpcAnswer
from charforge.prompts import PromptService
from charforge.service import planning
from charforge.service.calls import answer_schema, render

CASES = [("fighter", 1), ("rogue", 3), ("wizard", 5), ("cleric", 5), ("bard", 9), ("warlock", 11), ("wizard", 20)]


def main() -> None:
    prompts = PromptService()
    rows = []
    for class_name, level in CASES:
        plan = planning.plan(CharacterSpec(class_name=class_name, level=level, seed=1))
        brief = planning.brief(plan, taken_names=[])
        for provider in ("anthropic", "openai", "openai-compatible"):
            rendered = render(prompts, provider, "npc", brief, NpcAnswer)
            chars = len(rendered.system) + len(rendered.user) + len(json.dumps(answer_schema(NpcAnswer)))
            rows.append({"class": class_name, "level": level, "provider": provider, "chars": chars,
                         "tokens_est": chars // 4})
    for row in rows:
        print(json.dumps(row))
    worst = max(r["tokens_est"] for r in rows)
    typical = [r["tokens_est"] for r in rows if r["level"] <= 5]
    print(json.dumps({"max_tokens_est": worst, "level_1_to_5_max": max(typical)}))


if __name__ == "__main__":
    main()
