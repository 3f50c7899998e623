"""Live updates go through review: a status, submitted or approved, and who approved it.

Updates posted before review existed were already in front of readers: they start approved;
new ones start submitted (the desk approves those posted by someone who may publish).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

STATUS_CHOICES = [
    ("submitted", "Submitted, waiting for an editor"),
    ("approved", "Approved, readers see it"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_webhook_watermark"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="liveupdate",
            name="approved_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="liveupdate",
            name="status",
            field=models.CharField(
                choices=STATUS_CHOICES, db_index=True, default="approved", max_length=10
            ),
        ),
        migrations.AlterField(
            model_name="liveupdate",
            name="status",
            field=models.CharField(
                choices=STATUS_CHOICES, db_index=True, default="submitted", max_length=10
            ),
        ),
    ]
