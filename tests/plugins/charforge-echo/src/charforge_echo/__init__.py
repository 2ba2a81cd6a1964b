"""charforge-echo: the example plugin docs/plugins.md describes.

charforge imports this module when it first needs a name that is not a built-in, and calls the two functions
below, which the entry points in pyproject.toml name. They only register: the provider and the format are
named as "module:attribute" strings, so their modules are imported only when `--provider echo` or
`--format statblock-csv` is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from charforge.registry import Capabilities

if TYPE_CHECKING:
    from charforge.registry import Registry

MODEL = "echo-1"


def register_providers(registry: Registry) -> None:
    """Entry point of the group `charforge.providers`."""
    registry.add_text_provider(
        "echo",
        factory="charforge_echo.provider:build",
        settings="charforge_echo.provider:EchoSettings",  # the `echo:` section of config.yaml
        default_model=MODEL,
        capabilities=Capabilities(messages=False, network=False, seeds=True),
        prices={MODEL: {"input": 0.25, "output": 1.0}},  # USD per million tokens, for the generation log
        description="The offline tables' answer with a greeting in front: an example plugin.",
    )


def register_exporters(registry: Registry) -> None:
    """Entry point of the group `charforge.exporters`."""
    registry.add_exporter(
        "statblock-csv",
        factory="charforge_echo.statblock:to_csv",
        extension=".csv",
        kinds=("character",),  # `charforge npc` only; other commands refuse the format before any work
        description="One CSV row of a character's numbers, with a header line.",
    )
