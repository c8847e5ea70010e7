"""Rows for the workbooks the office downloads, where every text is a text cell.

openpyxl stores a string that starts with "=" as a formula, so a title or a reason typed
as =HYPERLINK("http://…?"&B2, "点击") would run in the reader's Excel. Text cells are
typed as strings and, where Excel would read the first character as the start of a formula
(=, +, -, @; tab and CR for what it exports as CSV), marked with quotePrefix: the style
bit Excel sets when a user types an apostrophe before the text. The cell shows exactly the
text, the apostrophe only in the formula bar, and stays text when someone edits it; an
apostrophe written into the value itself would show in the cell.
"""

from collections.abc import Iterable

from openpyxl.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from core.text import normalize_text

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def append_row(sheet: Worksheet, values: Iterable) -> None:
    """``sheet.append(values)``, with every string written as text."""
    sheet.append([_text_cell(sheet, v) if isinstance(v, str) else v for v in values])


def _text_cell(sheet: Worksheet, text: str) -> Cell:
    cell = Cell(sheet)
    # The XML of a sheet cannot carry control characters either (openpyxl refuses them).
    cell.value = normalize_text(text)
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell
