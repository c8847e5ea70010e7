"""``{% prereview_tables version %}``: the pre-review beside the draft on the reviewer's task
page, the citations table and the flagged articles, each flag with its two buttons."""

from django import template

from search.citations import STATUSES
from search.models import PreReview
from search.prereview import flag_labels, run_for_version

register = template.Library()


@register.inclusion_tag("workflow/includes/prereview.html", takes_context=True)
def prereview_tables(context, version):
    request = context.get("request")
    kept = _kept(version)
    decided = {d.key: d for d in kept.decisions.all()} if kept else {}
    labels = dict(flag_labels())
    citations, articles = [], []
    for index, row in enumerate(kept.citations if kept else []):
        key = f"citation:{index}"
        citations.append(
            {
                **row,
                "key": key,
                "status_label": STATUSES[row["status"]],
                "then_label": STATUSES[row.get("status_on_draft_date", row["status"])],
                "decision": decided.get(key),
            }
        )
    for row in kept.flagged_articles if kept else []:
        flags = [
            {
                "flag": flag,
                "label": labels.get(flag, flag),
                "key": f"article:{row['article']}:{flag}",
                "decision": decided.get(f"article:{row['article']}:{flag}"),
            }
            for flag in row["flags"]
        ]
        articles.append({**row, "flag_rows": flags})
    return {
        "prereview": kept,
        "version": version,
        "citations": citations,
        "articles": articles,
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }


def _kept(version):
    """The version's kept pre-review; one not yet computed (a version uploaded before the
    pre-review existed, or the worker still busy) is computed now, in under a second."""
    if version is None or not version.text:
        return None
    kept = PreReview.objects.filter(version=version).prefetch_related("decisions").first()
    if kept is None:
        kept = run_for_version(version)
    return kept
