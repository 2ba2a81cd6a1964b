"""CharacterService: the one place every command goes through.

Flow of one generation: plan (seeded choices for what the user left out, the numbers and the legal
options) → one provider call per document (rendered from a prompt template, recorded in the
generation log) → validate and repair the picks → assemble the document with provenance. The
service never prints; it returns models.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from charforge import __version__, calls, planning
from charforge.calls import Caller, DryRun
from charforge.config import Settings
from charforge.models import (
    BackgroundAnswer,
    BackgroundDocument,
    Character,
    CharacterSpec,
    Equipment,
    EquipmentAnswer,
    EquipmentDocument,
    EquipmentItem,
    NpcAnswer,
    PortraitPrompt,
    Provenance,
    Repair,
    SpellList,
    SpellsAnswer,
    SpellsDocument,
    TemplateUse,
)
from charforge.planning import Plan
from charforge.prompts import PromptService
from charforge.providers import build, describe
from charforge.providers.base import Brief, Kind, TextProvider
from charforge.rules import equipment as gear
from charforge.rules import identity, legality, stats
from charforge.rules.pack import load

if TYPE_CHECKING:
    from charforge.store.generations import CallRecord, GenerationLog

log = logging.getLogger(__name__)
ANSWERS = {"background": BackgroundAnswer, "equipment": EquipmentAnswer, "spells": SpellsAnswer, "npc": NpcAnswer,
           "portrait": PortraitPrompt}


class CharacterService:
    """Generate backgrounds, equipment, spells and whole characters with one provider.

    Names stay distinct across everything one service instance generates, so a batch run through
    one instance never repeats a name.

    Example:
        service, notice = CharacterService.from_settings(config.resolve().settings)
        character = service.npc(CharacterSpec(class_name="wizard", level=5, seed=42))
    """

    def __init__(self, provider: TextProvider, settings: Settings | None = None, *,
                 prompts: PromptService | None = None, log: GenerationLog | None = None,
                 command: str = "api") -> None:
        self.provider = provider
        self.settings = settings or Settings()
        self.caller = Caller(provider, prompts or PromptService(), log=log, command=command)
        self.taken_names: list[str] = []

    @classmethod
    def from_settings(cls, settings: Settings, *, command: str = "api", prompts: PromptService | None = None,
                      ) -> tuple[CharacterService, str | None]:
        """The service and the notice to show the user about which provider was chosen.

        Provider calls go to the generation log unless `settings.log` is off.
        """
        from charforge.store.db import open_db
        from charforge.store.generations import GenerationLog

        selection = build(settings)
        generation_log = GenerationLog(open_db()) if settings.log else None
        return cls(selection.provider, settings, prompts=prompts, log=generation_log, command=command), \
            selection.notice

    @property
    def calls(self) -> list[CallRecord]:
        return self.caller.calls

    # -- commands ---------------------------------------------------------------------------

    def background(self, spec: CharacterSpec) -> BackgroundDocument:
        plan = self.plan(spec)
        answer, template = self.caller.ask("background", self._brief(plan), BackgroundAnswer)
        story = self._settle_story(plan, answer)
        return BackgroundDocument(**self._identity(plan, story), background=story.background,
                                  provenance=self._provenance(plan, template))

    def equipment(self, spec: CharacterSpec) -> EquipmentDocument:
        plan = self.plan(spec)
        answer, template = self.caller.ask("equipment", self._brief(plan), EquipmentAnswer)
        return EquipmentDocument(**self._subject(plan), **self._settle_equipment(plan, answer).model_dump(),
                                 provenance=self._provenance(plan, template))

    def spells(self, spec: CharacterSpec) -> SpellsDocument:
        plan = self.plan(spec)
        answer, template = (self.caller.ask("spells", self._brief(plan), SpellsAnswer) if plan.groups
                            else (SpellsAnswer(cantrips=[], spells=[]), None))
        return SpellsDocument(**self._subject(plan), **self._settle_spells(plan, answer).model_dump(),
                              provenance=self._provenance(plan, template))

    def npc(self, spec: CharacterSpec) -> Character:
        """The whole character from one seed and one provider call: numbers, story, gear, spells, portrait."""
        plan = self.plan(spec)
        answer, template = self.caller.ask("npc", self._brief(plan), NpcAnswer)
        story = self._settle_story(plan, answer)
        gear_list = self._settle_equipment(plan, EquipmentAnswer(purchases=answer.purchases, trinkets=answer.trinkets))
        spell_list = self._settle_spells(plan, SpellsAnswer(cantrips=answer.cantrips, spells=answer.spells))
        carried = [index for index, _ in plan.kit] + [_index(line) for line in gear_list.equipment
                                                      if line.source == "purchase"]
        sheet = stats.derive_sheet(plan.seed, plan.class_index, plan.ancestry, spec.level, carried,
                                   self.settings.ability_method)
        return Character(**self._identity(plan, story), **sheet.model_dump(exclude={"spellcasting"}),
                         spellcasting=spell_list.spellcasting, spells=spell_list.spells,
                         **gear_list.model_dump(), background=story.background,
                         portrait=PortraitPrompt(prompt=answer.portrait), provenance=self._provenance(plan, template))

    @staticmethod
    def dry_run(settings: Settings, prompts: PromptService, kind: Kind, spec: CharacterSpec) -> DryRun:
        """Exactly what `kind` would send, rendered from the template; needs no key, calls nothing."""
        provider, model = describe(settings)
        brief = planning.brief(planning.plan(spec, settings.ability_method), taken_names=[])
        return calls.dry_run(prompts, provider, model, kind, brief, ANSWERS[kind])

    # -- steps -------------------------------------------------------------------------------

    def plan(self, spec: CharacterSpec) -> Plan:
        return planning.plan(spec, self.settings.ability_method)

    def _brief(self, plan: Plan) -> Brief:
        return planning.brief(plan, taken_names=self.taken_names)

    def _settle_story(self, plan: Plan, answer: BackgroundAnswer) -> BackgroundAnswer:
        """Restore what the user gave, fix the alignment, and remember the name for this batch."""
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

    def _settle_equipment(self, plan: Plan, answer: EquipmentAnswer) -> Equipment:
        items = load().equipment
        bought, repairs = legality.settle_purchases(answer, plan.shop, plan.budget)
        plan.repairs += repairs
        kit = [EquipmentItem(name=items[i].name, quantity=q, source="kit", cost_gp=gear.line_cost(i, q))
               for i, q in plan.kit]
        return Equipment(equipment=kit + bought, trinkets=answer.trinkets, budget_gp=plan.budget,
                         total_cost_gp=round(sum(line.cost_gp for line in bought), 2))

    def _settle_spells(self, plan: Plan, answer: SpellsAnswer) -> SpellList:
        casting = stats.spellcasting(load().classes[plan.class_index], plan.spec.level, plan.abilities)
        if not plan.groups:
            return SpellList(spells=[], spellcasting=casting)
        chosen, repairs = legality.settle_spells(answer, plan.class_index, plan.groups, plan.seed)
        plan.repairs += repairs
        return SpellList(spells=chosen, spellcasting=casting)

    def _subject(self, plan: Plan) -> dict[str, object]:
        """The fields every document opens with (see `models.Subject`)."""
        return {"name": plan.spec.name, "ancestry": plan.ancestry, "class_name": plan.class_index,
                "level": plan.spec.level}

    def _identity(self, plan: Plan, answer: BackgroundAnswer) -> dict[str, object]:
        """`_subject` plus what the story settled (see `models.Identity`)."""
        return {**self._subject(plan), "name": answer.name, "alignment": answer.alignment,
                "concept": answer.concept}

    def _provenance(self, plan: Plan, template: TemplateUse | None) -> Provenance:
        for repair in plan.repairs:
            log.info("repaired %s: %s -> %s", repair.field, repair.problem, repair.action)
        return Provenance(seed=plan.seed, provider=self.provider.name, model=self.provider.model,
                          charforge=__version__, template=template, repairs=plan.repairs)


def _index(line: EquipmentItem) -> str:
    return next(i for i, item in load().equipment.items() if item.name == line.name)
