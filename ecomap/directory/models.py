"""The local resource directory, shaped after the Open Referral Human Services Data Specification
(HSDS 3.0 tabular form; docs/research/hsds.md). One model per HSDS table that ecomap keeps; the field
names are HSDS's, and ids are HSDS's own text ids (UUIDs in HSDS 3.0), so that an import followed by
an export gives the same ids back.

References that HSDS allows to point outside the package (a taxonomy term's parent and taxonomy, an
attribute's term and linked record) are kept verbatim as text, so that an unknown term survives a
round trip; the others are foreign keys.

Free text (names, descriptions, addresses, e-mail and web addresses, ...) is unbounded `TextField`:
an import keeps a value whole, however long. Only ids, references and short codes are bounded. Text
columns carry no plain index: a long value would not fit a PostgreSQL b-tree entry, and the searches
compare case-insensitively, which such an index does not serve.

No client data lives here: the directory is the agency's, not a client's.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

ID_LENGTH = 100


def _id():
    return models.CharField(primary_key=True, max_length=ID_LENGTH)


def _ref(model, related_name, null=True):
    return models.ForeignKey(model, on_delete=models.CASCADE, related_name=related_name,
                             null=null, blank=null)


def _text():
    return models.TextField(blank=True, default="")


class Taxonomy(models.Model):
    id = _id()
    name = models.TextField()
    description = _text()
    uri = _text()
    version = _text()

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "taxonomies"

    def __str__(self):
        return self.name


class TaxonomyTerm(models.Model):
    id = _id()
    code = _text()
    name = models.TextField()
    description = _text()
    parent_id = models.CharField(max_length=ID_LENGTH, blank=True, default="")
    taxonomy = _text()
    language = models.CharField(max_length=20, blank=True, default="")
    taxonomy_id = models.CharField(max_length=ID_LENGTH, blank=True, default="", db_index=True)
    term_uri = _text()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Organization(models.Model):
    id = _id()
    name = models.TextField(_("name"))
    alternate_name = _text()
    description = _text()
    email = _text()
    website = _text()
    year_incorporated = models.PositiveSmallIntegerField(null=True, blank=True)
    legal_status = _text()
    logo = _text()
    uri = _text()
    parent_organization_id = models.CharField(max_length=ID_LENGTH, blank=True, default="")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class Service(models.Model):
    id = _id()
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="services")
    program_id = models.CharField(max_length=ID_LENGTH, blank=True, default="")
    name = models.TextField(_("name"))
    alternate_name = _text()
    description = _text()
    url = _text()
    email = _text()
    status = models.CharField(max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    interpretation_services = _text()
    application_process = _text()
    fees_description = _text()
    accreditations = _text()
    eligibility_description = _text()
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    assured_date = models.DateField(null=True, blank=True)
    assurer_email = _text()
    alert = _text()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class LocationType(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    POSTAL = "postal", _("Postal")
    VIRTUAL = "virtual", _("Virtual")


class Location(models.Model):
    id = _id()
    location_type = models.CharField(max_length=10, choices=LocationType.choices,
                                     default=LocationType.PHYSICAL)
    url = _text()
    organization = _ref(Organization, "locations")
    name = _text()
    alternate_name = _text()
    description = _text()
    transportation = _text()
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    external_identifier = _text()
    external_identifier_type = _text()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="directory_location_latlng")]

    def __str__(self):
        return self.name or self.id


class ServiceAtLocation(models.Model):
    id = _id()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="services_here")
    description = _text()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.id


class Address(models.Model):
    id = _id()
    location = _ref(Location, "addresses")
    attention = _text()
    address_1 = models.TextField()
    address_2 = _text()
    city = models.TextField()
    region = _text()
    state_province = models.TextField()
    postal_code = models.TextField()
    country = models.CharField(max_length=2)
    address_type = models.CharField(max_length=10, choices=LocationType.choices,
                                    default=LocationType.PHYSICAL)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "addresses"

    def __str__(self):
        return ", ".join(p for p in (self.address_1, self.address_2, self.city, self.postal_code) if p)


class Contact(models.Model):
    id = _id()
    organization = _ref(Organization, "contacts")
    service = _ref(Service, "contacts")
    service_at_location = _ref(ServiceAtLocation, "contacts")
    location = _ref(Location, "contacts")
    name = _text()
    title = _text()
    department = _text()
    email = _text()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.id


class Phone(models.Model):
    id = _id()
    location = _ref(Location, "phones")
    service = _ref(Service, "phones")
    organization = _ref(Organization, "phones")
    contact = _ref(Contact, "phones")
    service_at_location = _ref(ServiceAtLocation, "phones")
    number = models.TextField()
    extension = models.PositiveIntegerField(null=True, blank=True)
    type = models.CharField(max_length=20, blank=True, default="")
    description = _text()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.number + (f" ext. {self.extension}" if self.extension is not None else "")


class Schedule(models.Model):
    id = _id()
    service = _ref(Service, "schedules")
    location = _ref(Location, "schedules")
    service_at_location = _ref(ServiceAtLocation, "schedules")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    timezone = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    wkst = models.CharField(max_length=3, blank=True, default="")
    freq = models.CharField(max_length=10, blank=True, default="")
    interval = models.PositiveIntegerField(null=True, blank=True)
    byday = _text()
    byweekno = _text()
    bymonthday = _text()
    byyearday = _text()
    description = _text()
    # Kept as written (HH:MM, optionally seconds and a UTC offset or Z), after checking.
    opens_at = models.CharField(max_length=16, blank=True, default="")
    closes_at = models.CharField(max_length=16, blank=True, default="")
    schedule_link = _text()
    attending_type = _text()
    notes = _text()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.id


class Language(models.Model):
    id = _id()
    service = _ref(Service, "languages")
    location = _ref(Location, "languages")
    phone = _ref(Phone, "languages")
    name = _text()
    code = models.CharField(max_length=20, blank=True, default="", db_index=True)
    note = _text()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name or self.code


class CostOption(models.Model):
    id = _id()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = _text()
    currency = models.CharField(max_length=3, blank=True, default="")
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    amount_description = _text()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.id


class RequiredDocument(models.Model):
    id = _id()
    service = _ref(Service, "required_documents")
    document = _text()
    uri = _text()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.id


class ServiceArea(models.Model):
    id = _id()
    service = _ref(Service, "service_areas")
    name = _text()
    description = _text()
    extent = _text()
    extent_type = models.CharField(max_length=20, blank=True, default="")
    uri = _text()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.id


class Attribute(models.Model):
    """A taxonomy term applied to a record: how a service gets its ecomap service types (and the
    insurance it accepts, as the value of ecomap's insurance facet)."""

    id = _id()
    link_id = models.CharField(max_length=ID_LENGTH, db_index=True)
    taxonomy_term_id = models.CharField(max_length=ID_LENGTH, db_index=True)
    link_type = models.CharField(max_length=100)
    link_entity = models.CharField(max_length=100)
    value = _text()
    label = _text()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.id


class PendingImport(models.Model):
    """A checked package waiting for the administrator's confirmation (kept in the database so that
    any app server can finish it; removed when confirmed, and after a day)."""

    token = models.UUIDField(primary_key=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    name = models.CharField(max_length=255)
    data = models.BinaryField()

    def __str__(self):
        return self.name
