"""Forms of the register: the search parameters (page and API alike) and the cleanup steps."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from review.models import Department
from search.backends import SearchQuery
from search.backends.base import MAX_WINDOW
from search.chinese import is_cjk, normalize, runs
from search.cleanup import default_reply_due
from search.models import CampaignItem, Decision, Document, Kind, Status


def _code(enum, value, field_label):
    """A choice given by its code (in_force) or by its label (有效)."""
    value = (value or "").strip()
    if not value:
        return ""
    for code, label in enum.choices:
        if value in (code, str(label)):
            return code
    raise ValidationError(
        _("%(f)s“%(v)s”无效，可选：%(ok)s"),
        params={
            "f": field_label,
            "v": value,
            "ok": "、".join(f"{code}（{label}）" for code, label in enum.choices),
        },
    )


class SearchForm(forms.Form):
    """GET parameters of the search page and of /api/register/search."""

    q = forms.CharField(label=_("关键词或文号"), required=False, max_length=200)
    status = forms.CharField(label=_("效力状态"), required=False)
    issuer = forms.CharField(label=_("制定机关"), required=False, max_length=200)
    kind = forms.CharField(label=_("文件类别"), required=False)
    year_from = forms.IntegerField(
        label=_("公布年份自"), required=False, min_value=1949, max_value=2100
    )
    year_to = forms.IntegerField(label=_("至"), required=False, min_value=1949, max_value=2100)
    in_force_on = forms.DateField(
        label=_("在该日有效"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"invalid": _("日期格式应为 2018-01-18。")},
    )
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[("relevance", _("按相关度")), ("date", _("按公布日期"))],
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    page_size = forms.IntegerField(
        required=False, min_value=1, max_value=100, widget=forms.HiddenInput
    )

    def clean_q(self):
        """Few enough words that one search stays cheap; each lone Chinese character is
        looked up among every indexed word that holds it (search.backends.embedded)."""
        q = self.cleaned_data["q"]
        limits = settings.SEARCH_LIMITS
        words = normalize(q).split()
        if len(words) > limits["max_words"]:
            raise ValidationError(
                _("关键词最多%(n)s个，请删减后再查询。"), params={"n": limits["max_words"]}
            )
        lone = [run for word in words for run in runs(word) if is_cjk(run) and len(run) == 1]
        if len(lone) > limits["max_single_characters"]:
            raise ValidationError(
                _("单个汉字的关键词最多%(n)s个，请输入完整的词语。"),
                params={"n": limits["max_single_characters"]},
            )
        return q

    def clean_status(self):
        return _code(Status, self.cleaned_data["status"], _("效力状态"))

    def clean_kind(self):
        return _code(Kind, self.cleaned_data["kind"], _("文件类别"))

    def clean(self):
        data = super().clean()
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if year_from and year_to and year_from > year_to:
            raise ValidationError(_("起始年份不能晚于截止年份。"))
        page, size = data.get("page") or 1, data.get("page_size") or 20
        if page * size > MAX_WINDOW:
            raise ValidationError(
                _("最多只能翻到第%(n)s条结果，请增加筛选条件。"), params={"n": MAX_WINDOW}
            )
        return data

    def to_query(self, public: bool, hidden: tuple[int, ...] = ()) -> SearchQuery:
        data = self.cleaned_data
        return SearchQuery(
            text=data["q"].strip(),
            status=(data["status"],) if data["status"] else (),
            issuer=data["issuer"].strip(),
            kind=data["kind"],
            year_from=data["year_from"],
            year_to=data["year_to"],
            in_force_on=data["in_force_on"],
            public=public,
            hidden=hidden,
            sort=data["sort"] or "relevance",
            page=data["page"] or 1,
            page_size=data["page_size"] or 20,
            today=timezone.localdate(),
        )

    def first_error(self) -> str:
        return next(str(e) for errors in self.errors.values() for e in errors)


class IsoDateInput(forms.DateInput):
    """<input type=date> takes its value as 2026-11-30 only; the Chinese locale's own date
    format (2026/11/30) would leave the field empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def iso_date_field(label, **kwargs):
    return forms.DateField(
        label=label,
        input_formats=["%Y-%m-%d"],
        widget=IsoDateInput,
        error_messages={"invalid": _("日期格式应为 2018-01-18。")},
        **kwargs,
    )


class CampaignForm(forms.Form):
    """Start a cleanup: name it, give the departments a deadline, choose the documents by
    filters."""

    title = forms.CharField(
        label=_("清理名称"), max_length=200, help_text=_("如：2018年市政府规范性文件清理")
    )
    basis = forms.CharField(
        label=_("清理依据和范围"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reply_due = iso_date_field(
        _("答复期限"),
        initial=default_reply_due,
        help_text=_("承办部门须在此日期前提出清理意见。"),
    )
    kind = forms.MultipleChoiceField(
        label=_("文件类别"),
        choices=Kind.choices,
        initial=[Kind.GOVERNMENT_NORMATIVE],
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.MultipleChoiceField(
        label=_("效力状态"),
        choices=[(s, s.label) for s in (Status.IN_FORCE, Status.PENDING, Status.AMENDED)],
        initial=[Status.IN_FORCE],
        widget=forms.CheckboxSelectMultiple,
    )
    issuer = forms.CharField(label=_("制定机关（包含）"), required=False)
    department = forms.ModelChoiceField(
        label=_("起草部门"), queryset=Department.objects.all(), required=False
    )
    year_from = forms.IntegerField(
        label=_("公布年份自"), required=False, min_value=1949, max_value=2100
    )
    year_to = forms.IntegerField(
        label=_("公布年份至"), required=False, min_value=1949, max_value=2100
    )

    def clean_reply_due(self):
        due = self.cleaned_data["reply_due"]
        if due <= timezone.localdate():
            raise ValidationError(_("答复期限应晚于今天。"))
        return due

    def clean(self):
        data = super().clean()
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            raise ValidationError(_("起始年份不能晚于截止年份。"))
        if not self.errors and not self.documents().exists():
            raise ValidationError(_("没有符合这些条件的文件，请调整筛选条件。"))
        return data

    def documents(self):
        data = self.cleaned_data
        documents = Document.objects.filter(kind__in=data["kind"], status__in=data["status"])
        if data.get("issuer"):
            documents = documents.filter(issuer__contains=data["issuer"].strip())
        if data.get("department"):
            documents = documents.filter(department=data["department"])
        if data.get("year_from"):
            documents = documents.filter(published_on__year__gte=data["year_from"])
        if data.get("year_to"):
            documents = documents.filter(published_on__year__lte=data["year_to"])
        return documents

    def by_department(self):
        """How many documents each department will be given: the preview before launch."""
        return (
            self.documents()
            .values("department__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "department__name")
        )


class AssignForm(forms.Form):
    """分配承办部门 for the ticked documents."""

    items = forms.ModelMultipleChoiceField(
        label=_("文件"), queryset=CampaignItem.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    department = forms.ModelChoiceField(
        label=_("承办部门"), queryset=Department.objects.filter(kind=Department.Kind.DRAFTING)
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = campaign.items.all()
        self.fields["items"].error_messages["required"] = _("请勾选要分配的文件。")


class ProposalForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("清理意见"),
        choices=Decision.choices,
        error_messages={"invalid_choice": _("请选择清理意见。")},
    )
    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("请写明清理理由。")},
    )


class BulkProposalForm(ProposalForm):
    """One decision for the ticked documents of the user's department (e.g. 保留 for many).

    ``seen`` is the last record the page showed, so that what a colleague did meanwhile is
    reported, not overwritten."""

    items = forms.ModelMultipleChoiceField(
        label=_("文件"),
        queryset=CampaignItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("请勾选要提出清理意见的文件。"),
            "invalid_choice": _("勾选的文件不属于本部门承办的清理文件，请刷新页面后重试。"),
        },
    )
    seen = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, campaign, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = campaign.items.filter(
            department_id=user.department_id or -1
        )


class ReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审核"),
        choices=[("1", _("同意")), ("0", _("退回"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("approve") is False and not data.get("comment", "").strip():
            raise ValidationError(_("退回时请写明理由。"))
        return data


class PublishForm(forms.Form):
    """Publication changes the public register: it is confirmed, even without the page's
    confirmation dialog."""

    published_on = iso_date_field(_("公布日期"), initial=timezone.localdate)
    confirm = forms.BooleanField(
        label=_("已核对清理结果，确认公布。公布后废止、宣布失效的文件将变更效力状态，不能撤回。"),
        error_messages={"required": _("请勾选确认后再公布。")},
    )
