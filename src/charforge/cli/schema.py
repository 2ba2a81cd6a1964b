"""`charforge schema`: the JSON Schema of the --format json contract."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

app = typer.Typer()


class Document(StrEnum):
    CHARACTER = "character"
    BACKGROUND = "background"
    EQUIPMENT = "equipment"
    SPELLS = "spells"


@app.command("schema")
def schema_command(
    document: Annotated[Document, typer.Argument(help="Which document: character (npc), background, "
                                                      "equipment or spells.")] = Document.CHARACTER,
) -> None:
    """Print the JSON Schema of a --format json document (schema_version is in it)."""
    from charforge import models

    model = {"character": models.Character, "background": models.BackgroundDocument,
             "equipment": models.EquipmentDocument, "spells": models.SpellsDocument}[document.value]
    schema = model.model_json_schema(mode="serialization")
    schema["$id"] = f"https://charforge.dev/schema/{document.value}-{models.SCHEMA_VERSION}.json"
    sys.stdout.write(json.dumps(schema, indent=2) + "\n")
