"""Text as people paste it into the forms, made fit to keep and to set in Word or Excel.

Word's manual line break (\\x0b) and page break (\\x0c) come along when a title is copied
out of a document; they and the other C0 control characters cannot stand in XML 1.0, so a
.docx or .xlsx holding one cannot be written. Forms normalise what is typed, and the
writers normalise again, for what was stored before or arrives by other ways.
"""

import re

from django import forms

_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c]")
# Whatever XML 1.0 cannot carry, tab and newline aside: C0 controls, lone surrogates, U+FFFE/F.
_NOT_XML = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def normalize_text(text: str, *, multiline: bool = True) -> str:
    """Line breaks as "\\n" (a space where the text is one line), no other control characters."""
    text = _NOT_XML.sub("", _LINE_BREAKS.sub("\n", text))
    return text if multiline else text.replace("\n", " ")


def normalize_cleaned_text(form: forms.Form, data: dict) -> None:
    """Normalise, in ``data`` (a form's cleaned data), the value of each of its text fields.

    A Textarea keeps its lines; a one-line input gets spaces. A required field left with
    nothing but control characters is as empty as one left blank.
    """
    for name, field in form.fields.items():
        value = data.get(name)
        if not isinstance(field, forms.CharField) or not isinstance(value, str):
            continue
        value = normalize_text(value, multiline=isinstance(field.widget, forms.Textarea))
        data[name] = value.strip() if field.strip else value
        if field.required and not data[name]:
            form.add_error(name, field.error_messages["required"])
