"""One involvement per person per client: the full name as the consents compare it is unique for
the client, so one network member cannot be disclosed to under another's consent. (A separate
migration from the data fill of 0002, so PostgreSQL adds the constraint after it.)"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0002_involvement_normalised_name"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="involvement",
            constraint=models.UniqueConstraint(fields=("client", "normalised_name"),
                                               name="involvement_one_per_name"),
        ),
    ]
