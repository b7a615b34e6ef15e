"""Fewer indexes to write with each entry: the foreign keys' own indexes (the (actor, time) and
(client, time) indexes serve those lookups) and the hash's unique index (verification recomputes
every hash). SQLite rebuilds the table for these changes, which drops its triggers: they are made
again at the end."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from ecomap.core.append_only import AppendOnlyTriggers


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_entries_append_only_kernel'),
        ('clients', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditentry',
            name='actor',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='client',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clients.client', verbose_name='client'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='hash',
            field=models.CharField(editable=False, max_length=64),
        ),
        AppendOnlyTriggers("auditentry"),
    ]
