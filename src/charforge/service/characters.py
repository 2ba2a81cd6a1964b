"""CharacterService: the one place every command goes through.

Flow of one generation: plan (seeded choices for what the user left out, the numbers and the legal
options) → one provider call per document (rendered from a prompt template, recorded in the
generation log) → read the answer for every field it validly holds (`salvage`) → settle it (rules,
the user's own fields, length, unique names); when a field was missing or wrong or something serious
was found, one repair round back to the model with the list of problems; then what is still missing
is filled from the offline generator for the same brief, and what is still wrong is replaced
deterministically → assemble the document with provenance. Every filled field is a `Repair`, and
`notices` says how much was filled; with `settings.strict` a fill is a `FilledAnswerError` instead.
The service never prints; it returns models (and `notices`, which the CLI shows).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from charforge import __version__
from charforge.config import Settings
from charforge.errors import FilledAnswerError, GenerationError
from charforge.models import (
    ANSWER_MODELS,
    BackgroundAnswer,
    BackgroundDocument,
    Brief,
    Character,
    CharacterSpec,
    EquipmentAnswer,
    EquipmentDocument,
    Kind,
    NpcAnswer,
    PortraitPrompt,
    Provenance,
    Repair,
    SpellsAnswer,
    SpellsDocument,
    TakenNames,
    TemplateUse,
    UsageTotals,
)
from charforge.prompts import PromptService
from charforge.providers import build, describe
from charforge.providers.base import GenerationRequest, ProviderReply, TextProvider
from charforge.rules.lookup import find_item
from charforge.rules.sheet import purse, whole_sheet
from charforge.rules.spell_picks import spellbook_entries
from charforge.service import calls, planning, salvage, settle
from charforge.service.calls import Caller, DryRun
from charforge.service.planning import Plan
from charforge.service.salvage import Reading

if TYPE_CHECKING:
    from charforge.store.generations import CallRecord, GenerationLog
    from charforge.store.names import NameRegistry

log = logging.getLogger(__name__)
NAME_TRIES = 5
NOTICE_FIELDS = 5  # filled fields a notice names (the provenance lists them all)
Answer = TypeVar("Answer", bound=BaseModel)
Result = TypeVar("Result")


class CharacterService:
    """Generate backgrounds, equipment, spells and whole characters with one provider.

    Names stay distinct across everything one service instance generates (and across a setting's
    earlier generations when `taken_names` is seeded from its registry).

    Example:
        service, notice = CharacterService.from_settings(config.resolve().settings)
        character = service.npc(CharacterSpec(class_name="wizard", level=5, seed=42))
    """

    def __init__(self, provider: TextProvider, settings: Settings | None = None, *,
                 prompts: PromptService | None = None, log: GenerationLog | None = None,
                 registry: NameRegistry | Callable[[], NameRegistry] | None = None, command: str = "api",
                 name_scope: str | None = None) -> None:
        self.provider = provider
        self.settings = settings or Settings()
        self.caller = Caller(provider, prompts or PromptService(), log=log, command=command)
        self._registry = registry  # or a function that opens it: only a --setting run needs the database
        self.name_scope = name_scope  # names stay unique in this registry scope too (a batch), across processes
        self.taken_names = TakenNames()
        self._scopes_seen: set[str] = set()
        self.notices: list[str] = []  # for the user, about the latest document: how much of it was filled

    @classmethod
    def from_settings(cls, settings: Settings, *, command: str = "api", prompts: PromptService | None = None,
                      buffered_log: bool = False) -> tuple[CharacterService, str | None]:
        """The service and the notice to show the user about which provider was chosen.

        Provider calls go to the generation log unless `settings.log` is off; `buffered_log` holds them
        until `caller.log.flush()` (a batch worker writes a chunk of jobs' calls at once).
        """
        from charforge.store.db import open_db
        from charforge.store.generations import GenerationLog
        from charforge.store.names import NameRegistry

        selection = build(settings)
        if settings.log:
            conn = open_db()
            generation_log, registry = GenerationLog(conn, buffered=buffered_log), NameRegistry(conn)
        else:
            generation_log, registry = None, lambda: NameRegistry(open_db())
        service = cls(selection.provider, settings, prompts=prompts, log=generation_log, registry=registry,
                      command=command)
        return service, selection.notice

    @property
    def calls(self) -> list[CallRecord]:
        return self.caller.calls

    # -- commands ---------------------------------------------------------------------------

    def background(self, spec: CharacterSpec) -> BackgroundDocument:
        plan = self.plan(spec)

        def settle_story(answer: BackgroundAnswer) -> tuple[BackgroundAnswer, list[Repair]]:
            return settle.story(plan, answer, self.taken_names)

        story, template = self._named(plan, lambda: self._answer("background", plan, BackgroundAnswer, settle_story),
                                      lambda story: settle_story(story), lambda story: story.name)
        return BackgroundDocument(**self._identity(plan, story), background=story.background,
                                  provenance=self._provenance(plan, template))

    def equipment(self, spec: CharacterSpec) -> EquipmentDocument:
        plan = self.plan(spec)
        gear_list, template = self._answer("equipment", plan, EquipmentAnswer,
                                           lambda a: settle.equipment(plan, a))
        return EquipmentDocument(**self._subject(plan), **gear_list.model_dump(),
                                 provenance=self._provenance(plan, template))

    def spells(self, spec: CharacterSpec) -> SpellsDocument:
        plan = self.plan(spec)
        if plan.groups:
            spell_list, template = self._answer("spells", plan, SpellsAnswer, lambda a: settle.spells(plan, a))
        else:  # nothing to ask for, but a bad --template or --var fails as it does for a caster
            self.caller.prompts.check_variables("spells", self.caller.provider.name)
            spell_list, template = settle.spells(plan, SpellsAnswer(cantrips=[], spells=[]))[0], None
        return SpellsDocument(**self._subject(plan), **spell_list.model_dump(),
                              provenance=self._provenance(plan, template))

    def npc(self, spec: CharacterSpec) -> Character:
        """The whole character from one seed and one provider call: numbers, story, gear, spells, portrait."""
        plan = self.plan(spec)
        return self._npc(plan, lambda settle_all: self._answer("npc", plan, NpcAnswer, settle_all))

    def npc_request(self, spec: CharacterSpec) -> GenerationRequest:
        """What `npc(spec)` would send, for a provider's batch API (the spec must carry its seed)."""
        return self.caller.prepare("npc", self._brief(self.plan(spec)), NpcAnswer)[0]

    def npc_from_reply(self, spec: CharacterSpec, reply: ProviderReply, *, price_factor: float = 1.0) -> Character:
        """The character for a reply that came back from a provider's batch API.

        Settled like any answer, with no repair round (that would be another batch): whatever is wrong is
        replaced deterministically, so the character is legal.
        """
        plan = self.plan(spec)
        request, rendered = self.caller.prepare("npc", self._brief(plan), NpcAnswer)

        def received(settle_all: Callable[[NpcAnswer], tuple[Result, list[Repair]]]) -> tuple[Result, Any]:
            start = len(self.calls)
            reading, template = self.caller.receive(request, rendered, reply, NpcAnswer, price_factor=price_factor)
            result, repairs = self._complete("npc", plan, request.brief, reading, NpcAnswer, settle_all)
            plan.repairs += repairs
            plan.usage = self._usage_since(start)
            return result, template

        return self._npc(plan, received)

    def _npc(self, plan: Plan, answer_with: Callable[[Callable[..., Any]], tuple[Any, TemplateUse | None]],
             ) -> Character:
        """Settle an npc answer into a whole character; `answer_with(settle_all)` gets and settles the answer."""

        def settle_all(answer: NpcAnswer) -> tuple[tuple[NpcAnswer, BackgroundAnswer, Any, Any], list[Repair]]:
            story, story_fixes = settle.story(plan, answer, self.taken_names)
            gear_list, gear_fixes = settle.equipment(plan, EquipmentAnswer(purchases=answer.purchases,
                                                                           trinkets=answer.trinkets))
            spell_list, spell_fixes = settle.spells(plan, SpellsAnswer(cantrips=answer.cantrips, spells=answer.spells))
            return (answer, story, gear_list, spell_list), story_fixes + gear_fixes + spell_fixes

        (answer, story, gear_list, spell_list), template = self._named(
            plan, lambda: answer_with(settle_all), lambda parts: settle_all(parts[0]), lambda parts: parts[1].name)
        # Everything listed, kit and purchases: armour a purchase replaced is no longer among the kit lines.
        carried = [(find_item(line.name)[0], line.quantity) for line in gear_list.equipment]
        sheet, rest = whole_sheet(seed=plan.seed, class_index=plan.class_index, ancestry=plan.ancestry,
                                  level=plan.spec.level, items=carried, spells=spell_list.spells,
                                  origin=story.background.origin, method=self.settings.ability_method,
                                  spellbook=spellbook_entries(plan.seed, plan.class_index, plan.spec.level,
                                                              spell_list.spells),
                                  coins=purse(gear_list.budget_gp - gear_list.total_cost_gp))
        return Character(**self._identity(plan, story), **_fields(sheet, exclude="spellcasting"),
                         spellcasting=spell_list.spellcasting, spells=spell_list.spells,
                         **_fields(gear_list), **_fields(rest), background=story.background,
                         portrait=PortraitPrompt(prompt=answer.portrait), provenance=self._provenance(plan, template))

    @staticmethod
    def dry_run(settings: Settings, prompts: PromptService, kind: Kind, spec: CharacterSpec) -> DryRun:
        """Exactly what `kind` would send, rendered from the template; needs no key, calls nothing."""
        provider, model = describe(settings)
        brief = planning.brief(planning.plan(spec, settings.ability_method), taken_names=[])
        return calls.dry_run(prompts, provider, model, kind, brief, ANSWER_MODELS[kind])

    # -- steps -------------------------------------------------------------------------------

    def plan(self, spec: CharacterSpec) -> Plan:
        self.notices = []
        plan = planning.plan(spec, self.settings.ability_method)
        for scope in self._scopes(plan):  # names the setting or batch already has, read once
            if scope in self._scopes_seen:
                continue
            self._scopes_seen.add(scope)
            known = {p.name: None for p in plan.canon.npcs} if plan.canon and scope == plan.canon.key else {}
            known |= self.registry.owners(scope) if self.registry else {}
            for name, owner in known.items():
                self.taken_names.append(name, owner)
        self.taken_names.exempt = _owner(plan)  # this spec's own name (from a run that crashed) is not taken
        return plan

    def _scopes(self, plan: Plan) -> list[str]:
        return [scope for scope in (plan.canon.key if plan.canon else None, self.name_scope) if scope]

    @property
    def registry(self) -> NameRegistry | None:
        if callable(self._registry):
            self._registry = self._registry()
        return self._registry

    def _named(self, plan: Plan, ask: Callable[[], tuple[Result, TemplateUse | None]],
               settle_again: Callable[[Result], tuple[Result, list[Repair]]], name_of: Callable[[Result], str],
               ) -> tuple[Result, TemplateUse | None]:
        """`ask()`, then claim the name; when another process took it meanwhile, choose again.

        A provider that calls no server draws again (so its story tells the new name); an LLM's answer is
        settled again instead, which renames it without paying for another call.
        """
        result, template = ask()
        for _ in range(NAME_TRIES):
            name = name_of(result)
            if self._remember(plan, name):
                return result, template
            plan.repairs.append(Repair(field="name", problem=f"{name!r} was taken by another worker meanwhile",
                                       action="chose again"))
            if self.provider.calls_out:
                result, repairs = settle_again(result)
                plan.repairs += repairs
            else:
                result, template = ask()
        raise GenerationError(f"no free name after {NAME_TRIES} tries", hint="the name tables may be exhausted for "
                              "this setting; add names to its 'names:' lists")

    def _remember(self, plan: Plan, name: str) -> bool:
        """Record a generated name; False when a scope already had it for someone else (another process got
        there first). The same spec and seed generated again (a job run twice after a crash) is its owner."""
        owner = _owner(plan)
        scopes = self._scopes(plan)
        if not scopes or plan.spec.name is not None or self.registry is None:  # a user's name is theirs to repeat
            self.taken_names.append(name, owner)
            return True
        ours = all([self.registry.add(scope, name, owner=owner) for scope in scopes])
        self.taken_names.append(name, owner if ours else None)  # someone else's: taken for every spec here
        return ours

    def _brief(self, plan: Plan) -> Brief:
        return planning.brief(plan, taken_names=self.taken_names)

    def _answer(self, kind: Kind, plan: Plan, model: type[Answer],
                settle_fn: Callable[[Answer], tuple[Result, list[Repair]]]) -> tuple[Result, TemplateUse | None]:
        """Ask, read, settle; when a field was missing or wrong, or something serious was found, ask once
        more with the problems listed, keeping the first answer's valid fields that the second lacks.

        What is still missing after that round is filled from the offline generator, and what is still
        wrong was replaced by `settle_fn`: the result is complete and legal.

        Raises:
            FilledAnswerError: `settings.strict` is on and fields had to be filled.
        """
        brief = self._brief(plan)
        start = len(self.calls)
        reading, template = self.caller.ask(kind, brief, model)
        fallback = _Fallback(kind, brief)
        answer, fills = salvage.complete(reading, fallback.answer, model) if reading.gaps else \
            (model.model_validate(reading.values), [])
        settled = settle_fn(answer)
        problems = fills + settle.serious(reading.notes + settled[1])
        if problems and self.settings.repair_rounds and self.provider.wants_messages:
            log.info("%d problem(s) in the %s answer; asking %s to correct them", len(problems), kind,
                     self.provider.name)
            plan.repairs.append(Repair(field=kind, problem=f"{len(problems)} problem(s) in the first answer",
                                       action="asked the provider to correct them"))
            again, template = self.caller.ask(kind, brief, model, correction=(reading.values, problems))
            reading, settled = again.over(reading), None
        # Without a repair round the reading is unchanged, and settling is a pure function of it (names are
        # claimed only after this returns), so the first settle is reused instead of run again.
        result, repairs = self._complete(kind, plan, brief, reading, model, settle_fn, fallback, settled=settled)
        plan.repairs += repairs
        plan.usage = self._usage_since(start)
        return result, template

    def _complete(self, kind: Kind, plan: Plan, brief: Brief, reading: Reading, model: type[Answer],
                  settle_fn: Callable[[Answer], tuple[Result, list[Repair]]],
                  fallback: _Fallback | None = None, *,
                  settled: tuple[Result, list[Repair]] | None = None) -> tuple[Result, list[Repair]]:
        """Fill the reading's gaps from the offline generator (noting how many), then settle it; `settled` is
        `settle_fn`'s result for this very reading when the caller has it already.

        Raises:
            FilledAnswerError: `settings.strict` is on and fields had to be filled.
        """
        if not reading.gaps:
            result, repairs = settled or settle_fn(model.model_validate(reading.values))
            return result, reading.notes + repairs
        filled = [gap.field for gap in reading.gaps]
        total = len(salvage.leaves(model))
        who = f"{self.provider.model}'s answer"
        if self.settings.strict:
            raise FilledAnswerError(
                f"--strict: {len(filled)} of {total} {kind} fields would come from the offline generator, as "
                f"{who} {_lacked(reading)}: {', '.join(filled)}", fields=filled,
                hint="drop --strict (or 'strict: false') to accept them, or try another --model")
        answer, fills = salvage.complete(reading, (fallback or _Fallback(kind, brief)).answer, model)
        shown = ", ".join(filled[:NOTICE_FIELDS]) + (f" and {len(filled) - NOTICE_FIELDS} more"
                                                      if len(filled) > NOTICE_FIELDS else "")
        self.notices.append(f"{len(filled)} of {total} {kind} fields came from the offline generator: {who} "
                            f"{_lacked(reading)} ({shown})")
        result, repairs = settled or settle_fn(answer)
        return result, reading.notes + fills + repairs

    def _usage_since(self, start: int) -> UsageTotals:
        """The provider calls made since `self.calls[start]`, added up."""
        made = self.calls[start:]
        costs = [c.cost_usd for c in made if c.cost_usd is not None]
        return UsageTotals(calls=len(made), input_tokens=sum(c.input_tokens for c in made),
                           output_tokens=sum(c.output_tokens for c in made),
                           cost_usd=round(sum(costs), 6) if costs else None)

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
                          charforge=__version__, template=template, usage=plan.usage, repairs=plan.repairs,
                          spec=plan.spec.model_copy(update={"seed": plan.seed}))


class _Fallback:
    """The offline generator's answer for the same brief (and so the same seed), made when first needed."""

    def __init__(self, kind: Kind, brief: Brief) -> None:
        self.kind, self.brief = kind, brief
        self._answer: dict[str, Any] | None = None

    @property
    def answer(self) -> dict[str, Any]:
        if self._answer is None:
            from charforge.providers.offline import OfflineProvider

            self._answer = OfflineProvider().answer(self.kind, self.brief)
        return self._answer


def _fields(model: BaseModel, *, exclude: str = "") -> dict[str, Any]:
    """A model's fields as they are, to build a bigger model from: the same values as `model_dump()` gives, without
    turning every nested model into a dict only for it to be validated back."""
    return {name: getattr(model, name) for name in type(model).model_fields if name != exclude}


def _lacked(reading: Reading) -> str:
    """Why fields were filled, in a few words."""
    if reading.truncated:
        return "was cut off before them"
    missing = sum(gap.problem == "missing" for gap in reading.gaps)
    return "lacked them" if missing == len(reading.gaps) else "had them wrong" if not missing \
        else "lacked or garbled them"


def _owner(plan: Plan) -> str:
    """Who a generated name belongs to: the spec with its seed (the same spec and seed make the same character)."""
    return hashlib.sha256(plan.spec.model_copy(update={"seed": plan.seed}).model_dump_json().encode()).hexdigest()[:16]


def replay_source(path: Path) -> Provenance:
    """The provenance of a character document, for `npc --replay`; the path '-' reads it from stdin."""
    from charforge.errors import UsageError
    from charforge.inputs import read_document

    try:
        data = json.loads(read_document(path, option="--replay"))
        provenance = Provenance.model_validate(data["provenance"])
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--replay {path}: cannot read it ({exc})", hint="give a file from 'npc --format json'") \
            from None
    except (ValueError, KeyError, TypeError, ValidationError, RecursionError):
        raise UsageError(f"--replay {path}: not a charforge character document with provenance",
                         hint="give a file written by 'charforge npc --format json'") from None
    if provenance.spec is None:
        raise UsageError(f"--replay {path}: its provenance records no spec (made by an older charforge)",
                         hint="regenerate it with --seed instead")
    return provenance

