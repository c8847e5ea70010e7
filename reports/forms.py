"""Which figures to show: a year, optionally one drafting department or issuing body."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from review.models import Department

from . import figures


class ScopeForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    department = forms.ModelChoiceField(
        label=_("起草部门"),
        queryset=Department.objects.filter(kind=Department.Kind.DRAFTING),
        required=False,
        empty_label=_("全部起草部门"),
        error_messages={"invalid_choice": _("没有这个起草部门，请从列表中选择。")},
    )
    issuer = forms.ChoiceField(
        label=_("制定机关"),
        required=False,
        error_messages={"invalid_choice": _("没有名为“%(value)s”的制定机关，请从列表中选择。")},
    )

    def __init__(self, params):
        """``params`` is request.GET; without a year, the past year: the one reported on
        each January (Art. 26)."""
        years = figures.years()
        super().__init__({"year": timezone.localdate().year - 1, **params.dict()})
        year = self.fields["year"]
        year.choices = [(y, _("%(year)s年") % {"year": y}) for y in reversed(years)]
        year.error_messages["invalid_choice"] = _(
            "没有“%%(value)s”年度的统计数据，可以查看%(first)s年至%(last)s年。"
        ) % {"first": years[0], "last": years[-1]}
        self.fields["issuer"].choices = [("", _("全部制定机关"))] + [
            (name, name) for name in figures.issuers()
        ]

    def scope(self):
        return figures.Scope(**self.cleaned_data)
