"""How fast does charforge fail when a provider cannot be used? Real CLI runs against tests/fake_llm.py.

    python bench/provider_failures.py

Prints wall time (process start included) and exit code for: a rejected key, `check` against a dead
port, and a generation against a refused connection with --timeout 5. Talks only to 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fake_llm import FakeLLM  # the test suite's fake server

DEAD = "http://127.0.0.1:9"  # the discard port: nothing listens


def timed(args: list[str], **env: str) -> dict[str, object]:
    environ = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "charforge", *args], capture_output=True, text=True,
                            env={**environ, "CHARFORGE_HOME": tempfile.mkdtemp(), **env})
    line = next((line for line in result.stderr.splitlines() if line.startswith("error:")), "")
    return {"seconds": round(time.monotonic() - started, 2), "exit": result.returncode, "error": line}


def main() -> None:
    with FakeLLM() as fake:
        fake.require_key = "sk-the-right-key-123456"
        rejected = timed(["npc", "--provider", "openai"], OPENAI_API_KEY="sk-a-wrong-key-123456",
                         OPENAI_BASE_URL=fake.openai_url)
    dead_check = timed(["check", "--provider", "openai-compatible", "--json"],
                       CHARFORGE_OPENAI_COMPATIBLE_BASE_URL=f"{DEAD}/v1")
    refused = timed(["background", "--provider", "anthropic", "--base-url", DEAD, "--timeout", "5"],
                    ANTHROPIC_API_KEY="sk-any-key-123456789")
    print(json.dumps({"rejected_key": rejected, "check_dead_port": dead_check, "refused_connection": refused},
                     indent=2))


if __name__ == "__main__":
    main()
