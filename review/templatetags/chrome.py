"""Page chrome: who the user is, and lists written the way the page's language writes them."""

from django import template
from django.utils.translation import gettext as _

from core.listing import listed
from review.models import Role

register = template.Library()


@register.filter
def role_labels(user):
    """The user's roles by name, in the order of the review."""
    labels = [str(role.label) for role in Role if role.value in user.roles]
    if user.is_superuser:
        labels.insert(0, _("系统管理员"))
    return labels


@register.filter
def series(items):
    """甲、乙、丙 in Chinese, "A, B, C" in English."""
    return listed(items)
