"""Casework's referral to a directory service is a `ServiceReferral` (mutual aid has its own
referrals to fellowships): the model and its table are renamed, and every row stays."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0003_involvement_one_per_name"),
    ]

    operations = [
        migrations.RenameModel(old_name="Referral", new_name="ServiceReferral"),
    ]
