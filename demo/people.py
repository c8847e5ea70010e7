"""The demo city's departments and one user per role (drafter2/dept_legal2 of another
department, reviewer2 a colleague of reviewer)."""

from django.contrib.auth.models import Group

from review.models import Department, User

DEFAULT_PASSWORD = "demo-review-2026"

HOUSING = "衡水市住房和城乡建设局"
MARKET = "衡水市市场监督管理局"
LEGAL = "衡水市人民政府法制办公室"
GOV_OFFICE = "衡水市人民政府办公室"

DEPARTMENTS = [
    (HOUSING, Department.Kind.DRAFTING, "衡住建规", "衡住建函"),
    (MARKET, Department.Kind.DRAFTING, "衡市监规", "衡市监函"),
    (LEGAL, Department.Kind.LEGAL_OFFICE, "", "衡法函"),
    (GOV_OFFICE, Department.Kind.GOVERNMENT_OFFICE, "衡政办规", "衡政办函"),
]

USERS = [
    ("drafter", "张起草", HOUSING, "drafter"),
    ("dept_legal", "李初审", HOUSING, "dept_legal"),
    ("reviewer", "王审查", LEGAL, "reviewer"),
    # A second reviewer: tasks are claimed, released and handed over between colleagues.
    ("reviewer2", "陈审查", LEGAL, "reviewer"),
    ("head", "赵主任", LEGAL, "head"),
    ("secretary", "孙秘书", GOV_OFFICE, "secretary"),
    ("clerk", "周登记", LEGAL, "clerk"),
    ("drafter2", "吴经办", MARKET, "drafter"),
    ("dept_legal2", "郑法规", MARKET, "dept_legal"),
]


def departments():
    result = {}
    for name, kind, prefix, letter_prefix in DEPARTMENTS:
        result[name], _ = Department.objects.update_or_create(
            name=name,
            defaults={"kind": kind, "number_prefix": prefix, "letter_prefix": letter_prefix},
        )
    return result


def users(departments, password):
    result = {}
    for username, full_name, department, role in USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"first_name": full_name, "department": departments[department]},
        )
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get_or_create(name=role)[0]])
        result[username] = user
    return result
