"""factory_boy factories for tests (synthetic people only)."""

from __future__ import annotations

from datetime import date

import factory

from ecomap.accounts.models import Role, Team, User
from ecomap.clients.models import Client, Programme


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    role = Role.PRACTITIONER
    password = factory.django.Password("correct horse battery staple")


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    record_number = factory.Sequence(lambda n: f"T-{n:06d}")
    legal_first_name = factory.Faker("first_name")
    legal_last_name = factory.Faker("last_name")
    date_of_birth = date(1985, 6, 15)
    programme = Programme.CO_OCCURRING
    primary_practitioner = factory.SubFactory(UserFactory)
