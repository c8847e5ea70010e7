"""The letters the review sends out, written from the record and stored once."""

from django.conf import settings
from django.utils import timezone

from . import letters
from .models import Conclusion, Material, NumberSequence, OutgoingLetter, Stage

# The letter's conclusion wording is keyed by the Chinese term of Art. 17.
CONCLUSION_TERMS = {
    Conclusion.LAWFUL: "内容合法",
    Conclusion.DO_NOT_MAKE: "不予制定",
    Conclusion.POSTPONE: "暂缓制定",
    Conclusion.REMOVE: "取消相关内容",
    Conclusion.REVISE: "修改完善",
}


def _store(dossier, kind, number, letter, user, opinion=None):
    data = letters.render_letter(letter)
    stored = OutgoingLetter(
        dossier=dossier, kind=kind, number=number, opinion=opinion, uploaded_by=user
    )
    stored.set_content(f"{OutgoingLetter.Kind(kind).label}{number}.docx", data)
    stored.save()
    return stored


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def sign_opinion(opinion, user):
    """Sign the opinion and write the letter that carries it: one act, never one without
    the other."""
    opinion.sign(user)
    return opinion_letter(opinion, user)


def opinion_letter(opinion, user):
    """The letter of a signed opinion: stage 1's 初审意见函 or stage 2's 审查意见书."""
    dossier = opinion.dossier
    today = timezone.localdate(opinion.signed_at)
    if opinion.stage == Stage.DEPT_CHECK:
        department = dossier.department
        prefix = department.letter_prefix or f"{department.name}函"
        number = NumberSequence.take(prefix, today.year)
        letter = letters.Letter(
            kind="initial_opinion",
            issuer=department.name,
            number=number,
            title=f"关于《{dossier.title}》的初审意见",
            addressee=settings.LEGAL_OFFICE_NAME,
            document_title=dossier.title,
            date=today,
            paragraphs=_lines(opinion.text),
            legal_basis=_lines(dossier.legal_basis),
            signed_by=str(opinion.signed_by),
        )
        kind = OutgoingLetter.Kind.INITIAL_OPINION
    else:
        number = opinion.number
        letter = _review_opinion(opinion, number, today, str(opinion.signed_by))
        kind = OutgoingLetter.Kind.REVIEW_OPINION
    return _store(dossier, kind, number, letter, user, opinion=opinion)


def _review_opinion(opinion, number, date, signed_by):
    dossier = opinion.dossier
    return letters.Letter(
        kind="review_opinion",
        issuer=settings.LEGAL_OFFICE_NAME,
        number=number,
        title=f"关于《{dossier.title}》的合法性审查意见",
        addressee=dossier.department.name,
        document_title=dossier.title,
        date=date,
        conclusion=CONCLUSION_TERMS[opinion.conclusion],
        findings=[
            letters.Finding(f.article or None, f.text, f.legal_basis or None)
            for f in opinion.findings.all()
        ],
        legal_basis=_lines(opinion.legal_basis),
        sections=[letters.Section("总体意见", _lines(opinion.text))],
        objection_days=settings.REVIEW_RULES["objection_working_days"],
        signed_by=signed_by,
        late=opinion.late,
    )


def unsigned_number(year):
    """The number an unsigned legality opinion's letter shows: signing assigns it."""
    return f"{settings.OPINION_NUMBER_PREFIX}〔{year}〕（签发时编号）号"


def expected_number(year):
    """The opinion number the next signature would take, read without taking it: another
    signature may come first."""
    prefix = settings.OPINION_NUMBER_PREFIX
    return NumberSequence.format(prefix, year, NumberSequence.last_taken(prefix, year) + 1)


def opinion_preview(opinion, signer):
    """The letter the unsigned legality opinion would go out as if ``signer`` signed it
    today, numbered as signing will number it."""
    today = timezone.localdate()
    return _review_opinion(opinion, unsigned_number(today.year), today, str(signer))


def _legal_office_number():
    return NumberSequence.take(settings.LEGAL_OFFICE_LETTER_PREFIX, timezone.localdate().year)


def supplement_request(dossier, user, kinds, comment=""):
    number = _legal_office_number()
    letter = letters.Letter(
        kind="supplement_request",
        issuer=settings.LEGAL_OFFICE_NAME,
        number=number,
        title=f"关于补正《{dossier.title}》送审材料的通知",
        addressee=dossier.department.name,
        document_title=dossier.title,
        date=timezone.localdate(),
        missing_materials=[str(Material.Kind(k).label) for k in kinds],
        closing=_lines(comment),
    )
    return _store(dossier, OutgoingLetter.Kind.SUPPLEMENT_REQUEST, number, letter, user)


def extension_notice(dossier, user, reason, days, due):
    number = _legal_office_number()
    letter = letters.Letter(
        kind="extension_notice",
        issuer=settings.LEGAL_OFFICE_NAME,
        number=number,
        title=f"关于延长《{dossier.title}》审查期限的通知",
        addressee=dossier.department.name,
        document_title=dossier.title,
        date=timezone.localdate(),
        reason=reason,
        extension_days=days,
        new_deadline=due,
    )
    return _store(dossier, OutgoingLetter.Kind.EXTENSION_NOTICE, number, letter, user)
