"""Rendering a cached template vs loading it fresh each time (parse YAML, validate, compile Jinja).

    python bench/prompt_render.py                       # 10,000 cached renders, 1,000 uncached
    python bench/prompt_render.py --cached 1000 --uncached 100
"""

from __future__ import annotations

import argparse
import json
import time

from charforge.prompts import PromptService
from charforge.service.planning import sample_context


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cached", type=int, default=10_000)
    parser.add_argument("--uncached", type=int, default=1_000)
    parser.add_argument("--template", default="npc")
    parser.add_argument("--provider", default="anthropic")
    args = parser.parse_args()
    service = PromptService()
    context = sample_context(args.template)
    service.render(args.template, args.provider, context)  # warm: compile once

    started = time.perf_counter()
    for _ in range(args.cached):
        service.render(args.template, args.provider, context)
    cached = time.perf_counter() - started

    started = time.perf_counter()
    for _ in range(args.uncached):
        PromptService._cache.clear()
        service.render(args.template, args.provider, context)
    uncached = time.perf_counter() - started

    print(json.dumps({
        "template": args.template, "provider": args.provider,
        "cached": {"renders": args.cached, "seconds": round(cached, 3),
                   "per_render_ms": round(1000 * cached / args.cached, 4)},
        "uncached": {"renders": args.uncached, "seconds": round(uncached, 3),
                     "per_render_ms": round(1000 * uncached / args.uncached, 4)},
        "speedup": round((uncached / args.uncached) / (cached / args.cached), 1),
    }))


if __name__ == "__main__":
    main()
