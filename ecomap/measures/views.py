"""Questionnaire pages: the list for a client, the form (complete or save as a draft), one
administration, the history with its charts, and the "entered in error" mark. Every view resolves
the client through `client_view` and every administration through that client; reads are audited.

Views that send the practitioner on take an optional `next` (a path on this site, checked with
`url_has_allowed_host_and_scheme`), so a module's session page can send them here and get them back.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ecomap.clients.access import client_view
from ecomap.core.refusal import refused

from . import chart_svg, services
from .forms import AnswersForm, DetailsForm, EnteredInErrorForm
from .models import Administration, Status


def safe_next(request) -> str:
    """The `next` URL of the request if it stays on this site, else ''."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return ""


def _administration(client, pk) -> Administration:
    return get_object_or_404(Administration, client=client, pk=pk)


def _index_url(client) -> str:
    return reverse("measures:index", kwargs={"client_pk": client.pk})


def _with_query(url: str, **params) -> str:
    params = {k: v for k, v in params.items() if v}
    return f"{url}?{urlencode(params)}" if params else url


@client_view
def index(request, client):
    """The questionnaires: what can be given, the latest scores, drafts to finish."""
    return render(request, "measures/index.html", _index_context(request, client))


def _refused_index(request, client, error):
    """A refusal about the questionnaire itself (unknown, not installed): the list says why."""
    return refused(request, error, "measures/index.html", _index_context(request, client))


def _index_context(request, client) -> dict:
    latest = {entry.slug: entry for entry in services.latest_by_instrument(client)}
    drafts = services.drafts(client)
    next_url = safe_next(request)
    rows = []
    for instrument in services.instruments():
        rows.append({"instrument": instrument, "latest": latest.get(instrument.slug),
                     "administer_url": _with_query(
                         reverse("measures:administer", kwargs={"client_pk": client.pk}),
                         instrument=instrument.slug, next=next_url),
                     "history_url": _with_query(
                         reverse("measures:history", kwargs={"client_pk": client.pk}),
                         instrument=instrument.slug)})
    return {"client": client, "installed": [r for r in rows if r["instrument"].installed],
            "not_installed": [r for r in rows if not r["instrument"].installed],
            "drafts": drafts, "next": next_url}


def _form_page(request, client, instrument, *, administration=None):
    """GET: the form (blank, or the draft's answers). POST: complete, or save as a draft."""
    next_url = safe_next(request)
    if request.method == "POST":
        answers_form = AnswersForm(request.POST, instrument=instrument)
        details_form = DetailsForm(request.POST)
        draft = request.POST.get("action") == "draft"
        if answers_form.is_valid() & details_form.is_valid():
            try:
                saved = services.administer(
                    client, instrument.slug, answers_form.answers(), actor=request.user,
                    draft=draft, administered_on=details_form.cleaned_data["administered_on"],
                    note=details_form.cleaned_data["note"], administration=administration)
            except ValidationError as error:  # a MeasuresError, or full_clean()'s
                return refused(request, error, "measures/administer.html",
                               _form_context(client, instrument, answers_form, details_form,
                                             administration, next_url),
                               form=[answers_form, details_form])
            else:
                return _after_save(request, client, instrument, saved, next_url)
    else:
        initial = {}
        if administration is not None:
            initial = {k: str(v) for k, v in administration.answers.items()}
        answers_form = AnswersForm(initial=initial, instrument=instrument)
        details_form = DetailsForm(initial={
            "administered_on": administration.administered_on, "note": administration.note}
            if administration is not None else None)
    invalid = bool(answers_form.errors or details_form.errors)
    return render(request, "measures/administer.html", _form_context(
        client, instrument, answers_form, details_form, administration, next_url),
        status=400 if invalid else 200)


def _form_context(client, instrument, answers_form, details_form, administration, next_url):
    return {"client": client, "instrument": instrument, "form": answers_form,
            "details": details_form, "administration": administration, "next": next_url,
            "cancel_url": next_url or _index_url(client)}


def _after_save(request, client, instrument, saved, next_url):
    if saved.is_draft:
        messages.success(request, _("Draft saved: %(title)s, %(n)s of %(total)s answered. It is "
                                    "not scored until it is completed.") % {
            "title": instrument.short_title, "n": len(saved.answers),
            "total": len(instrument.items)})
    else:
        primary = instrument.primary_score
        result = saved.scores["results"].get(primary.key, {}) if primary else {}
        band = f" ({result['band']})" if result.get("band") else ""
        messages.success(request, _("%(title)s completed. %(score)s: %(value)s%(band)s.") % {
            "title": instrument.short_title, "score": primary.label if primary else "",
            "value": result.get("display", "—"), "band": band})
    if next_url:
        return redirect(next_url)
    return redirect("measures:administration", client_pk=client.pk, administration_pk=saved.pk)


@client_view
@require_http_methods(["GET", "POST"])
def administer(request, client):
    slug = request.GET.get("instrument") or request.POST.get("instrument") or ""
    if not slug:
        return redirect(_index_url(client))
    try:
        instrument = services.installed_instrument(slug)
    except services.MeasuresError as error:
        return _refused_index(request, client, error)
    return _form_page(request, client, instrument)


@client_view
@require_http_methods(["GET", "POST"])
def continue_draft(request, client, administration_pk):
    administration = _administration(client, administration_pk)
    if not administration.is_draft and request.method == "GET":
        # An old link to a draft completed since: show what it became. (A POST is refused by
        # the service, 409.)
        return redirect("measures:administration", client_pk=client.pk,
                        administration_pk=administration.pk)
    try:
        instrument = services.get_instrument(administration.instrument)
    except services.MeasuresError as error:
        return _refused_index(request, client, error)
    return _form_page(request, client, instrument, administration=administration)


def _answer_rows(instrument, administration):
    rows = []
    if instrument is None:
        return [{"number": "", "text": key, "answer": value}
                for key, value in administration.answers.items()]
    for item in instrument.items:
        value = administration.answers.get(item.key)
        rows.append({"number": item.number, "text": item.text, "scored": item.scored,
                     "reverse": item.reverse,
                     "answer": "" if value is None else (
                         f"{value} – {item.scale.label(value)}" if isinstance(value, int)
                         and item.scale.label(value) != str(value) else item.scale.label(value))})
    return rows


def _score_rows(instrument, administration):
    results = administration.scores.get("results", {})
    rows = []
    for key, result in results.items():
        definition = instrument.score_def(key) if instrument else None
        rows.append({"label": result.get("label", key), "display": result.get("display", "—"),
                     "band": result.get("band", ""),
                     "note": definition.bands_note if definition else ""})
    return rows


@client_view
def administration_detail(request, client, administration_pk):
    administration = _administration(client, administration_pk)
    return render(request, "measures/administration.html",
                  _administration_context(client, administration))


def _administration_context(client, administration, error_form=None) -> dict:
    instrument = services.find_instrument(administration.instrument)
    return {
        "client": client, "administration": administration, "instrument": instrument,
        "answers": _answer_rows(instrument, administration),
        "scores": _score_rows(instrument, administration),
        "error_form": error_form or EnteredInErrorForm(),
        "history_url": _with_query(reverse("measures:history", kwargs={"client_pk": client.pk}),
                                   instrument=administration.instrument)}


@client_view
@require_POST
def mark_error(request, client, administration_pk):
    administration = _administration(client, administration_pk)
    form = EnteredInErrorForm(request.POST)
    if form.is_valid():
        try:
            services.mark_entered_in_error(administration, actor=request.user,
                                           reason=form.cleaned_data["reason"])
        except services.MeasuresError as error:
            return refused(request, error, "measures/administration.html",
                           _administration_context(client, administration, form), form=form)
        messages.success(request, _("Marked as entered in error. It no longer counts in the "
                                    "history or the charts."))
        return redirect("measures:administration", client_pk=client.pk,
                        administration_pk=administration.pk)
    return render(request, "measures/administration.html",
                  _administration_context(client, administration, form), status=400)


@client_view
def history(request, client):
    slug = request.GET.get("instrument") or ""
    if not slug:
        return redirect(_index_url(client))
    try:
        instrument = services.get_instrument(slug)
    except services.MeasuresError as error:
        return _refused_index(request, client, error)
    counted = services.history(client, slug)
    in_error = list(Administration.objects.filter(
        client=client, instrument=slug, status=Status.COMPLETED, entered_in_error=True))
    charts = []
    for number, definition in enumerate(instrument.scores, start=1):
        points = services.points(counted, definition.key)
        valued = [p for p in points if p.value is not None]
        charts.append({
            "score": definition, "points": points,
            "svg": chart_svg.render(points, definition, id_prefix=f"chart-{number}",
                                    title=f"{instrument.short_title}: {definition.label}"),
            "change": services.change(valued[0].value, valued[-1].value, definition.decimals)
            if len(valued) > 1 else "",
            "first": valued[0] if valued else None, "last": valued[-1] if valued else None,
        })
    return render(request, "measures/history.html", {
        "client": client, "instrument": instrument, "administrations": counted,
        "charts": charts, "in_error": in_error, "drafts": services.drafts(client, slug),
        "administer_url": _with_query(reverse("measures:administer",
                                              kwargs={"client_pk": client.pk}), instrument=slug)})
