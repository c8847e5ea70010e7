"""Doing a dossier's open step without the page: for seed_demo, the demo year and the tests."""

from workflow.actions import open_tasks


def complete_open_task(dossier, user, data, files=None):
    """Do the dossier's open step as ``user`` with form ``data``, as the task page would.

    Used by seed_demo and the tests; raises ValueError with the form's messages if the
    data would be refused on the page.
    """
    task = open_tasks(dossier).get()
    dossier.refresh_from_db()
    form = task.flow_task.form_class(data, files or {}, dossier=dossier, user=user)
    if not form.is_valid():
        findings = getattr(form, "findings", None)
        problems = [form.errors.as_text()]
        problems += [errors.as_text() for errors in (findings.errors if findings else []) if errors]
        raise ValueError("\n".join(problems))
    task.flow_task.execute(task.pk, user, form)
    dossier.refresh_from_db()
    return dossier
