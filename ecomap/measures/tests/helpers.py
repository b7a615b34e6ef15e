"""A small valid definition to break in tests, and a fake licensed deployment file."""

from __future__ import annotations

import copy

import yaml

BASE = {
    "schema": 1,
    "slug": "test-scale",
    "title": "Test scale",
    "short_title": "TS",
    "description": "Invented for tests.",
    "instructions": "Answer each item.",
    "licence": {"status": "own_wording", "text": "Invented."},
    "citation": "None.",
    "url": "https://example.org/",
    "verified": "Invented placeholder items.",
    "scales": {"five": {"options": [{"value": v, "label": f"L{v}"} for v in range(1, 6)]}},
    "items": [{"key": f"i{n}", "scale": "five", "text": f"Item {n}"} for n in range(1, 5)],
    "reverse": ["i4"],
    "scores": [
        {"key": "total", "label": "Total", "method": "sum", "items": "all",
         "bands": [{"label": "Low", "min": 4, "max": 10}, {"label": "High", "min": 11, "max": 20}]},
        {"key": "part", "label": "Part", "method": "mean", "items": ["i1", "i2", "i3"],
         "max_missing": 1,
         "bands": [{"label": "Low", "min": 1, "below": 3}, {"label": "High", "min": 3, "max": 5}]},
    ],
}


def definition(**changes) -> dict:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


# A deployment's licensed LSNS-6 file, with invented placeholder items (the project ships none of
# the real item text). Six items 0-5; family = items 1-3, friends = items 4-6, each summed.
FAKE_LSNS = {
    "schema": 1,
    "slug": "lsns-6",
    "title": "Lubben Social Network Scale (6-item)",
    "short_title": "LSNS-6",
    "description": "Deployment-supplied test file.",
    "instructions": "Placeholder instructions.",
    "licence": {"status": "licensed_by_deployment", "text": "Test licence."},
    "citation": "Lubben et al. 2006.",
    "url": "https://example.org/lsns",
    "verified": "Placeholder items for tests.",
    "scales": {"count": {"options": [{"value": v, "label": f"Count {v}"} for v in range(6)]}},
    "items": [{"key": f"item_{n}", "scale": "count", "text": f"Item {n}"} for n in range(1, 7)],
    "scores": [
        {"key": "total", "label": "Total", "method": "sum", "items": "all", "max_missing": 1,
         "prorate": True},
        {"key": "family", "label": "Family", "method": "sum",
         "items": ["item_1", "item_2", "item_3"]},
        {"key": "friends", "label": "Friends", "method": "sum",
         "items": ["item_4", "item_5", "item_6"]},
    ],
}


def write(folder, name: str, data: dict) -> None:
    (folder / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
