"""The collective decision, the recheck before issue and registration."""

import re
from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.text import normalize_cleaned_text
from core.workdays import validity_last_day
from review.clauses import stated_effective_date, stated_validity_years
from review.compare import compare_texts, render_inline_html
from review.forms import CheckedFileField
from review.models import (
    Conclusion,
    Dossier,
    Finding,
    MeetingDecision,
    Minutes,
    Opinion,
    Stage,
)
from search.models import Document, EarlyEffect, validity_years
from search.numbers import number_key
from search.register import default_effective_on, next_number

from .. import actions
from ..models import ClockEvent
from ..nodes import StaleTask
from .base import PassOrReturnForm, StepForm


@dataclass
class Briefing:
    """What the meeting is told about a draft: the legal office's conclusion (the signed
    lawful opinion, or the review deemed passed), and the findings the drafting department
    did not adopt in full (BRIEF, 集体审)."""

    lawful: Opinion | None
    deemed_passed: bool
    not_adopted: list = field(default_factory=list)

    @classmethod
    def of(cls, dossier):
        return cls.for_dossiers([dossier])[dossier.pk]

    @classmethod
    def for_dossiers(cls, dossiers):
        """{dossier pk: Briefing}, in three queries however many dossiers."""
        lawful = {}
        for opinion in Opinion.objects.filter(
            dossier__in=dossiers,
            stage=Stage.LEGAL_REVIEW,
            conclusion=Conclusion.LAWFUL,
            signed_at__isnull=False,
            late=False,
        ):
            lawful[opinion.dossier_id] = opinion  # the last one signed
        deemed = set(
            ClockEvent.objects.filter(
                dossier__in=dossiers, kind=ClockEvent.Kind.DEEMED_PASSED
            ).values_list("dossier_id", flat=True)
        )
        briefings = {d.pk: cls(lawful.get(d.pk), d.pk in deemed) for d in dossiers}
        for answer in actions.answers_not_adopted(dossiers):
            briefings[answer.finding.opinion.dossier_id].not_adopted.append(answer)
        return briefings

    @property
    def may_be_decided(self):
        return bool(self.lawful) or self.deemed_passed

    def conclusion(self):
        """The legal office's conclusion in a line, or ""."""
        if self.deemed_passed:
            return _("审查期限届满未出具书面意见，依规定视为审查通过")
        if self.lawful:
            return _("%(conclusion)s（%(number)s）") % {
                "conclusion": self.lawful.get_conclusion_display(),
                "number": self.lawful.number,
            }
        return ""

    def facts(self):
        facts = []
        if self.deemed_passed:
            facts.append((_("合法性审查"), self.conclusion()))
        elif self.lawful:
            facts.append((_("合法性审查结论"), self.conclusion()))
        facts += [
            (
                _("未采纳的审查意见：%(a)s") % {"a": a.finding.article or _("总体")},
                _("%(finding)s —— %(answer)s：%(reason)s")
                % {"finding": a.finding.text, "answer": a.get_answer_display(), "reason": a.reason},
            )
            for a in self.not_adopted
        ]
        return facts


MINUTES_TYPES = frozenset(Minutes.EXTENSIONS)


class MeetingForm(StepForm):
    """Stage 3: the collective decision (Art. 20), recorded by the government office for a
    government document and by the department for its own. Several drafts decided at one
    meeting are recorded together from the agenda (views/meetings.py)."""

    # Left empty, the usual body for the kind: the executive or the office meeting.
    body = forms.ChoiceField(
        label=_("集体审议方式"), choices=MeetingDecision.Body.choices, required=False
    )
    meeting = forms.CharField(
        label=_("会议名称或决定文件"),
        max_length=100,
        help_text=_("如：市政府第12次常务会议；局第5次办公会议"),
    )
    held_on = forms.DateField(
        label=_("会议或决定日期"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    outcome = forms.ChoiceField(
        label=_("决定"), choices=MeetingDecision.Outcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("会议意见"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    minutes = CheckedFileField(label=_("会议纪要或决定文件"), allow=MINUTES_TYPES, required=False)

    def __init__(self, *args, briefing=None, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = MeetingDecision.Body.for_kind(self.dossier.kind)
        self.fields["body"].choices = [(b.value, b.label) for b in bodies]
        self.fields["body"].initial = bodies[0]
        self._briefing = briefing

    @property
    def briefing(self):
        if self._briefing is None:
            self._briefing = Briefing.of(self.dossier)
        return self._briefing

    def facts(self):
        """What the meeting is told: the legal office's conclusion, and where the drafting
        department did not adopt it."""
        return self.briefing.facts()

    def clean(self):
        data = super().clean()
        if not self.briefing.may_be_decided:
            raise forms.ValidationError(_("未经合法性审查通过的草案不得提请集体审议。"))
        if data.get("held_on") and data["held_on"] > timezone.localdate():
            self.add_error("held_on", _("会议日期不能晚于今天。"))
        if (
            data.get("outcome") == MeetingDecision.Outcome.AMEND
            and not data.get("notes", "").strip()
        ):
            self.add_error("notes", _("请写明会议要求修改的内容。"))
        return data

    def clean_body(self):
        return self.cleaned_data["body"] or MeetingDecision.Body.for_kind(self.dossier.kind)[0]

    def perform(self):
        fields = ("body", "meeting", "held_on", "outcome", "notes", "minutes")
        actions.record_meeting(self.dossier, self.user, **{k: self.cleaned_data[k] for k in fields})


class AgendaItemForm(forms.Form):
    """One draft on the agenda: put to this meeting or not, and what it decided."""

    decide = forms.BooleanField(label=_("提请本次会议审议"), required=False)
    outcome = forms.ChoiceField(
        label=_("决定"), choices=[("", "—"), *MeetingDecision.Outcome.choices], required=False
    )
    notes = forms.CharField(
        label=_("会议意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, task, dossier, briefing, **kwargs):
        super().__init__(*args, prefix=f"d{dossier.pk}", **kwargs)
        self.task, self.dossier, self.briefing = task, dossier, briefing
        self.step_form = None

    def clean(self):
        data = super().clean()
        if data.get("decide") and not data.get("outcome"):
            self.add_error("outcome", _("请选择会议对该草案的决定。"))
        return data


class AgendaForm(forms.Form):
    """The meeting, entered once, with its minutes, and the drafts waiting for the
    collective decision: each ticked one is recorded through its own step (MeetingForm),
    as if done on its task page."""

    body = forms.ChoiceField(label=_("集体审议方式"))
    meeting = MeetingForm.base_fields["meeting"]
    held_on = MeetingForm.base_fields["held_on"]
    minutes = CheckedFileField(label=_("会议纪要或决定文件"), allow=MINUTES_TYPES)

    def __init__(self, data=None, files=None, *, user, waiting):
        super().__init__(data, files)
        self.user = user
        dossiers = [dossier for _task, dossier in waiting]
        briefings = Briefing.for_dossiers(dossiers)
        self.items = [
            AgendaItemForm(data, task=task, dossier=dossier, briefing=briefings[dossier.pk])
            for task, dossier in waiting
        ]
        kinds = dict.fromkeys(d.kind for d in dossiers) or [Dossier.Kind.GOVERNMENT]
        bodies = [body for kind in kinds for body in MeetingDecision.Body.for_kind(kind)]
        self.fields["body"].choices = [(b.value, b.label) for b in bodies]
        self.fields["body"].initial = bodies[0]

    def chosen_pks(self):
        return [item.dossier.pk for item in self.items if item.is_bound and item["decide"].value()]

    def clean(self):
        data = super().clean()
        normalize_cleaned_text(self, data)
        chosen = [item for item in self.items if item.is_valid() and item.cleaned_data["decide"]]
        if not chosen and not any(item.errors for item in self.items):
            raise forms.ValidationError(_("请勾选本次会议审议的草案。"))
        self.chosen = chosen
        meeting = {k: data.get(k) for k in ("body", "meeting", "held_on")}
        if None in meeting.values():
            return data  # the meeting's own errors are shown first
        for item in chosen:
            item.step_form = MeetingForm(
                {**meeting, **{k: item.cleaned_data[k] for k in ("outcome", "notes")}},
                dossier=item.dossier,
                user=self.user,
                briefing=item.briefing,
            )
            if not item.step_form.is_valid():
                for field, errors in item.step_form.errors.items():
                    target = field if field in item.fields else None
                    for error in errors:
                        item.add_error(target, error)
        return data

    def is_valid(self):
        valid = super().is_valid()
        return valid and not any(item.errors for item in self.items)

    @transaction.atomic
    def record(self):
        """Record the meeting once and each ticked draft's decision: ([recorded dossiers],
        [dossiers someone recorded meanwhile]). A refusal of the rules raises and changes
        nothing."""
        data = self.cleaned_data
        actions.hold_meeting(
            self.user,
            body=data["body"],
            meeting=data["meeting"],
            held_on=data["held_on"],
            minutes=data["minutes"],
        )
        recorded, stale = [], []
        for item in self.chosen:
            try:
                with transaction.atomic():
                    item.task.flow_task.execute(item.task.pk, self.user, item.step_form)
            except StaleTask:
                stale.append(item.dossier)
            else:
                recorded.append(item.dossier)
        if not recorded:
            transaction.set_rollback(True)
        return recorded, stale


class RecheckForm(PassOrReturnForm):
    """Stage 4: the text to be issued against the text the meeting approved. Every change
    since must be justified, and the adoption of the legal opinion confirmed."""

    opinion_adopted = forms.BooleanField(label=_("已确认审查意见的采纳情况"), required=False)

    @property
    def changed(self):
        return self.dossier.latest_version != self.dossier.approved_version

    @cached_property
    def comparison(self):
        """The text to be issued against the text the meeting approved."""
        return compare_texts(self.dossier.approved_version.text, self.dossier.latest_version.text)

    def comparison_html(self):
        return render_inline_html(self.comparison)

    def facts(self):
        """Every finding of the legality opinions with the department's answer: the recheck
        confirms adoption against them."""
        findings = Finding.objects.filter(
            opinion__dossier=self.dossier, opinion__signed_at__isnull=False
        ).prefetch_related("answers")
        facts = []
        for f in findings:
            answers = list(f.answers.all())
            answer = answers[-1] if answers else None
            if answer is None:
                said = _("%(finding)s —— 未答复") % {"finding": f.text}
            elif answer.reason:
                said = _("%(finding)s —— %(answer)s：%(reason)s") % {
                    "finding": f.text,
                    "answer": answer.get_answer_display(),
                    "reason": answer.reason,
                }
            else:
                said = _("%(finding)s —— %(answer)s") % {
                    "finding": f.text,
                    "answer": answer.get_answer_display(),
                }
            facts.append((f.article or _("总体"), said))
        return facts

    def clean(self):
        data = super().clean()
        if data.get("decision") != self.PASS:
            return data
        if not data.get("opinion_adopted"):
            self.add_error("opinion_adopted", _("请确认审查意见的采纳情况。"))
        if self.changed and not data.get("comment", "").strip():
            self.add_error(
                "comment", _("拟发布文本与常务会议审议通过的文本不一致，请说明每处修改的理由。")
            )
        return data

    def perform(self):
        if self.cleaned_data["decision"] == self.SEND_BACK:
            return self.send_back()
        actions.recheck(self.dossier, self.user, self.cleaned_data["comment"])


class ShownField(forms.CharField):
    """A hidden value the page sets each time it is shown, even after a failed submit:
    the submitted value is still what the form cleans."""

    widget = forms.HiddenInput

    def bound_data(self, data, initial):
        return initial


class RegistrationForm(StepForm):
    """Unified registration, numbering and publication (三统一, Art. 23): the issuer's 代字,
    a publication date after the collective decision and not in the future, the effective
    date of Art. 22 (sooner only on one of its grounds) or the one the text states, the
    validity the document states (Art. 24), and the register documents it amends or
    repeals. The page shows the number and dates it will record before they are taken."""

    # Left empty, the issuer's default (first) 代字.
    series = forms.ChoiceField(label=_("发文代字"), required=False)
    published_on = forms.DateField(
        label=_("公布日期"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    published_in = forms.CharField(
        label=_("公布载体"), max_length=100, initial=_("政府门户网站、政府公报")
    )
    signed_on = forms.DateField(
        label=_("签署日期"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        required=False,
    )
    effective_on = forms.DateField(
        label=_("施行日期"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        required=False,
    )
    early_effect_ground = forms.ChoiceField(
        label=_("提前施行的理由"),
        choices=[("", "—"), *EarlyEffect.choices],
        required=False,
        help_text=_("施行日期早于公布后30日的，须属于下列情形之一（第二十二条）。"),
    )
    # Left empty, what the text states, else the maximum.
    validity_years = forms.IntegerField(label=_("有效期（年）"), min_value=1, required=False)
    amends = forms.CharField(
        label=_("本文件修改的文件（文号）"),
        required=False,
        help_text=_("多个文号用顿号、逗号或换行分隔"),
    )
    repeals = forms.CharField(label=_("本文件废止的文件（文号）"), required=False)
    # The number the page showed, to tell the clerk if another registration took it.
    shown_number = ShownField(required=False)

    class Media:
        js = ["meeting.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.series_list = self.dossier.number_series()
        self.fields["series"].choices = [
            (s.prefix, _("%(prefix)s（%(issuer)s）") % {"prefix": s.prefix, "issuer": s.issuer})
            for s in self.series_list
        ]
        if self.series_list:
            self.fields["series"].initial = self.series_list[0].prefix
        rules = settings.REVIEW_RULES
        self.max_years = validity_years(self.dossier.title)
        self.fields["validity_years"].max_value = self.max_years
        self.fields["validity_years"].validators.append(MaxValueValidator(self.max_years))
        self.fields["validity_years"].widget.attrs["max"] = self.max_years
        text = self.dossier.latest_version.text if self.dossier.latest_version else ""
        self.stated_effective = stated_effective_date(text)
        self.fields["effective_on"].help_text = _(
            "不填则按文件所定日期施行；文件未定的，自公布之日起%(days)s日后施行"
        ) % {"days": rules["effective_after_days"]}
        if self.stated_effective and self.stated_effective >= timezone.localdate():
            # A date already past (a text reissued unchanged) is no suggestion.
            self.fields["effective_on"].initial = self.stated_effective
        stated = stated_validity_years(text, self.stated_effective)
        self.fields["validity_years"].initial = min(stated or self.max_years, self.max_years)
        self.fields["validity_years"].help_text = _(
            "最长%(n)s年（暂行、试行的最长2年）；已按草案文本建议。"
        ) % {"n": self.max_years}
        self.fields["shown_number"].initial = self.preview().get("number", "")
        self.notice = ""

    def _value(self, name):
        """A field's value as shown now (submitted or initial), or None if it is invalid."""
        try:
            return self.fields[name].clean(self[name].value())
        except forms.ValidationError:
            return None

    def _effective(self, published, effective):
        """What the register will record when the field says ``effective``: the text's own
        date, not before publication, then 30 days after publication (Art. 22)."""
        if effective:
            return effective
        if self.stated_effective and published and self.stated_effective >= published:
            return self.stated_effective
        return default_effective_on(published) if published else None

    def preview(self):
        """The number, dates and end of validity this registration would record now, as
        dates and text; what cannot be worked out yet is left out. No number is taken."""
        published = self._value("published_on")
        prefix = (self._value("series") or self.series_list[0].prefix) if self.series_list else None
        effective = self._effective(published, self._value("effective_on"))
        years = self._value("validity_years") or self.fields["validity_years"].initial
        shown = {"published_on": published, "effective_on": effective}
        if prefix and published:
            shown["number"] = next_number(prefix, published.year)
        if effective and years and years <= self.max_years:
            shown["lapses_on"] = validity_last_day(effective, years)
        return {k: v for k, v in shown.items() if v}

    def facts(self):
        preview = self.preview()
        decision = self._decision()
        facts = [(_("集体审议"), str(decision) if decision else "—")]
        if not self.series_list:
            return [(_("发文代字"), _("未设置，请管理员设置后再登记")), *facts]
        shown = [
            ("number", _("拟编文号"), preview.get("number", "—")),
            ("published_on", _("公布日期"), preview.get("published_on")),
            ("effective_on", _("施行日期"), preview.get("effective_on")),
            ("lapses_on", _("有效期至"), preview.get("lapses_on")),
        ]
        url = reverse("workflow:registration_preview", args=[self.dossier.pk])
        return facts + [
            (
                label,
                format_html(
                    '<output data-preview="{}"{}>{}</output>',
                    key,
                    format_html(' data-preview-url="{}"', url) if key == "number" else "",
                    shown_value(value) or "—",
                ),
            )
            for key, label, value in shown
        ]

    def _decision(self):
        return self.dossier.meetings.order_by("-held_on", "-pk").first()

    def clean_validity_years(self):
        return self.cleaned_data["validity_years"] or self.fields["validity_years"].initial

    def _documents(self, field):
        numbers = [n for n in re.split(r"[、，,；;\s]+", self.cleaned_data.get(field, "")) if n]
        found = []
        for number in numbers:
            document = Document.objects.filter(number_key=number_key(number)).first()
            if document is None:
                self.add_error(field, _("登记库中没有文号为“%(n)s”的文件。") % {"n": number})
            else:
                found.append(document)
        return found

    def clean(self):
        data = super().clean()
        try:
            actions.issuing_series(self.dossier, data.get("series", ""))
        except ValidationError as refused:
            raise forms.ValidationError(refused.messages) from refused
        published = data.get("published_on")
        effective = self._effective(published, data.get("effective_on"))
        data["effective_on"] = effective
        decision = self._decision()
        if published and published > timezone.localdate():
            self.add_error("published_on", _("公布日期不能晚于今天。"))
        if published and decision and published < decision.held_on:
            self.add_error(
                "published_on",
                _("公布日期不能早于集体审议决定的日期（%(d)s）。") % {"d": decision.held_on},
            )
        if published and effective and effective < published:
            self.add_error("effective_on", _("施行日期不能早于公布日期。"))
        soonest = default_effective_on(published) if published else None
        if effective and soonest and effective < soonest and not data.get("early_effect_ground"):
            self.add_error(
                "early_effect_ground",
                _("施行日期早于公布后30日，请选择提前施行的理由。"),
            )
        if published and data.get("signed_on") and data["signed_on"] > published:
            self.add_error("signed_on", _("签署日期不能晚于公布日期。"))
        data["amends"] = self._documents("amends")
        data["repeals"] = self._documents("repeals")
        return data

    def perform(self):
        fields = (
            "published_on",
            "published_in",
            "series",
            "signed_on",
            "effective_on",
            "validity_years",
            "early_effect_ground",
            "amends",
            "repeals",
        )
        number = actions.register(
            self.dossier, self.user, **{k: self.cleaned_data[k] for k in fields}
        )
        shown = self.cleaned_data["shown_number"]
        if shown and shown != number:
            self.notice = _("页面显示的文号%(shown)s已被其他文件使用，本文件编为%(number)s。") % {
                "shown": shown,
                "number": number,
            }


def shown_value(value):
    """A previewed value as the page writes it."""
    return date_format(value, "DATE_FORMAT") if isinstance(value, date) else value
