"""A covering index for the results page: the heat map's counts and the priority list's ranking
read only this index, not the wide result rows (explanation and consensus are JSON)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scans", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="scanprocess",
            index=models.Index(
                fields=["scan", "organisation", "likelihood", "impact", "vulnerability", "process"],
                name="scans_scanprocess_heatmap",
            ),
        ),
    ]
