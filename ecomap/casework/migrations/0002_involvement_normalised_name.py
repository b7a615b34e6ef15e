"""The full name of an involvement as the consents compare names (unique per client in 0003)."""

import unicodedata

from django.db import migrations, models


def normalise_name(name):
    # As ecomap.consents.models.normalise_name, frozen here for the migration.
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def fill(apps, schema_editor):
    Involvement = apps.get_model("casework", "Involvement")
    for involvement in Involvement.objects.all().only("pk", "full_name"):
        Involvement.objects.filter(pk=involvement.pk).update(
            normalised_name=normalise_name(involvement.full_name))


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="involvement",
            name="normalised_name",
            field=models.CharField(default="", editable=False, max_length=300),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
