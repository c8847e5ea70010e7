"""The year's figures in the words of an annual report, as the seed report puts them:
"市政府法制办共审查政府发文418件，出具书面审查意见33件". A "其中" list leaves out the
items that are zero, as a report would; the totals are always said."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.typesetting import format_cn_date
from review.letters import Section

from .figures import RETURN_STAGES


def _of_which(parts):
    """The parts as "，其中内容合法3件、修改完善1件"; nothing when there are none."""
    return _("，其中%(parts)s") % {"parts": "、".join(parts)} if parts else ""


def _counts(figures, unit=None):
    """Each non-zero figure but the total, as "内容合法3件"."""
    unit = unit or _("件")
    return [f"{f.label}{f.count}{unit}" for name, f in figures.items() if name != "all" and f.count]


def documents(scope):
    """What was reviewed: 规范性文件, narrowed to the department or issuing body asked for."""
    if scope.department and scope.issuer:
        return _("%(department)s起草的%(issuer)s规范性文件") % {
            "department": scope.department.name,
            "issuer": scope.issuer,
        }
    if scope.department:
        return _("%(department)s起草的规范性文件") % {"department": scope.department.name}
    if scope.issuer:
        return _("%(issuer)s规范性文件") % {"issuer": scope.issuer}
    return _("规范性文件")


def sections(scope, groups):
    """The report's paragraphs under their headings."""
    return [
        Section(_("审查工作总体情况"), general(scope, groups)),
        Section(_("审查期限执行情况"), deadlines(groups)),
        Section(_("集体审议和报送备案情况"), meeting_and_filing(groups)),
        Section(_("文件库和清理情况"), register_and_cleanup(scope, groups)),
    ]


def general(scope, groups):
    throughput, opinions, returns = groups["throughput"], groups["opinions"], groups["returns"]
    stages = [
        _("%(stage)s%(count)s件次") % {"stage": stage.label, "count": figure.count}
        for stage in RETURN_STAGES
        if (figure := returns[f"sent_back-{stage}"]).count
    ]
    return [
        _(
            "%(year)s年，%(office)s共收到报送审查的%(documents)s%(received)s件，"
            "全年共审查规范性文件%(reviewed)s件（其中出具书面审查意见后审结%(answered)s件，"
            "审查期限届满视为审查通过%(deemed)s件），出具书面审查意见%(opinions)s件%(kinds)s。"
            "统一登记、编号、公布规范性文件%(issued)s件。"
        )
        % {
            "year": scope.year,
            "office": settings.LEGAL_OFFICE_NAME,
            "documents": documents(scope),
            "received": throughput["received"].count,
            "reviewed": throughput["reviewed"].count,
            "answered": throughput["answered"].count,
            "deemed": throughput["deemed"].count,
            "opinions": opinions["all"].count,
            "kinds": _of_which(_counts(opinions)),
            "issued": throughput["issued"].count,
        },
        _("审查中退回起草部门修改%(sent_back)s件次%(stages)s；要求补正材料%(supplement)s件次。")
        % {
            "sent_back": returns["sent_back"].count,
            "stages": _of_which(stages),
            "supplement": returns["supplement"].count,
        },
    ]


def deadlines(groups):
    found = groups["deadlines"]
    paragraph = _(
        "已审结的%(reviewed)s件中，按期出具书面审查意见%(kept)s件，"
        "经法制机构负责人批准延长审查期限%(extended)s件，"
        "逾期未出具书面审查意见%(missed)s件，其中依规定视为审查通过%(deemed)s件。"
    ) % {
        "reviewed": groups["throughput"]["reviewed"].count,
        "kept": found["kept"].count,
        "extended": found["extended"].count,
        "missed": found["missed"].count,
        "deemed": found["deemed_passed"].count,
    }
    if found["unknown"].count:
        paragraph += _("另有%(n)s件因尚未录入节假日安排，无法计算审查期限。") % {
            "n": found["unknown"].count
        }
    times = [
        _("%(stage)s中位数%(median)s个工作日、最长%(max)s个工作日")
        % {"stage": time.label, "median": time.median, "max": time.maximum}
        for time in groups["times"].values()
        if time.median is not None
    ]
    if not times:
        return [paragraph]
    return [paragraph, _("各环节办理用时：%(times)s。") % {"times": "；".join(times)}]


def meeting_and_filing(groups):
    meetings, filing = groups["meetings"], groups["filing"]
    return [
        _("提请政府常务会议审议%(all)s件%(outcomes)s。")
        % {"all": meetings["all"].count, "outcomes": _of_which(_counts(meetings))},
        _(
            "公布的%(issued)s件规范性文件中，按时报送备案%(on_time)s件，"
            "逾期报送备案%(late)s件，尚未报送备案%(unfiled)s件。"
        )
        % {
            "issued": groups["throughput"]["issued"].count,
            "on_time": filing["on_time"].count,
            "late": filing["late"].count,
            "unfiled": filing["unfiled"].count,
        },
    ]


def register_and_cleanup(scope, groups):
    register, cleanup = groups["register"], groups["cleanup"]
    paragraphs = [
        _("截至%(today)s，规范性文件数据库登记%(year)s年底前公布的文件%(all)s件%(statuses)s。")
        % {
            "today": format_cn_date(timezone.localdate()),
            "year": scope.year,
            "all": register["all"].count,
            "statuses": _of_which(_counts(register)),
        }
    ]
    if cleanup["all"].count:
        paragraphs.append(
            _("开展规范性文件清理，共清理文件%(all)s件%(decisions)s。")
            % {"all": cleanup["all"].count, "decisions": _of_which(_counts(cleanup))}
        )
    else:
        paragraphs.append(_("本年度未公布规范性文件清理结果。"))
    return paragraphs
