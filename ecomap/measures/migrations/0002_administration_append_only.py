from django.db import migrations

from ecomap.core.append_only import AppendOnlyTriggers


class Migration(migrations.Migration):
    """The database refuses changes to completed administrations (but the error mark)."""

    dependencies = [("measures", "0001_initial")]

    operations = [AppendOnlyTriggers("administration")]
