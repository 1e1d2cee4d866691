# Placement is matching's now (matching's migration 0002 took it over, same tables): the internship and the
# agreements point at matching.Placement, and internships drops the model from its state. Nothing changes in
# the database: the foreign keys already reference the same table.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('internships', '0005_agreements_batch_progress_and_notified'),
        ('matching', '0002_placement_from_internships'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='historicalinternship',
                    name='placement',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='matching.placement', verbose_name='placement'),
                ),
                migrations.AlterField(
                    model_name='internship',
                    name='placement',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='internship', to='matching.placement', verbose_name='placement'),
                ),
                migrations.AlterField(
                    model_name='agreement',
                    name='placement',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agreements', to='matching.placement', verbose_name='placement'),
                ),
                migrations.DeleteModel(
                    name='HistoricalPlacement',
                ),
                migrations.DeleteModel(
                    name='Placement',
                ),
            ],
        ),
    ]
