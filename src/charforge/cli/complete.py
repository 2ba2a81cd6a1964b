"""Shell completion for option values: classes, ancestries, alignments and prompt template names.

Typer calls these only while completing (`_CHARFORGE_COMPLETE=complete_bash` and friends, set by the script
`charforge --install-completion` installs), so each imports what it needs inside: `charforge --help` pays for
nothing. Typer keeps only the values that start with what was typed, case-sensitively, so the values offered
are the lowercase indexes the options document (the options themselves accept any case).
"""

from __future__ import annotations


def _matching(names: list[str], incomplete: str) -> list[str]:
    return [name for name in names if name.startswith(incomplete)]


def classes(incomplete: str) -> list[str]:
    """SRD class indexes: barbarian … wizard."""
    from charforge.service import catalog

    return _matching(catalog.classes(), incomplete)


def ancestries(incomplete: str) -> list[str]:
    """SRD race and subrace indexes: dragonborn … tiefling, hill-dwarf, high-elf …"""
    from charforge.service import catalog

    return _matching(catalog.ancestries(), incomplete)


def alignments(incomplete: str) -> list[str]:
    """The nine alignment indexes (lawful-good …); the two-letter forms are accepted but not offered."""
    from charforge.service import catalog

    return _matching(catalog.alignments(), incomplete)


def templates(incomplete: str) -> list[str]:
    """Prompt template names in every layer: the built-ins, your overrides, $CHARFORGE_PROMPTS_DIR."""
    from charforge.errors import CharforgeError
    from charforge.prompts.service import BUILTIN_NAMES, PromptService

    try:
        names = PromptService().names()
    except CharforgeError:
        names = []
    return _matching(sorted({*BUILTIN_NAMES, *names}), incomplete)


def key_providers(incomplete: str) -> list[str]:
    """Providers that take an API key (text and image providers, plugins included)."""
    from charforge.registry import registry

    return _matching(list(registry().key_variables()), incomplete)
