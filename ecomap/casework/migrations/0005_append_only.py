"""Needs assessments (with their ratings), the referrals' history and the letters sent are
append-only: the database refuses to change or delete their rows, whatever the path (the ORM's
queryset.update()/delete() are refused by AppendOnlyModel before they get here)."""

from django.db import migrations

from ecomap.core.append_only import AppendOnlyTriggers


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0004_rename_referral_servicereferral"),
    ]

    operations = [
        AppendOnlyTriggers("needsassessment"),
        AppendOnlyTriggers("needrating"),
        AppendOnlyTriggers("referralevent"),
        AppendOnlyTriggers("letter"),
    ]
