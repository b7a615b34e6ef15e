from django.db import migrations

from ecomap.core.append_only import AppendOnlyTriggers


class Migration(migrations.Migration):
    """The database refuses changes to consents (but their revocation and expiry event), their
    recipients and disclosures."""

    dependencies = [("consents", "0001_initial")]

    operations = [
        AppendOnlyTriggers("consent"),
        AppendOnlyTriggers("consentrecipient"),
        AppendOnlyTriggers("disclosure"),
    ]
