from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


class ReviewProcess(Process):
    """The viewflow process of one dossier; the dossier holds the domain data."""

    class Meta:
        proxy = True
        verbose_name = _("审查流程")
        verbose_name_plural = _("审查流程")
