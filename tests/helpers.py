"""Helpers shared by several test modules, so that no test module imports another."""

from demo import drafts

from .conftest import CORPUS

# An old Word .doc draft from the corpus: converted by LibreOffice after the upload.
DOC = CORPUS / "policies" / "住房保障" / "惠州市公共租赁住房建设和管理办法2015.doc"


def revised(dossier, note):
    """The drafter's revision of the draft, as ``step`` data and files, with ``note``,
    adopting every finding of the opinion that sent it back."""
    paragraphs = drafts.draft_text(
        dossier.title, "房屋租赁", "城市房地产管理法", "住房和城乡建设局", extra=note
    )
    data = {"note": note, **drafts.adopt_all(dossier)}
    return data, {"file": drafts.upload("修改稿.docx", paragraphs)}
