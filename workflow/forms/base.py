"""The shape every step form shares: it validates, shows the facts the person acts on, and
``perform()`` hands the cleaned data to the step's domain function (actions.py), inside the
flow's lock and transaction."""

from django import forms
from django.forms.utils import ErrorDict, ErrorList
from django.utils.translation import gettext_lazy as _

from core.text import normalize_cleaned_text

from .. import actions


class FieldGroup:
    """Some of a form's fields, shaped as includes/form.html reads a form, so a page can
    show them apart: an answer beside the finding it answers."""

    def __init__(self, visible, hidden=(), errors=()):
        self.visible_fields = list(visible)
        self.hidden_fields = list(hidden)
        self.non_field_errors = errors


class StepForm(forms.Form):
    """A step's form; subclasses implement ``perform``."""

    # Steps that judge the draft need its text; the drafter's own steps do not.
    reads_draft = True
    # Fields the page shows elsewhere than in the form's own list (beside a finding).
    placed_fields = ()

    def __init__(self, *args, dossier, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.user = user

    def clean(self):
        data = super().clean()
        normalize_cleaned_text(self, data)
        version = self.dossier.latest_version
        sending_back = data.get("decision") == "send_back"
        if self.reads_draft and not sending_back and version and version.unreadable:
            raise forms.ValidationError(version.unreadable)
        return data

    def perform(self):
        raise NotImplementedError

    def facts(self):
        """(label, text) pairs the task page shows above the form: what the person acts on."""
        return []

    def shown_opinion(self):
        """The opinion the person acts on, shown in full (see opinion.ShownOpinion)."""
        return None

    def main_fields(self):
        """The fields not placed elsewhere on the page, with the form's own errors."""
        visible = [f for f in self.visible_fields() if f.name not in self.placed_fields]
        return FieldGroup(visible, self.hidden_fields(), self.non_field_errors())

    def silence(self):
        """Show what was typed without judging it: a half-written form saved (暂存) or
        grown by a row is not yet submitted, so it shows no errors."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        for formset in self.formsets():
            formset._non_form_errors = ErrorList()
            for form in formset.forms:
                form._errors = ErrorDict()

    def formsets(self):
        """The formsets inside this form (rows the page can add)."""
        return []


class PassOrReturnForm(StepForm):
    """A step that passes the dossier on or sends it back with reasons."""

    PASS, SEND_BACK = "pass", "send_back"
    decision = forms.ChoiceField(
        label=_("办理结果"),
        choices=[(PASS, _("通过")), (SEND_BACK, _("退回起草部门修改"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("意见或退回理由"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.SEND_BACK and not data.get("comment", "").strip():
            self.add_error("comment", _("退回时请写明理由。"))
        return data

    def send_back(self):
        actions.send_back(self.dossier, self.user, self.cleaned_data["comment"])
