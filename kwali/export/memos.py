"""All memos in one place: on the project, documents, sentences, codes and codings.

Researchers write their analysis in memos as they code; this gathers them into one table
(for Excel or pandas) or one Word document, each memo with what it is about and a
reference back into the transcripts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
from docx.document import Document as DocxDocument

from kwali.analysis.table_data import code_path
from kwali.export.tables import _Documents, reference
from kwali.i18n import _
from kwali.store import Project

Note = tuple[str, str]
"""(coder, text) of one memo as the report prints it."""


@dataclass(frozen=True, slots=True)
class ReportMemos:
    """The memos a report prints where they belong: the project's at the start (the
    method), each code's with its chapter, each interview's in a closing chapter."""

    project: list[Note] = field(default_factory=list)
    codes: dict[str, list[Note]] = field(default_factory=dict)
    documents: list[tuple[str, list[Note]]] = field(default_factory=list)


def report_memos(
    project: Project,
    *,
    coders: Sequence[str] | None = None,
    anonymize: Callable[[str], str] | None = None,
) -> ReportMemos:
    """The project, code and document memos of ``coders`` (all when None), anonymised.

    Interviews are named by number only ("Interview 3"), like the report's quotes: a file
    name may name the respondent. Memos on sentences and codings stay in the memo export
    (a coding's own memo is printed under its quote)."""
    from kwali.app.memos import all_memos

    clean = anonymize or (lambda text: text)
    result = ReportMemos()
    by_document: dict[int, list[Note]] = {}
    for entry in all_memos(project):
        if coders and entry.coder not in coders:
            continue
        note = (entry.coder, clean(entry.text))
        if entry.kind == "project":
            result.project.append(note)
        elif entry.kind == "code" and entry.target.code_key:
            result.codes.setdefault(entry.target.code_key, []).append(note)
        elif entry.kind == "document" and entry.target.document_id is not None:
            by_document.setdefault(entry.target.document_id, []).append(note)
    for summary in project.document_summaries():
        if summary.id in by_document:
            said = [
                clean(value)
                for keys in (("rol", "role"), ("geslacht", "gender"))
                if (
                    value := next(
                        (summary.attributes[k] for k in keys if k in summary.attributes), ""
                    )
                )
            ]
            name = _("Interview {number}").format(number=summary.number)
            if said:
                name = f"{name} ({', '.join(said)})"
            result.documents.append((name, by_document[summary.id]))
    return result


COLUMNS = ["kind", "about", "reference", "coder", "text", "changed"]


def kind_name(kind: str) -> str:
    """What a memo is on, in words (the memo table's kind column)."""
    names = {
        "project": _("project"),
        "document": _("interview"),
        "segment": _("fragment"),
        "code": _("code"),
        "coding": _("codering"),
    }
    return names.get(kind, kind)


def _about(
    project: Project,
    kind: str,
    target: str,
    keys: bool = False,
    cite: str = "sentence",
    docs: _Documents | None = None,
) -> tuple[str, str]:
    """(what the memo is about, its reference) for one memo target; a code's reference is its
    place in the tree (``Houding > Dwang``), its key only when asked. A sentence or a coding is
    cited as the coding screen shows it (``3:12.2``), or by its line (``cite="line"``)."""
    if kind == "document" and target.isdigit():
        document = project.document(int(target))
        if document is None:
            return (target, "")
        return (document.name, _("interview {number}").format(number=document.number))
    if kind == "segment":
        segment = project.segment(target)
        if segment is not None:
            document = project.require_document(segment.document_id)
            where = (
                segment.reference(document.number)
                if cite == "sentence"
                else reference(document.number, segment.line)
            )
            return (" ".join(segment.text.split()), where)
    if kind == "code":
        code = project.code(target)
        if code is None or keys:
            return (code.label if code else target, target)
        return (code.label or code.key, code_path(project.codebook(), code.key))
    if kind == "coding" and target.isdigit():
        coding = project.coding(int(target))
        if coding is not None:
            info = (docs or _Documents(project))[coding.document_id]
            document = info.document
            if cite == "sentence":
                turn = info.turn_at(coding.start)
                where = info.quotation(coding.start, coding.end, turn)
            else:
                where = reference(document.number, document.text.count("\n", 0, coding.start) + 1)
            return (" ".join(document.text[coding.start : coding.end].split()), where)
    return (target, "")


def memos(
    project: Project,
    *,
    coders: Sequence[str] | None = None,
    anonymize: Callable[[str], str] | None = None,
    keys: bool = False,
    cite: str = "sentence",
) -> pd.DataFrame:
    """One row per memo and per coding memo, oldest first within each kind; ``keys``: a code
    memo's reference is the code's key, else its path of labels; ``cite``: see :func:`_about`."""
    clean = anonymize or (lambda text: text)
    docs = _Documents(project)
    rows = []
    for memo in project.memos():
        if coders and memo.coder not in coders:
            continue
        about, ref = _about(project, memo.target_kind, memo.target_id, keys, cite, docs)
        rows.append(
            {
                "kind": kind_name(memo.target_kind),
                "about": clean(about),
                "reference": ref,
                "coder": memo.coder,
                "text": clean(memo.text),
                "changed": memo.changed,
            }
        )
    for coding in project.codings(coders=coders):
        if coding.memo:
            about, ref = _about(project, "coding", str(coding.id), cite=cite, docs=docs)
            code = project.code(coding.code_key)
            rows.append(
                {
                    "kind": _("codering ({code})").format(
                        code=code.label if code else coding.code_key
                    ),
                    "about": clean(about),
                    "reference": ref,
                    "coder": coding.coder,
                    "text": clean(coding.memo),
                    "changed": coding.changed,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def memo_document(
    table: pd.DataFrame, *, title: str, subtitle: str, coder_column: bool = True
) -> DocxDocument:
    """Memos grouped by kind, each with what it is about and where; who wrote it when
    ``coder_column`` (the export asks it when more than one coder wrote them)."""
    from kwali.export.word import add_row, clean, new_document, styled_table

    doc = new_document(title, subtitle)
    if table.empty:
        doc.add_paragraph(_("Dit project heeft nog geen memo's."))
        return doc
    headers = (_("Over"), _("Memo"), _("Bron"), *((_("Codeur"),) if coder_column else ()))
    widths = (5.0, 7.5, 2.5, 2.0) if coder_column else (5.0, 8.8, 3.2)
    fields = ("about", "text", "reference", *(("coder",) if coder_column else ()))
    for kind, group in table.groupby("kind", sort=False):
        doc.add_heading(clean(str(kind)).capitalize(), level=1)
        grid = styled_table(doc, headers, widths)
        for _unused, row in group.iterrows():
            cells = add_row(grid, widths)
            for cell, field_name in zip(cells, fields, strict=True):
                cell.text = clean(row[field_name])
    return doc
