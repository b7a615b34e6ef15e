"""Demo questionnaires: for the first active clients, MSPSS, the loneliness questions and BARC-10
three months ago and today (so every history has a trend and a change), and a draft to finish."""

from __future__ import annotations

from datetime import timedelta

from ecomap.core.demo import demo_builder


def _answers(instrument, rng, shift: int) -> dict:
    answers = {}
    for item in instrument.items:
        values = list(item.scale.values)
        if item.scale.numeric:
            middle = len(values) // 2 + shift
            index = max(0, min(len(values) - 1, middle + rng.choice((-1, 0, 0, 1))))
        else:
            index = rng.randrange(len(values))
        answers[item.key] = values[index]
    return answers


@demo_builder
def build_measures(agency, rng):
    from . import services

    clients = [c for c in agency.clients if c.status == "active"][:4]
    for number, client in enumerate(clients):
        actor = client.primary_practitioner
        for slug, direction in (("mspss", 1), ("loneliness-ons", -1), ("barc-10", 1)):
            instrument = services.get_instrument(slug)
            for days, shift in ((90, -direction), (0, direction * (number % 2))):
                services.administer(client, slug, _answers(instrument, rng, shift), actor=actor,
                                    administered_on=agency.today - timedelta(days=days))
        if number == 0:
            instrument = services.get_instrument("socrates-8d")
            partial = dict(list(_answers(instrument, rng, 0).items())[:8])
            services.administer(client, "socrates-8d", partial, actor=actor, draft=True)
