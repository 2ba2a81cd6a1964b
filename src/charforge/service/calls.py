"""One provider call: render the template, call, read the answer, and record it in the generation log.

Every call is recorded, failed ones included, with its template, tokens, estimated cost, latency
and attempts; keys never reach the record (see `redact`). An answer is read leniently
(`salvage.read`): whatever it validly holds is kept and the rest listed, so a call that got an
answer never fails here, even one the provider gave up on as not JSON or cut off.

The answer budget (`max_tokens`) is the template's, scaled by the length preset (`LENGTH_BUDGET`),
and at most `LOCAL_MAX_TOKENS` for providers that may answer in prompt mode (local servers), so a
runaway small model stops. A `max_tokens` in the provider's settings still wins over both.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from charforge.errors import AnswerError, CharforgeError
from charforge.models import Brief, Kind, Length, Repair, TemplateUse, Usage, answer_schema
from charforge.prices import PriceTable, estimate, load_prices
from charforge.prompts import PromptService, Rendered, TemplateError
from charforge.providers.base import GenerationRequest, ProviderReply, TextProvider
from charforge.redact import redact
from charforge.service import salvage
from charforge.service.salvage import Reading
from charforge.store.generations import CallRecord, GenerationLog

log = logging.getLogger(__name__)
# The templates' max_tokens are for the standard length; a full story needs about half as much again.
LENGTH_BUDGET: dict[Length, float] = {"quick": 0.75, "standard": 1.0, "full": 1.5}
# Most tokens one answer may take from a provider that may answer in prompt mode, i.e. a local server
# (Ollama, llama.cpp, vLLM, LM Studio): about twice a standard npc answer. A small model on a laptop
# writes 5-20 tokens a second, so this bounds a runaway answer to a few minutes; an answer cut here is
# asked again once with twice the room (providers/hosted.py), then read for what it holds.
LOCAL_MAX_TOKENS = 2048


class DryRun(BaseModel):
    """What `--dry-run` prints: exactly what would be sent, and to whom."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    provider: str
    model: str
    kind: str
    template: TemplateUse
    options: dict[str, Any]
    system: str
    user: str
    schema_: dict[str, Any] = Field(alias="schema")


class Caller:
    def __init__(self, provider: TextProvider, prompts: PromptService, *, log: GenerationLog | None = None,
                 command: str = "api") -> None:
        self.provider, self.prompts, self.log, self.command = provider, prompts, log, command
        self.calls: list[CallRecord] = []  # every provider call made, newest last
        self._prices: PriceTable | None = None

    def ask(self, kind: Kind, brief: Brief, model: type[BaseModel], *,
            correction: tuple[dict[str, Any], list[Repair]] | None = None) -> tuple[Reading, TemplateUse | None]:
        """One call, read for what its answer validly holds.

        With `correction` (the usable part of the previous answer and its problems) the model is asked to
        fix them. An answer the provider gave up on (not JSON after its retries, or still cut off with twice
        the room) is read all the same, as far as the provider kept its text.

        Raises:
            ProviderError: the provider could not be reached or refused; there is no answer to read.
        """
        request, rendered = self.prepare(kind, brief, model, correction=correction)
        log.info("asking %s (%s) for %s", self.provider.name, self.provider.model, kind)
        started = time.monotonic()
        try:
            reply = self.provider.generate(request)
        except AnswerError as exc:
            log.info("%s; reading what it holds", exc)
            kept = ProviderReply(text=exc.text, model=self.provider.model, attempts=exc.attempts) \
                if exc.text is not None else None
            self._record(request, rendered, kept, started, error=exc)
            return self._read(kind, exc.text or "", model), rendered.use if rendered else None
        except CharforgeError as exc:
            self._record(request, rendered, None, started, error=exc)
            raise
        log.debug("%s answered %d characters, usage %s", self.provider.name, len(reply.text), reply.usage)
        return self.receive(request, rendered, reply, model, started=started)

    def prepare(self, kind: Kind, brief: Brief, model: type[BaseModel], *,
                correction: tuple[dict[str, Any], list[Repair]] | None = None,
                ) -> tuple[GenerationRequest, Rendered | None]:
        """The request for one call, rendered from the template that wins; nothing is sent."""
        rendered = None
        if self.provider.wants_messages:
            rendered = render(self.prompts, self.provider.name, kind, brief, model)
        else:  # offline and mock read no template, but a bad --var must fail as it would with any provider
            self.prompts.check_variables(kind, self.provider.name)
        user = rendered.user if rendered else ""
        if correction is not None:
            user = f"{user}\n\n{correction_note(*correction)}"
        request = GenerationRequest(
            kind=kind, brief=brief, schema=answer_schema(model), system=rendered.system if rendered else "", user=user,
            max_tokens=self.budget(rendered.options.max_tokens if rendered else None, brief.length),
            temperature=rendered.options.temperature if rendered else None)
        return request, rendered

    def budget(self, template_max: int | None, length: Length) -> int | None:
        """The answer's max_tokens: the template's scaled to the length preset, capped for local servers."""
        scaled = round(template_max * LENGTH_BUDGET[length]) if template_max else None
        if not self._local:
            return scaled
        return min(scaled, LOCAL_MAX_TOKENS) if scaled else LOCAL_MAX_TOKENS

    @property
    def _local(self) -> bool:
        """Whether the provider may answer in prompt mode: a server that cannot enforce a schema, usually local."""
        from charforge.registry import registry

        capabilities = registry().text_provider(self.provider.name).capabilities
        return capabilities.network and "prompt" in capabilities.structured

    def receive(self, request: GenerationRequest, rendered: Rendered | None, reply: ProviderReply,
                model: type[BaseModel], *, started: float | None = None, price_factor: float = 1.0,
                ) -> tuple[Reading, TemplateUse | None]:
        """Record a reply in the log and read it; `price_factor` 0.5 for a provider batch's half price."""
        self._record(request, rendered, reply, time.monotonic() if started is None else started,
                     price_factor=price_factor)
        return self._read(request.kind, reply.text, model), rendered.use if rendered else None

    def _read(self, kind: str, text: str, model: type[BaseModel]) -> Reading:
        reading = salvage.read(text, model)
        if reading.gaps:
            log.info("%s's %s answer lacks %d field(s) or has them wrong: %s", self.provider.name, kind,
                     len(reading.gaps), ", ".join(g.field for g in reading.gaps))
        return reading

    def _record(self, request: GenerationRequest, rendered: Rendered | None, reply: ProviderReply | None,
                started: float, error: CharforgeError | None = None, price_factor: float = 1.0) -> None:
        if self._prices is None:
            self._prices = load_prices()
        usage = reply.usage if reply else Usage()
        model_id = reply.model if reply else self.provider.model
        cost = estimate(self._prices, model_id, input_tokens=usage.input_tokens, output_tokens=usage.output_tokens,
                        cached_tokens=usage.cached_tokens)
        call = CallRecord(
            command=self.command, provider=self.provider.name, model=model_id, kind=request.kind,
            template=rendered.use.name if rendered else None,
            template_version=rendered.use.version if rendered else None,
            request={"system": request.system, "user": request.user, "seed": request.brief.seed,
                     "max_tokens": request.max_tokens, "temperature": request.temperature,
                     "template": rendered.use.model_dump() if rendered else None},
            response=reply.text if reply else None, input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens, cached_tokens=usage.cached_tokens,
            cost_usd=None if cost is None else round(cost * price_factor, 6),
            price_date=self._prices.date, latency_ms=round((time.monotonic() - started) * 1000),
            attempts=reply.attempts if reply else getattr(error, "attempts", 1),
            error=redact(f"{type(error).__name__}: {error}") if error else None,
        )
        self.calls.append(call)
        if self.log is not None:
            self.log.record(call)


def correction_note(previous: dict[str, Any], problems: list[Repair]) -> str:
    """The repair round: what the model answered (its usable part), what was missing or wrong, what to do."""
    listed = "\n".join(f"- {p.field}: {p.problem}" for p in problems)
    shown = json.dumps(previous, default=_plain, ensure_ascii=False)
    return (f"Your previous answer was:\n{shown}\n\nA rules check found these problems:\n"
            f"{listed}\nAnswer again with the whole JSON object, every field included, corrected. Change only what "
            "the problems require, and choose only from the lists given above.")


def _plain(value: Any) -> Any:
    """A kept field that is a model (a purchase) as JSON."""
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else str(value)


def render(prompts: PromptService, provider: str, kind: Kind, brief: Brief, model: type[BaseModel]) -> Rendered:
    """The messages for one request, from the template that wins for (kind, provider)."""
    context = {**brief.model_dump(), "kind": kind, "schema_json": json.dumps(answer_schema(model))}
    rendered = prompts.render(kind, provider, context)
    if rendered.output is not model:
        raise TemplateError(f"{rendered.use.path}: output: {rendered.output.__name__} cannot answer a {kind} "
                            f"request", hint=f"set 'output: {model.__name__}'")
    return rendered


def dry_run(prompts: PromptService, provider: str, model_id: str, kind: Kind, brief: Brief,
            model: type[BaseModel]) -> DryRun:
    """What `--dry-run` prints; needs no key and calls nothing."""
    rendered = render(prompts, provider, kind, brief, model)
    return DryRun(provider=provider, model=model_id, kind=kind, template=rendered.use,
                  options=rendered.options.model_dump(exclude_none=True), system=rendered.system,
                  user=rendered.user, schema_=answer_schema(model))
