"""Changes to the fellowship catalogue, meeting feeds and meetings. Each function validates, runs in a
transaction and writes an audit entry with the actor passed in (a user, or "system:<command>")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecomap.audit import services as audit
from ecomap.core.refusal import Refusal

from . import catalogue, feeds
from .feeds.common import FeedRefused, Parsed
from .feeds.fetch import fetch
from .models import (
    FeedFormat,
    Fellowship,
    ImportRun,
    ImportStatus,
    LocalContact,
    Meeting,
    MeetingFeed,
)

BATCH = 1000
# Meeting fields an import writes (everything the parser produces, bar the key).
WRITTEN = ["slug", "name", "day", "time", "end_time", "timezone", "timezone_from_feed",
           "formatted_address", "address", "city", "state", "postal_code", "country", "latitude",
           "longitude", "approximate", "region", "sub_region", "regions", "location",
           "location_notes", "notes", "group", "group_notes", "types", "types_text",
           "unknown_types", "conference_url", "conference_url_notes", "conference_phone",
           "conference_phone_notes", "attendance_option", "updated", "updated_raw", "url",
           "edit_url", "feedback_emails", "feedback_url", "venmo", "square", "paypal",
           "homegroup_online", "entity", "entity_email", "entity_location", "entity_logo",
           "entity_phone", "entity_website_url", "contacts", "extra", "import_hash"]
Progress = Callable[[str, int, int], None]  # (phase, done, total)


class MutualAidError(Refusal):
    """A rule of mutual support refused the change (a `Refusal`: the view shows its messages)."""


def _noop(phase: str, done: int, total: int) -> None:
    pass


# --- fellowships -------------------------------------------------------------------------------


@transaction.atomic
def sync_fellowships(*, actor) -> dict[str, int]:
    """Make the Fellowship table match content/fellowships.yaml. Entries no longer in the file stay
    (feeds and meetings refer to them) but are marked out of the catalogue. Idempotent."""
    entries = catalogue.entries()
    existing = {f.slug: f for f in Fellowship.objects.select_for_update()}
    counts = Counter()
    for entry in entries:
        values = {"name": entry.name, "abbreviation": entry.abbreviation,
                  "program": entry.program, "audience": entry.audience,
                  "website": entry.website, "philosophy": entry.facts["philosophy"].value,
                  "addresses": list(entry.facts["addresses"].value),
                  "abstinence": entry.facts["abstinence"].value,
                  "medication": entry.facts["medication"].value, "facts": entry.as_data(),
                  "in_catalogue": True}
        fellowship = existing.get(entry.slug)
        if fellowship is None:
            Fellowship.objects.create(slug=entry.slug, **values)
            counts["created"] += 1
        elif any(getattr(fellowship, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(fellowship, key, value)
            fellowship.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    gone = Fellowship.objects.filter(in_catalogue=True).exclude(
        slug__in=[e.slug for e in entries])
    counts["retired"] = gone.update(in_catalogue=False)
    if counts["created"] or counts["updated"] or counts["retired"]:
        audit.record("ecomap.mutualaid.fellowships_synced", actor=actor, data=dict(counts))
    return dict(counts)


def ensure_fellowships(*, actor) -> None:
    """Load the catalogue if the database has none yet (first import, demo)."""
    if not Fellowship.objects.exists():
        sync_fellowships(actor=actor)


# --- feeds -------------------------------------------------------------------------------------


def _check_timezone(name: str) -> None:
    if name not in available_timezones():
        raise ValidationError({"timezone": _("Choose a time zone such as America/New_York.")})


@transaction.atomic
def create_feed(*, actor, name: str, fellowship: Fellowship, format: str, timezone_name: str,
                source_url: str = "") -> MeetingFeed:
    name = " ".join(name.split())
    if MeetingFeed.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("A feed with this name exists already.")})
    _check_timezone(timezone_name)
    feed = MeetingFeed(name=name, fellowship=fellowship, format=format, timezone=timezone_name,
                       source_url=source_url)
    feed.full_clean()
    feed.save()
    audit.record("ecomap.mutualaid.feed_created", actor=actor, obj=feed,
                 data={"fellowship": fellowship.slug, "format": format})
    return feed


def _report(result: Parsed) -> dict:
    """The run's stored report: the import report's counts and file-level lines, the counts of
    warnings by code and of rejections by reason, and every record that was not imported as it
    was (with its position in the file, `record`)."""
    report = result.report
    warnings = Counter(w.code for r in report.records for w in r.warnings)
    rejected = Counter(r.reason for r in report.records if r.rejected)
    data = report.as_data()
    return {
        "summary": report.summary(),
        **{k: data[k] for k in ("read", "imported", "normalised", "rejected", "lines")},
        "notes": [line["message"] for line in data["lines"]],
        "warning_counts": dict(warnings.most_common()),
        "rejection_counts": dict(rejected.most_common()),
        "entries": [{**r.as_data(), "record": index}
                    for index, r in enumerate(report.records, start=1)
                    if r.outcome != "imported"],
    }


def _actor_fields(actor) -> dict:
    user = actor if getattr(actor, "pk", None) else None
    return {"actor": user, "actor_name": (user.get_username() if user else str(actor))[:150]}


def _refused(feed, *, actor, source: str, error: str) -> ImportRun:
    run = ImportRun.objects.create(feed=feed, source=source, status=ImportStatus.REFUSED,
                                   error=error, finished_at=timezone.now(), **_actor_fields(actor))
    audit.record("ecomap.mutualaid.feed_refused", actor=actor, obj=feed,
                 data={"run": run.pk, "source": source})
    return run


def import_feed(feed: MeetingFeed, *, actor, data: bytes, source: str,
                formats: bytes | None = None, progress: Progress = _noop) -> ImportRun:
    """Import a whole file into `feed`: upsert by (feed, key); meetings gone from the file become
    inactive. A file that cannot be read is refused whole: an ImportRun says why, nothing else
    changes. Returns the run with its validation report."""
    progress("parse", 0, 1)
    try:
        result = feeds.parse(data, format=feed.format, program=feed.fellowship.program,
                             default_timezone=feed.timezone, formats=formats)
    except FeedRefused as refusal:
        return _refused(feed, actor=actor, source=source, error=str(refusal))
    progress("parse", 1, 1)
    return _write(feed, result, actor=actor, source=source, progress=progress)


def import_from_url(feed: MeetingFeed, *, actor, url: str | None = None,
                    progress: Progress = _noop, **fetch_options) -> ImportRun:
    url = url or feed.source_url
    if not url:
        raise MutualAidError(_("This feed has no address to import from."))
    progress("download", 0, 1)
    try:
        data = fetch(url, **fetch_options)
    except FeedRefused as refusal:
        return _refused(feed, actor=actor, source=url, error=str(refusal))
    return import_feed(feed, actor=actor, data=data, source=url, progress=progress)


@transaction.atomic
def _write(feed: MeetingFeed, result: Parsed, *, actor, source: str,
           progress: Progress) -> ImportRun:
    feed = MeetingFeed.objects.select_for_update().select_related("fellowship").get(pk=feed.pk)
    now = timezone.now()
    existing = {key: (pk, digest, active) for key, pk, digest, active in
                Meeting.objects.filter(feed=feed).values_list("key", "pk", "import_hash",
                                                              "active").iterator(chunk_size=5000)}
    creates = []
    counts = Counter()
    total = len(result.meetings)
    for done, values in enumerate(result.meetings, start=1):
        key = values["key"]
        fields = {name: values[name] for name in WRITTEN}
        found = existing.get(key)
        if found is None:
            creates.append(Meeting(feed=feed, fellowship=feed.fellowship, key=key, active=True,
                                   **fields))
            counts["created"] += 1
        else:
            pk, digest, active = found
            if digest != values["import_hash"] or not active:
                # One UPDATE per changed meeting: bulk_update's CASE WHEN per field was 10x slower
                # on SQLite (bench/README.md).
                Meeting.objects.filter(pk=pk).update(fellowship=feed.fellowship, active=True,
                                                     deactivated_at=None, changed_at=now, **fields)
                counts["reactivated" if not active else "updated"] += 1
            else:
                counts["unchanged"] += 1
        if len(creates) >= BATCH:
            Meeting.objects.bulk_create(creates)
            creates = []
        if done % BATCH == 0:
            progress("write", done, total)
    if creates:
        Meeting.objects.bulk_create(creates)
    progress("write", total, total)
    seen = {m["key"] for m in result.meetings}
    gone = [pk for key, (pk, _d, active) in existing.items() if active and key not in seen]
    for start in range(0, len(gone), BATCH):
        Meeting.objects.filter(pk__in=gone[start:start + BATCH]).update(
            active=False, deactivated_at=now)
    counts["deactivated"] = len(gone)

    feed.meetings_active = Meeting.objects.filter(feed=feed, active=True).count()
    feed.meetings_inactive = Meeting.objects.filter(feed=feed, active=False).count()
    report = result.report
    feed.records_last, feed.rejected_last = report.read, report.rejected
    feed.last_import_at, feed.source_name = now, source
    feed.save(update_fields=["meetings_active", "meetings_inactive", "records_last",
                             "rejected_last", "last_import_at", "source_name"])
    run = ImportRun.objects.create(
        feed=feed, source=source, status=ImportStatus.IMPORTED, finished_at=timezone.now(),
        records=report.read, records_imported=report.imported, records_rejected=report.rejected,
        records_with_warnings=report.normalised,
        meetings=total, created=counts["created"], updated=counts["updated"],
        unchanged=counts["unchanged"], reactivated=counts["reactivated"],
        deactivated=counts["deactivated"], report=_report(result), **_actor_fields(actor))
    audit.record("ecomap.mutualaid.feed_imported", actor=actor, obj=feed, data={
        "run": run.pk, "source": source, "records": report.read,
        "rejected": report.rejected, **{k: counts[k] for k in ("created", "updated", "unchanged",
                                                               "reactivated", "deactivated")}})
    return run


def new_feed_from_upload(*, actor, name: str, fellowship: Fellowship, format: str,
                         timezone_name: str, data: bytes, filename: str,
                         formats: bytes | None = None) -> ImportRun:
    """Create a feed and import its first file. A refused file leaves no feed behind."""
    if format not in FeedFormat.values:
        raise ValidationError({"format": _("Choose a feed format.")})
    with transaction.atomic():
        feed = create_feed(actor=actor, name=name, fellowship=fellowship, format=format,
                           timezone_name=timezone_name)
        run = import_feed(feed, actor=actor, data=data, source=filename, formats=formats)
        if run.refused:
            raise MutualAidError({"file": run.error})  # rolls the new feed back too
    return run


# --- local contacts ----------------------------------------------------------------------------


CONTACT_FIELDS = ["fellowship_id", "kind", "name", "role", "phone", "email", "area", "languages",
                  "notes", "verified_on", "active"]


@transaction.atomic
def save_contact(form, *, actor) -> LocalContact:
    """Save a validated LocalContactForm; the audit keeps which fields changed, not their values
    (a volunteer's phone and e-mail are personal data)."""
    created = form.instance.pk is None
    before = {} if created else audit.snapshot(
        LocalContact.objects.get(pk=form.instance.pk), CONTACT_FIELDS)
    contact = form.save()
    changed = sorted(audit.diff(before, audit.snapshot(contact, CONTACT_FIELDS)))
    audit.record("ecomap.mutualaid.contact_" + ("created" if created else "changed"),
                 actor=actor, obj=contact, data={"fields": changed})
    return contact


# --- scheduled refresh -------------------------------------------------------------------------


def feeds_due(now) -> list[MeetingFeed]:
    """Feeds with an address and a refresh interval whose last import is older than it."""
    due = []
    for feed in MeetingFeed.objects.exclude(source_url="").filter(refresh_hours__gt=0):
        if feed.last_import_at is None or now - feed.last_import_at >= timedelta(
                hours=feed.refresh_hours):
            due.append(feed)
    return due


def refresh_due_feeds(now, *, actor, **fetch_options) -> list[ImportRun]:
    """Import every feed that is due from its address; a refused download is recorded on its run
    (the feed's meetings stay as they were) and the others go on."""
    return [import_from_url(feed, actor=actor, **fetch_options) for feed in feeds_due(now)]
