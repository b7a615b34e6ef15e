"""Questionnaires for a client: administer (or save a draft), score, keep the history, correct by
marking an administration as entered in error. Each change validates, runs in a transaction and
writes an audit entry with the actor passed in; a refused change raises and saves nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ecomap.audit import services as audit
from ecomap.core.refusal import Conflict, Refusal

from . import instruments as defs
from .models import Administration, Status

score = defs.score


class MeasuresError(Refusal):
    """A rule refused the change; its messages are for the user, by question or field."""


class AlreadyCompleted(Conflict, MeasuresError):
    """The draft was completed meanwhile (in another tab, by a colleague): 409."""


def instruments(*, installed: bool | None = None) -> list[defs.Instrument]:
    """Every instrument in title order; `installed=True` leaves out the bring-your-own-licence
    instruments whose licensed definition the deployment has not supplied."""
    found = list(defs.registry().values())
    if installed is not None:
        found = [i for i in found if i.installed == installed]
    return found


def get_instrument(slug: str) -> defs.Instrument:
    instrument = defs.registry().get(slug)
    if instrument is None:
        raise MeasuresError(_("There is no questionnaire called “%(slug)s”.") % {"slug": slug})
    return instrument


def find_instrument(slug: str) -> defs.Instrument | None:
    """The instrument `slug`, or None when no definition has it (any more)."""
    return defs.registry().get(slug)


def installed_instrument(slug: str) -> defs.Instrument:
    """The instrument `slug` if it can be given, else MeasuresError saying why not."""
    instrument = get_instrument(slug)
    if not instrument.installed:
        raise MeasuresError(_("%(title)s is not installed: supply the licensed definition file.")
                            % {"title": instrument.title})
    return instrument


def _messages(instrument: defs.Instrument, answers: dict, *, complete: bool) -> dict[str, str]:
    """Answer problems by item key, as messages for the user."""
    errors = {}
    for key, problem in defs.answer_errors(instrument, answers, complete=complete).items():
        item = instrument.item(key)
        if item is None:
            errors[key] = _("This is not a question of %(title)s.") % {"title": instrument.title}
        elif problem.startswith("the answer"):
            errors[key] = _("Question %(n)s: choose one of the answers given.") % {"n": item.number}
        else:
            errors[key] = _("Question %(n)s needs an answer.") % {"n": item.number}
    if complete and not errors and not any(
            defs.coerce(item, answers.get(item.key)) is not None for item in instrument.items):
        errors["__all__"] = _("Answer at least one question.")
    return errors


def clean_answers(instrument: defs.Instrument, answers: dict, *, complete: bool) -> dict:
    """The answers as stored (scale values, unanswered items left out), or MeasuresError with a
    message per question (keyed by the item's key)."""
    answers = dict(answers or {})
    errors = _messages(instrument, answers, complete=complete)
    if errors:
        raise MeasuresError({key: [message] for key, message in errors.items()})
    cleaned = {}
    for item in instrument.items:
        value = defs.coerce(item, answers.get(item.key))
        if value is not None:
            cleaned[item.key] = value
    return cleaned


def frozen_scores(instrument: defs.Instrument, answers: dict) -> dict:
    return {key: result.as_json() for key, result in defs.score(instrument, answers).items()}


@transaction.atomic
def administer(client, slug: str, answers: dict, *, actor, draft: bool = False,
               administered_on: date | None = None, note: str = "",
               administration: Administration | None = None) -> Administration:
    """Record answers to a questionnaire. `draft=True` keeps a partial set unscored, to finish later;
    otherwise every required question must be answered and the administration is scored and frozen.
    Pass the draft as `administration` to continue it. Nothing is saved when anything is wrong."""
    instrument = installed_instrument(slug)
    administered_on = administered_on or timezone.localdate()  # Administration.clean() checks it
    if administration is not None:
        administration = Administration.objects.select_for_update().get(pk=administration.pk)
        if administration.client_id != client.pk or administration.instrument != slug:
            raise MeasuresError(_("This draft belongs to another questionnaire."))
        if not administration.is_draft:
            raise AlreadyCompleted(_("This questionnaire was completed and cannot be changed. "
                                     "Give it again, or mark it as entered in error."))
    cleaned = clean_answers(instrument, answers, complete=not draft)
    created = administration is None
    if created:
        administration = Administration(client=client, instrument=slug, administered_by=actor)
    administration.instrument_title = instrument.title
    administration.administered_on = administered_on
    administration.answers = cleaned
    administration.note = (note or "").strip()
    if draft:
        administration.status, administration.scores = Status.DRAFT, {}
    else:
        administration.status = Status.COMPLETED
        administration.scores = {"version": instrument.version,
                                 "results": frozen_scores(instrument, cleaned)}
        administration.completed_at = timezone.now()
    administration.full_clean(exclude=["answers", "scores"])
    administration.save()
    audit.record("ecomap.measures.draft_saved" if draft else "ecomap.measures.administered",
                 actor=actor, client=client, obj=administration,
                 data={"instrument": slug, "answered": len(cleaned),
                       "continued_draft": not created})
    return administration


@transaction.atomic
def mark_entered_in_error(administration: Administration, *, actor, reason: str) -> Administration:
    reason = " ".join((reason or "").split())
    if not reason:
        raise MeasuresError({"reason": _("Say why this administration was entered in error.")})
    administration = Administration.objects.select_for_update().get(pk=administration.pk)
    if administration.is_draft:
        raise MeasuresError(_("A draft is not part of the record; finish it or leave it."))
    if administration.entered_in_error:
        raise MeasuresError(_("This administration is already marked as entered in error."))
    administration.entered_in_error = True
    administration.error_reason = reason
    administration.error_marked_by = actor
    administration.error_marked_at = timezone.now()
    administration.save(update_fields=["entered_in_error", "error_reason", "error_marked_by",
                                       "error_marked_at"])
    audit.record("ecomap.measures.entered_in_error", actor=actor, client=administration.client,
                 obj=administration, changes={"entered_in_error": [False, True]},
                 data={"instrument": administration.instrument, "reason": reason})
    return administration


def history(client, slug: str) -> list[Administration]:
    """The completed administrations that count, oldest first (one query)."""
    return list(Administration.objects.counted().filter(client=client, instrument=slug)
                .order_by("administered_on", "pk"))


def drafts(client, slug: str | None = None) -> list[Administration]:
    queryset = Administration.objects.filter(client=client, status=Status.DRAFT)
    if slug:
        queryset = queryset.filter(instrument=slug)
    return list(queryset.order_by("-updated_at"))


# --------------------------------------------------------------------------------------------------
# Reading scores back


@dataclass
class Point:
    """One score of one administration, as frozen when it was completed."""

    administration: Administration
    value: float | None
    band: str
    display: str


def points(administrations: list[Administration], score_key: str) -> list[Point]:
    found = []
    for administration in administrations:
        result = administration.scores.get("results", {}).get(score_key) or {}
        found.append(Point(administration, result.get("value"), result.get("band", ""),
                           result.get("display", "—")))
    return found


def change(first: float | None, last: float | None, decimals: int) -> str:
    """The signed change as text, or '' when either end has no value."""
    if first is None or last is None:
        return ""
    delta = round(last - first, decimals)
    if delta == 0:
        return f"{0:.{decimals}f}"
    return f"{delta:+.{decimals}f}"


@dataclass
class Latest:
    instrument: defs.Instrument | None
    slug: str
    title: str
    latest: Administration
    first: Administration
    score: defs.ScoreDef | None
    value: str
    band: str
    change: str
    count_is_one: bool


def latest_by_instrument(client) -> list[Latest]:
    """Per instrument the client has completed: the latest administration's primary score, its
    band, and the change since the first. One query, whatever the length of the history."""
    base = Administration.objects.counted().filter(client=client, instrument=OuterRef("instrument"))
    rows = list(
        Administration.objects.counted().filter(client=client)
        .annotate(latest_pk=Subquery(base.order_by("-administered_on", "-pk").values("pk")[:1]),
                  first_pk=Subquery(base.order_by("administered_on", "pk").values("pk")[:1]))
        .filter(Q(pk=F("latest_pk")) | Q(pk=F("first_pk")))
        .only("pk", "instrument", "instrument_title", "administered_on", "scores")
    )
    by_slug: dict[str, dict] = {}
    for row in rows:
        entry = by_slug.setdefault(row.instrument, {})
        if row.pk == row.latest_pk:
            entry["latest"] = row
        if row.pk == row.first_pk:
            entry["first"] = row
    registry = defs.registry()
    found = []
    for slug, entry in by_slug.items():
        instrument = registry.get(slug)
        score_def = instrument.primary_score if instrument else None
        key = score_def.key if score_def else ""
        latest, first = entry["latest"], entry["first"]
        (now,), (then,) = points([latest], key), points([first], key)
        found.append(Latest(
            instrument, slug, instrument.short_title if instrument else latest.instrument_title,
            latest, first, score_def, now.display, now.band,
            change(then.value, now.value, score_def.decimals if score_def else 2),
            latest.pk == first.pk))
    return sorted(found, key=lambda entry: entry.title.casefold())
