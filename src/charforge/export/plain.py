"""Markdown laid out as a terminal would show it, without colour: the `text` format when piped or written."""

from __future__ import annotations

import io

PLAIN_WIDTH = 100


def markdown_as_text(markdown: str) -> str:
    """Rich's Markdown layout at a fixed width, trailing spaces trimmed, so the same document gives the same bytes."""
    from rich.console import Console
    from rich.markdown import Markdown

    buffer = io.StringIO()
    Console(file=buffer, width=PLAIN_WIDTH, color_system=None, force_terminal=False, highlight=False).print(
        Markdown(markdown))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
