"""Network assessments are append-only: the database refuses to change or delete them."""

from django.db import migrations

from ecomap.core.append_only import AppendOnlyTriggers


class Migration(migrations.Migration):
    dependencies = [("network", "0002_circle_labels")]
    operations = [AppendOnlyTriggers("assessment")]
