"""One provider call: render the template, call, parse, and record it in the generation log.

Every call is recorded, failed ones included, with its template, tokens, estimated cost, latency
and attempts; keys never reach the record (see `redact`).
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from charforge.errors import CharforgeError, GenerationError
from charforge.models import Brief, Kind, Repair, TemplateUse, Usage, answer_schema
from charforge.prices import PriceTable, estimate, load_prices
from charforge.prompts import PromptService, Rendered, TemplateError
from charforge.providers.base import GenerationRequest, ProviderReply, TextProvider
from charforge.redact import redact
from charforge.store.generations import CallRecord, GenerationLog
from charforge.validation import first_error

Answer = TypeVar("Answer", bound=BaseModel)
log = logging.getLogger(__name__)


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

    def ask(self, kind: Kind, brief: Brief, model: type[Answer], *,
            correction: tuple[BaseModel, list[Repair]] | None = None) -> tuple[Answer, TemplateUse | None]:
        """One call. With `correction` (the previous answer and its problems) the model is asked to fix them."""
        request, rendered = self.prepare(kind, brief, model, correction=correction)
        log.info("asking %s (%s) for %s", self.provider.name, self.provider.model, kind)
        started = time.monotonic()
        try:
            reply = self.provider.generate(request)
        except CharforgeError as exc:
            self._record(request, rendered, None, started, error=exc)
            raise
        log.debug("%s answered %d characters, usage %s", self.provider.name, len(reply.text), reply.usage)
        return self.receive(request, rendered, reply, model, started=started)

    def prepare(self, kind: Kind, brief: Brief, model: type[BaseModel], *,
                correction: tuple[BaseModel, list[Repair]] | None = None,
                ) -> tuple[GenerationRequest, Rendered | None]:
        """The request for one call, rendered from the template that wins; nothing is sent."""
        rendered = render(self.prompts, self.provider.name, kind, brief, model) if self.provider.wants_messages \
            else None
        user = rendered.user if rendered else ""
        if correction is not None:
            user = f"{user}\n\n{correction_note(*correction)}"
        request = GenerationRequest(
            kind=kind, brief=brief, schema=answer_schema(model), system=rendered.system if rendered else "", user=user,
            max_tokens=rendered.options.max_tokens if rendered else None,
            temperature=rendered.options.temperature if rendered else None)
        return request, rendered

    def receive(self, request: GenerationRequest, rendered: Rendered | None, reply: ProviderReply,
                model: type[Answer], *, started: float | None = None, price_factor: float = 1.0,
                ) -> tuple[Answer, TemplateUse | None]:
        """Record a reply in the log and parse it; `price_factor` 0.5 for a provider batch's half price.

        Raises:
            GenerationError: the reply is not JSON, or not the answer's schema.
        """
        self._record(request, rendered, reply, time.monotonic() if started is None else started,
                     price_factor=price_factor)
        return self._parse(request.kind, reply.text, model), rendered.use if rendered else None

    def _parse(self, kind: str, text: str, model: type[Answer]) -> Answer:
        try:
            return model.model_validate(json.loads(text))
        except json.JSONDecodeError as exc:
            raise GenerationError(f"{self.provider.name} answered the {kind} request with text that is not "
                                  f"JSON ({exc.msg} at character {exc.pos})",
                                  hint="try again, or use another --provider") from None
        except ValidationError as exc:
            raise GenerationError(f"{self.provider.name}'s {kind} answer does not match the schema: "
                                  f"{first_error(exc, top='the answer')}",
                                  hint="try again, or use another --provider") from None

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


def correction_note(previous: BaseModel, problems: list[Repair]) -> str:
    """The repair round: what the model answered, what the rules check found, what to do."""
    listed = "\n".join(f"- {p.field}: {p.problem}" for p in problems)
    return (f"Your previous answer was:\n{previous.model_dump_json()}\n\nA rules check found these problems:\n"
            f"{listed}\nAnswer again with the whole JSON object, corrected. Change only what the problems require, "
            "and choose only from the lists given above.")


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
