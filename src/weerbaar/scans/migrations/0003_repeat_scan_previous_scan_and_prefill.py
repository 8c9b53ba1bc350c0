"""The repeat scan: a scan can start from a closed earlier scan; its ratings then carry the values
copied from that consensus and which of them the rater has confirmed or changed."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scans", "0002_scanprocess_heatmap_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="rating",
            name="confirmed",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="rating",
            name="prefilled",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="scan",
            name="previous_scan",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="scans.scan",
                verbose_name="vorige scan als startpunt",
            ),
        ),
    ]
