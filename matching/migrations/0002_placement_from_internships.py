# Placement moves from internships to matching: matching ends at the placement, internships starts from it.
# The tables keep their names (internships_placement, internships_historicalplacement): only Django's state
# moves here, no row is copied. Internships' migration 0006 then points its foreign keys at matching.Placement
# and drops the model from its own state.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED = ("placement", "historicalplacement")


def relabel(apps, *, old: str, new: str) -> None:
    """The content types (and with them the permissions) and the audit trail's record type follow the model."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("jip", "AuditEntry")
    for model in MOVED:
        if ContentType.objects.filter(app_label=new, model=model).exists():
            continue  # made meanwhile (an earlier run): the permissions stay with the older one
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
    AuditEntry.objects.filter(target_type=f"{old}.placement").update(target_type=f"{new}.placement")


def forwards(apps, schema_editor):
    relabel(apps, old="internships", new="matching")


def backwards(apps, schema_editor):
    relabel(apps, old="matching", new="internships")


class Migration(migrations.Migration):

    dependencies = [
        ('applicants', '0003_application_newest_first_nulls_last'),
        ('companies', '0004_historicalposition_interns_online_and_more'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('internships', '0005_agreements_batch_progress_and_notified'),
        ('jip', '0002_cycle_english_minimums'),
        ('matching', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalPlacement',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('course', models.CharField(choices=[('in_person', 'In-person internship in Japan'), ('online', 'Online internship')], max_length=16, verbose_name='course')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='final since')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('application', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='applicants.application', verbose_name='application')),
                        ('cycle', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='jip.programcycle', verbose_name='cycle')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('match', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='matching.match', verbose_name='match')),
                        ('position', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='companies.position', verbose_name='position')),
                    ],
                    options={
                        'verbose_name': 'historical placement',
                        'verbose_name_plural': 'historical placements',
                        'db_table': 'internships_historicalplacement',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Placement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('course', models.CharField(choices=[('in_person', 'In-person internship in Japan'), ('online', 'Online internship')], max_length=16, verbose_name='course')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='final since')),
                        ('application', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='placement', to='applicants.application', verbose_name='application')),
                        ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='placements', to='jip.programcycle', verbose_name='cycle')),
                        ('match', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='placement', to='matching.match', verbose_name='match')),
                        ('position', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='placements', to='companies.position', verbose_name='position')),
                    ],
                    options={
                        'verbose_name': 'placement',
                        'verbose_name_plural': 'placements',
                        'db_table': 'internships_placement',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
