"""Shared helpers for the directory tests: build a directory with the demo builder, snapshot the
directory's rows, and write packages by hand."""

from __future__ import annotations

import csv
import io
import json
import random

from ecomap.directory import demo, hsds


def build_demo():
    demo.build_directory(None, random.Random("directory-test"))


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table, as exported cells, in id order."""
    return {t.name: hsds.table_rows(t) for t in hsds.TABLES}


def csv_bytes(header: list[str], *rows: list[str]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    return buffer.getvalue().encode()


ORG = "11111111-1111-4111-8111-111111111111"
SERVICE = "22222222-2222-4222-8222-222222222222"
LOCATION = "33333333-3333-4333-8333-333333333333"


def small_package(**overrides) -> dict[str, bytes]:
    """A valid package with one organisation, service, location, address, phone and schedule;
    `overrides` replaces whole files by name (None removes one)."""
    files = {
        "organizations.csv": csv_bytes(["id", "name", "description"],
                                       [ORG, "Test Org", "An organisation"]),
        "services.csv": csv_bytes(["id", "organization_id", "name", "status", "minimum_age"],
                                  [SERVICE, ORG, "Test drop-in", "active", "18"]),
        "locations.csv": csv_bytes(["id", "location_type", "name", "latitude", "longitude"],
                                   [LOCATION, "physical", "Main site", "40.1", "-75.2"]),
        "service_at_location.csv": csv_bytes(["id", "service_id", "location_id"],
                                             ["sal-1", SERVICE, LOCATION]),
        "addresses.csv": csv_bytes(
            ["id", "location_id", "address_1", "city", "state_province", "postal_code", "country",
             "address_type"], ["addr-1", LOCATION, "1 High St", "Testville", "ST", "99999", "US",
                               "physical"]),
        "phones.csv": csv_bytes(["id", "service_id", "number"], ["phone-1", SERVICE, "555-0100"]),
        "schedules.csv": csv_bytes(["id", "service_id", "freq", "byday", "opens_at", "closes_at"],
                                   ["sched-1", SERVICE, "WEEKLY", "MO,WE", "09:00", "17:00"]),
        "attributes.csv": csv_bytes(
            ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"],
            ["attr-1", SERVICE, _term("clubhouse"), "service_type", "service", ""]),
    }
    files["datapackage.json"] = json.dumps({"profile": "tabular-data-package", "version": "3.0.0",
        "resources": [{"name": t.name, "path": t.path} for t in hsds.TABLES
                      if t.path in files]}).encode()
    for name, content in overrides.items():
        if content is None:
            files.pop(name, None)
        else:
            files[name] = content
    return files


def _term(key):
    from ecomap.directory import catalogue

    return catalogue.term_id(key)
