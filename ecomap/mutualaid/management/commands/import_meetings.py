"""Import a meeting feed from a file or an address, with a progress bar.

    ecomap import_meetings --feed "Riverside Intergroup" --file meetings.json
    ecomap import_meetings --feed "Riverside Intergroup" --url https://example.org/meetings.json
    ecomap import_meetings --feed "Upstate NA" --create --fellowship na --format bmlt \\
        --timezone America/New_York --file search.json --formats formats.json
    ecomap import_meetings --all        # every feed with an address (for a scheduled refresh)
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ecomap.mutualaid import services
from ecomap.mutualaid.feeds.fetch import MAX_BYTES, TIMEOUT
from ecomap.mutualaid.models import FeedFormat, Fellowship, MeetingFeed

ACTOR = "system:import_meetings"
PHASES = {"download": "Downloading", "parse": "Reading and checking", "write": "Writing meetings"}


class Command(BaseCommand):
    help = "Import meetings (Meeting Guide or BMLT JSON) into a feed, from a file or an address."

    def add_arguments(self, parser):
        parser.add_argument("--feed", help="the feed's name (or id)")
        parser.add_argument("--file", type=Path, help="a JSON file to import")
        parser.add_argument("--url", help="an http(s) address to import from (saved on the feed)")
        parser.add_argument("--formats", type=Path, help="BMLT only: the server's GetFormats JSON")
        parser.add_argument("--all", action="store_true", help="refresh every feed with an address")
        parser.add_argument("--create", action="store_true", help="create the feed if missing")
        parser.add_argument("--fellowship", help="with --create: the fellowship's key (aa, na, ...)")
        parser.add_argument("--format", choices=FeedFormat.values, default="meetingguide")
        parser.add_argument("--timezone", help="with --create: time zone for meetings naming none")
        parser.add_argument("--timeout", type=float, default=TIMEOUT)
        parser.add_argument("--max-bytes", type=int, default=MAX_BYTES)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        self.console = Console(file=self.stdout, force_terminal=False, no_color=True,
                               width=100) if options["no_progress"] else Console()
        self.quiet = options["no_progress"]
        services.ensure_fellowships(actor=ACTOR)
        if options["all"]:
            feeds = list(MeetingFeed.objects.exclude(source_url="").select_related("fellowship"))
            if not feeds:
                raise CommandError("No feed has an address to import from.")
            failed = [f.name for f in feeds if self._run(f, options, url=f.source_url).refused]
            if failed:
                raise CommandError(f"Refused: {', '.join(failed)}")
            return
        if not options["feed"] or bool(options["file"]) == bool(options["url"]):
            raise CommandError("Give --feed and exactly one of --file or --url (or --all).")
        feed = self._feed(options)
        run = self._run(feed, options, url=options["url"])
        if run.refused:
            raise CommandError(f"Refused, nothing changed: {run.error}")

    def _feed(self, options) -> MeetingFeed:
        name = options["feed"]
        feed = MeetingFeed.objects.filter(name__iexact=name).select_related("fellowship").first()
        if feed is None and name.isdigit():
            feed = MeetingFeed.objects.filter(pk=int(name)).select_related("fellowship").first()
        if feed is not None:
            if options["url"] and feed.source_url != options["url"]:
                feed.source_url = options["url"]
                feed.save(update_fields=["source_url"])
            return feed
        if not options["create"]:
            raise CommandError(f"No feed named {name!r}; add --create --fellowship KEY --timezone ZONE.")
        fellowship = Fellowship.objects.filter(slug=options["fellowship"] or "").first()
        if fellowship is None:
            keys = ", ".join(Fellowship.objects.values_list("slug", flat=True))
            raise CommandError(f"--fellowship must be one of: {keys}")
        try:
            return services.create_feed(actor=ACTOR, name=name, fellowship=fellowship,
                                        format=options["format"],
                                        timezone_name=options["timezone"] or "",
                                        source_url=options["url"] or "")
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None

    def _run(self, feed, options, *, url):
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=self.console, disable=self.quiet) as bar:
            tasks = {}

            def progress(phase, done, total):
                if phase not in tasks:
                    tasks[phase] = bar.add_task(f"{feed.name}: {PHASES[phase]}", total=total or 1)
                bar.update(tasks[phase], completed=done, total=total or 1)

            if url:
                run = services.import_from_url(feed, actor=ACTOR, url=url, progress=progress,
                                               timeout=options["timeout"],
                                               max_bytes=options["max_bytes"])
            else:
                path = options["file"]
                try:
                    data = path.read_bytes()
                    formats = options["formats"].read_bytes() if options["formats"] else None
                except OSError as error:
                    raise CommandError(f"Cannot read the file: {error.strerror}") from None
                run = services.import_feed(feed, actor=ACTOR, data=data, source=path.name,
                                           formats=formats, progress=progress)
        self._summary(feed, run)
        return run

    def _summary(self, feed, run):
        out = self.stdout.write
        if run.refused:
            out(f"{feed.name}: refused. {run.error}")
            return
        out(f"{feed.name}: {run.records} records, {run.records_imported} imported "
            f"({run.meetings} meetings: {run.created} new, {run.updated} changed, "
            f"{run.unchanged} unchanged, {run.reactivated} back), {run.records_rejected} rejected; "
            f"{run.deactivated} gone from the feed and now inactive.")
        for note in run.report.get("notes", []):
            out(f"  note: {note}")
        for code, count in run.report.get("warning_counts", {}).items():
            out(f"  warning {code}: {count} records")
        for reason, count in run.report.get("rejection_counts", {}).items():
            out(f"  rejected ({count}): {reason}")
