"""CharacterService: the one place every command goes through.

Flow of one generation: resolve the spec (seeded choices for what the user left out) → compute
the numbers and the legal options (`rules`) → ask the provider for prose and picks → validate and
repair the picks → assemble a document with provenance. The service never prints; it returns models.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from charforge import __version__, prompting
from charforge.config import Settings
from charforge.errors import CharforgeError, GenerationError
from charforge.models import (
    Abilities,
    BackgroundAnswer,
    BackgroundDocument,
    Character,
    CharacterSpec,
    Equipment,
    EquipmentAnswer,
    EquipmentDocument,
    EquipmentItem,
    PortraitPrompt,
    Provenance,
    Repair,
    SpellList,
    SpellsAnswer,
    SpellsDocument,
)
from charforge.prices import PriceTable, estimate, load_prices
from charforge.providers import build
from charforge.providers.base import (
    Brief,
    GenerationRequest,
    Kind,
    ProviderReply,
    ShopItem,
    SpellChoice,
    TextProvider,
    Usage,
)
from charforge.redact import redact
from charforge.rules import equipment as gear
from charforge.rules import identity, legality, spells, stats
from charforge.rules.pack import load
from charforge.store.db import open_db
from charforge.store.generations import CallRecord, GenerationLog

Answer = TypeVar("Answer", bound=BaseModel)
log = logging.getLogger(__name__)


@dataclass
class Plan:
    """A character's facts before any prose: resolved identity, numbers and legal options."""

    spec: CharacterSpec
    seed: int
    class_index: str
    ancestry: str
    alignment: str | None
    abilities: Abilities
    groups: list[spells.SpellGroup]
    kit: list[tuple[str, int]]
    budget: float
    shop: list[str]
    repairs: list[Repair] = field(default_factory=list)
    brief: Brief | None = None  # built once per character, then copied with per-call extras


class CharacterService:
    """Generate backgrounds, equipment, spells and whole characters with one provider.

    Names stay distinct across everything one service instance generates, so a batch run through
    one instance never repeats a name.

    Example:
        service = CharacterService.from_settings(config.resolve().settings)
        character = service.npc(CharacterSpec(class_name="wizard", level=5, seed=42))
    """

    def __init__(self, provider: TextProvider, settings: Settings | None = None, *,
                 log: GenerationLog | None = None, command: str = "api") -> None:
        self.provider = provider
        self.settings = settings or Settings()
        self.taken_names: list[str] = []
        self.log = log
        self.command = command
        self.calls: list[CallRecord] = []  # every provider call this service made, newest last
        self._prices: PriceTable | None = None

    @classmethod
    def from_settings(cls, settings: Settings, *, command: str = "api") -> tuple[CharacterService, str | None]:
        """The service and the notice to show the user about which provider was chosen.

        Provider calls go to the generation log unless `settings.log` is off.
        """
        selection = build(settings)
        generation_log = GenerationLog(open_db()) if settings.log else None
        return cls(selection.provider, settings, log=generation_log, command=command), selection.notice

    # -- commands ---------------------------------------------------------------------------

    def background(self, spec: CharacterSpec) -> BackgroundDocument:
        plan = self.plan(spec)
        answer = self._background(plan)
        return BackgroundDocument(**self._identity(plan, answer), background=answer.background,
                                  provenance=self._provenance(plan))

    def equipment(self, spec: CharacterSpec) -> EquipmentDocument:
        plan = self.plan(spec)
        gear_list = self._equipment(plan, spec.name)
        return EquipmentDocument(**self._subject(plan), **gear_list.model_dump(), provenance=self._provenance(plan))

    def spells(self, spec: CharacterSpec) -> SpellsDocument:
        plan = self.plan(spec)
        spell_list = self._spells(plan, spec.name)
        return SpellsDocument(**self._subject(plan), **spell_list.model_dump(), provenance=self._provenance(plan))

    def npc(self, spec: CharacterSpec) -> Character:
        """The whole character: numbers, story, gear, spells and a portrait prompt, from one seed."""
        plan = self.plan(spec)
        story = self._background(plan)
        gear_list = self._equipment(plan, story.name)
        spell_list = self._spells(plan, story.name)
        carried = [idx for idx, _ in plan.kit] + [_index(line) for line in gear_list.equipment
                                                  if line.source == "purchase"]
        sheet = stats.derive_sheet(plan.seed, plan.class_index, plan.ancestry, spec.level, carried,
                                   self.settings.ability_method)
        portrait = self._ask("portrait", self._brief(plan, name=story.name, concept=story.concept,
                                                     appearance=story.background.appearance), PortraitPrompt)
        return Character(**self._identity(plan, story), **sheet.model_dump(exclude={"spellcasting"}),
                         spellcasting=spell_list.spellcasting, spells=spell_list.spells,
                         **gear_list.model_dump(), background=story.background, portrait=portrait,
                         provenance=self._provenance(plan))

    # -- steps -------------------------------------------------------------------------------

    def plan(self, spec: CharacterSpec) -> Plan:
        """Resolve what the user left out (seeded) and compute everything the rules allow."""
        seed = spec.seed if spec.seed is not None else secrets.randbelow(2**32)
        class_index = identity.class_index(spec.class_name, seed)
        ancestry = identity.ancestry_index(spec.ancestry, seed)
        race = load().races[ancestry]
        abilities = stats.ability_scores(seed, class_index, race, spec.level, self.settings.ability_method)
        budget = gear.budget_gp(seed, class_index, spec.level)
        log.info("planned %s level %d %s, seed %d, budget %g gp", class_index, spec.level, ancestry, seed, budget)
        return Plan(
            spec=spec, seed=seed, class_index=class_index, ancestry=ancestry,
            alignment=identity.alignment_index(spec.alignment), abilities=abilities,
            groups=spells.spell_groups(class_index, spec.level, abilities),
            kit=gear.starting_kit(seed, class_index, ancestry), budget=budget,
            shop=gear.shop(class_index, ancestry, budget),
        )

    def _background(self, plan: Plan) -> BackgroundAnswer:
        answer = self._ask("background", self._brief(plan), BackgroundAnswer)
        spec = plan.spec
        given = {"name": spec.name, "alignment": plan.alignment, "concept": spec.concept}
        for key, wanted in given.items():
            if wanted is not None and getattr(answer, key) != wanted:
                plan.repairs.append(Repair(field=key, problem=f"the provider changed the given {key}",
                                           action=f"restored {wanted!r}"))
                answer = answer.model_copy(update={key: wanted})
        if answer.alignment not in identity.ALIGNMENTS:
            plan.repairs.append(Repair(field="alignment", problem=f"{answer.alignment!r} is not an alignment",
                                       action="set to 'neutral'"))
            answer = answer.model_copy(update={"alignment": "neutral"})
        self.taken_names.append(answer.name)
        return answer

    def _equipment(self, plan: Plan, name: str | None) -> Equipment:
        items = load().equipment
        answer = self._ask("equipment", self._brief(plan, name=name), EquipmentAnswer)
        bought, repairs = legality.settle_purchases(answer, plan.shop, plan.budget)
        plan.repairs += repairs
        kit = [EquipmentItem(name=items[i].name, quantity=q, source="kit", cost_gp=gear.line_cost(i, q))
               for i, q in plan.kit]
        return Equipment(equipment=kit + bought, trinkets=answer.trinkets, budget_gp=plan.budget,
                         total_cost_gp=round(sum(line.cost_gp for line in bought), 2))

    def _spells(self, plan: Plan, name: str | None) -> SpellList:
        klass = load().classes[plan.class_index]
        casting = stats.spellcasting(klass, plan.spec.level, plan.abilities)
        if not plan.groups:
            return SpellList(spells=[], spellcasting=casting)
        answer = self._ask("spells", self._brief(plan, name=name), SpellsAnswer)
        chosen, repairs = legality.settle_spells(answer, plan.class_index, plan.groups, plan.seed)
        plan.repairs += repairs
        return SpellList(spells=chosen, spellcasting=casting)

    def _brief(self, plan: Plan, **extra: object) -> Brief:
        if plan.brief is None:
            plan.brief = self._base_brief(plan)
        return plan.brief.model_copy(update=extra)

    def _base_brief(self, plan: Plan) -> Brief:
        pack = load()
        race, klass = pack.races[plan.ancestry], pack.classes[plan.class_index]
        all_spells = pack.spells
        spec = plan.spec
        return Brief(
            seed=plan.seed, name=spec.name, ancestry=plan.ancestry, ancestry_name=race.name,
            people=race.parent or plan.ancestry, class_name=plan.class_index, class_title=klass.name,
            level=spec.level, alignment=plan.alignment, origin=spec.background, concept=spec.concept,
            setting=spec.setting, length=spec.length, abilities=plan.abilities,
            kit=[f"{q} x {pack.equipment[i].name}" for i, q in plan.kit], budget_gp=plan.budget,
            shop=[ShopItem(name=pack.equipment[i].name, price_gp=pack.equipment[i].cost_gp,
                           category=pack.equipment[i].category) for i in plan.shop],
            spell_choices=[SpellChoice(label=g.label, count=g.count,
                                       options=[all_spells[i].name for i in spells.candidates(plan.class_index,
                                                                                             g.levels)])
                           for g in plan.groups],
            taken_names=self.taken_names,
        )

    def _ask(self, kind: Kind, brief: Brief, model: type[Answer]) -> Answer:
        system, user = prompting.render(kind, brief) if self.provider.wants_messages else ("", "")
        request = GenerationRequest(kind=kind, brief=brief, schema=_schema(model), system=system, user=user)
        log.info("asking %s (%s) for %s", self.provider.name, self.provider.model, kind)
        started = time.monotonic()
        try:
            reply = self.provider.generate(request)
        except CharforgeError as exc:
            self._record(request, model, None, started, error=exc)
            raise
        log.debug("%s answered %d characters, usage %s", self.provider.name, len(reply.text), reply.usage)
        self._record(request, model, reply, started)
        try:
            return model.model_validate(json.loads(reply.text))
        except json.JSONDecodeError as exc:
            raise GenerationError(f"{self.provider.name} answered the {kind} request with text that is not "
                                  f"JSON ({exc.msg} at character {exc.pos})",
                                  hint="try again, or use another --provider") from None
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"]) or "the answer"
            raise GenerationError(f"{self.provider.name}'s {kind} answer does not match the schema: "
                                  f"{where}: {err['msg']}", hint="try again, or use another --provider") from None

    def _record(self, request: GenerationRequest, model: type[BaseModel], reply: ProviderReply | None,
                started: float, error: CharforgeError | None = None) -> None:
        """One row per provider call, failed ones included; keys never reach it (see `redact`)."""
        if self._prices is None:
            self._prices = load_prices()
        usage = reply.usage if reply else Usage()
        model_id = reply.model if reply else self.provider.model
        call = CallRecord(
            command=self.command, provider=self.provider.name, model=model_id, kind=request.kind,
            request={"system": request.system, "user": request.user, "schema": model.__name__,
                     "seed": request.brief.seed},
            response=reply.text if reply else None, input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens, cached_tokens=usage.cached_tokens,
            cost_usd=estimate(self._prices, model_id, input_tokens=usage.input_tokens,
                              output_tokens=usage.output_tokens, cached_tokens=usage.cached_tokens),
            price_date=self._prices.date, latency_ms=round((time.monotonic() - started) * 1000),
            attempts=reply.attempts if reply else getattr(error, "attempts", 1),
            error=redact(f"{type(error).__name__}: {error}") if error else None,
        )
        self.calls.append(call)
        if self.log is not None:
            self.log.record(call)

    def _subject(self, plan: Plan) -> dict[str, object]:
        """The fields every document opens with (see `models.Subject`)."""
        return {"name": plan.spec.name, "ancestry": plan.ancestry, "class_name": plan.class_index,
                "level": plan.spec.level}

    def _identity(self, plan: Plan, answer: BackgroundAnswer) -> dict[str, object]:
        """`_subject` plus what the story settled (see `models.Identity`)."""
        return {**self._subject(plan), "name": answer.name, "alignment": answer.alignment,
                "concept": answer.concept}

    def _provenance(self, plan: Plan) -> Provenance:
        for repair in plan.repairs:
            log.info("repaired %s: %s -> %s", repair.field, repair.problem, repair.action)
        return Provenance(seed=plan.seed, provider=self.provider.name, model=self.provider.model,
                          charforge=__version__, repairs=plan.repairs)


@cache
def _schema(model: type[BaseModel]) -> dict[str, Any]:
    """Answer schemas never change in a process; building one costs a millisecond."""
    return model.model_json_schema()


def _index(line: EquipmentItem) -> str:
    return next(i for i, item in load().equipment.items() if item.name == line.name)
