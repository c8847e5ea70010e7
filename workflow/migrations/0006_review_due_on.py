"""Fill Dossier.review_due_on from the clock events recorded before it was kept."""

from django.db import migrations

from core.workdays import WorkCalendar


def fill(apps, schema_editor):
    # The historical models are enough for the replay: it reads the dossier's category,
    # its materials date and its events, nothing the later schema may move.
    from workflow.clock import due_date

    Dossier = apps.get_model("review", "Dossier")
    Override = apps.get_model("workflow", "WorkdayOverride")
    Year = apps.get_model("workflow", "CalendarYear")
    calendar = WorkCalendar(
        dict(Override.objects.values_list("day", "is_working_day")),
        Year.objects.filter(complete=True).values_list("year", flat=True),
    )
    started = Dossier.objects.filter(materials_complete_on__isnull=False)
    for dossier in started.prefetch_related("clock_events"):
        if due := due_date(dossier, calendar):
            Dossier.objects.filter(pk=dossier.pk).update(review_due_on=due)


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0012_review_due_on"),
        ("workflow", "0005_desks"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
