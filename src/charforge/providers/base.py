"""The contract every text provider keeps.

A provider gets a `GenerationRequest`: what to write (`kind`), everything the rules allow (`Brief`)
and the JSON schema its answer must match. It returns the answer as a JSON object and never
computes a rules number: the service validates and repairs whatever comes back.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from charforge.models import Abilities

Kind = Literal["background", "equipment", "spells", "portrait"]


class SpellChoice(BaseModel):
    """Pick exactly `count` of `options` (spell names)."""

    label: str
    count: int
    options: list[str]


class ShopItem(BaseModel):
    name: str
    price_gp: float
    category: str


class Brief(BaseModel):
    """Everything a provider may use: the character so far and the legal options, all computed."""

    model_config = ConfigDict(frozen=True)

    seed: int
    name: str | None = Field(description="The user's name for the character; keep it when given.")
    ancestry: str
    ancestry_name: str
    people: str = Field(description="The base SRD race of the ancestry, e.g. 'dwarf' for 'hill-dwarf'.")
    class_name: str
    class_title: str
    level: int
    alignment: str | None
    origin: str | None = Field(description="The background the user asked for, if any.")
    concept: str | None
    setting: str | None
    length: Literal["quick", "standard", "full"]
    abilities: Abilities
    kit: list[str] = Field(default_factory=list, description="Starting kit already carried, as 'qty x name'.")
    budget_gp: float = 0
    shop: list[ShopItem] = Field(default_factory=list)
    spell_choices: list[SpellChoice] = Field(default_factory=list)
    appearance: str | None = Field(None, description="For portraits: how the character looks.")
    style: str = Field("painted", description="For portraits: the art style.")
    taken_names: list[str] = Field(default_factory=list, description="Names already used in this batch.")


class GenerationRequest(BaseModel):
    kind: Kind
    brief: Brief
    schema_: dict[str, Any] = Field(alias="schema", description="JSON Schema the answer must match.")


class Usage(BaseModel):
    input_tokens: int = 0
    output_tokens: int = 0


class ProviderReply(BaseModel):
    text: str = Field(description="The answer as the provider sent it: a JSON object, or whatever came back.")
    model: str
    usage: Usage = Field(default_factory=Usage)


class TextProvider(ABC):
    """A text provider. Implementations live one per module in `charforge.providers`."""

    name: ClassVar[str]
    model: str

    @abstractmethod
    def generate(self, request: GenerationRequest) -> ProviderReply:
        """Answer one request.

        Raises:
            ProviderError: the provider could not be reached or refused; nothing was generated.
        """
