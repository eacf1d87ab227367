"""The overview of respondents every methods chapter has: one row per interview, or per case.

Per interview: its number and name, its attributes (rol, geslacht, ...), how many words the
respondent(s) spoke (the interviewer's words are not counted), the number of speaker turns,
the duration when the transcript has timestamps, and the confirmed codings (also per coder
when more than one coder coded).

A project with cases (speakers of group interviews, survey respondents) lists what it counts
(:class:`kwali.app.units.Units`): each case, with its attributes and the document:speaker
labels that are it, and each document something is still said in by a speaker without a
case (its unlinked speakers). The table's ``attrs["counted"]`` says which in words (the run's
language), ``attrs["counted_kind"]`` as a code ("documents", "cases" or "mixed").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import SupportsInt

import pandas as pd
from docx.document import Document as DocxDocument

from kwali.app.attribution import ATTRIBUTION
from kwali.app.units import Unit, Units, counted_as, counted_kind
from kwali.app.wording import number as written_number
from kwali.export.privacy import MIN_GROUP, document_label, identifying_documents
from kwali.i18n import _, language, ngettext
from kwali.io.turns import format_timestamp
from kwali.model import Coding, Turn
from kwali.store import Project
from kwali.store.attribute_types import shown_value
from kwali.store.documents import DocumentSummary

FIXED = ["document", "document_name"]
CASE_FIXED = ["unit", "name", "documents", "speakers"]  # with cases: what each row is
COUNTS = ["words", "turns", "duration", "codings"]
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def count_words(text: str) -> int:
    """Words as a reader counts them: ``zo'n``, ``e-mail`` and ``2019`` are one word each."""
    return len(_WORD.findall(text))


def attribute_keys(project: Project) -> list[str]:
    """Every attribute key in the project (of documents and cases): role and gender first,
    then the rest alphabetically."""
    keys = {k for s in project.document_summaries() for k in s.attributes}
    keys |= set(project.case_attribute_keys())
    return [k for k in ATTRIBUTION if k in keys] + sorted(keys - set(ATTRIBUTION), key=str.casefold)


def _spoken(turns: Sequence[Turn]) -> list[Turn]:
    """Speaker turns; a transcript without speakers is all respondent, paragraph by paragraph.

    Paragraphs without a speaker in a transcript that has speakers are headers and notes
    ("FICTIEF INTERVIEW ...", "Interview 1 · werkzoekende ..."): nobody said them.
    """
    with_speaker = [t for t in turns if t.speaker or t.role]
    return with_speaker if with_speaker else list(turns)


def respondents(
    project: Project,
    *,
    attributes: Sequence[str] | None = None,
    coders: Sequence[str] | None = None,
    anonymize: Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """One row per interview, in interview order.

    ``attributes`` picks the attribute columns (default: every key in the project);
    ``coders`` limits the codings counted; ``anonymize`` is applied to the document name and
    the attribute values.
    Columns: document, document_name, the attributes, words, turns, duration, codings and,
    with more than one coder, ``codings CODER`` per coder.
    """
    clean = anonymize or (lambda text: text)
    shown = list(attributes) if attributes is not None else attribute_keys(project)
    types = project.attribute_types()
    codings = project.codings(coders=list(coders)) if coders else project.codings()
    if project.has_cases():
        return _by_case(project, shown, types, codings, clean)
    per_document = Counter(c.document_id for c in codings)
    per_coder = Counter((c.document_id, c.coder) for c in codings)
    coder_names = sorted({c.coder for c in codings}, key=str.casefold)
    by_coder = [f"codings {name}" for name in coder_names] if len(coder_names) > 1 else []
    rows = []
    for summary in project.document_summaries():
        document = project.require_document(summary.id)
        turns = _spoken(project.turns(summary.id))
        said = [t for t in turns if t.role != "interviewer"]
        times = [t.timestamp for t in turns if t.timestamp is not None]
        row: dict[str, object] = {"document": summary.number, "document_name": clean(summary.name)}
        for key in shown:
            value = clean(summary.attributes.get(key, ""))
            row[_column(key)] = _typed(value, types.get(key, "text"))
        row.update(
            {
                "words": sum(
                    count_words(document.text[t.content_start : t.content_end]) for t in said
                ),
                "turns": len(turns),
                "duration": format_timestamp(max(times)) if times else "",
                "codings": per_document[summary.id],
            }
        )
        for name in coder_names if by_coder else []:
            row[f"codings {name}"] = per_coder[(summary.id, name)]
        rows.append(row)
    columns = FIXED + [_column(k) for k in shown] + COUNTS + by_coder
    table = pd.DataFrame(rows, columns=columns)
    table.attrs["counted"] = counted_as(["document"])
    table.attrs["counted_kind"] = "documents"
    return table


def _by_case(
    project: Project,
    shown: Sequence[str],
    types: Mapping[str, str],
    codings: Sequence[Coding],
    clean: Callable[[str], str],
) -> pd.DataFrame:
    """One row per unit something counts for: the cases, then the documents that count
    themselves; words and turns are those of the unit's speakers, codings those
    :class:`Units` gives the unit."""
    units = Units.load(project)
    documents = {s.id: s for s in project.document_summaries()}
    texts: dict[int, str] = {}
    words: Counter[tuple[str, int]] = Counter()
    turns: Counter[tuple[str, int]] = Counter()
    speakers: dict[tuple[str, int], list[str]] = {}
    names: dict[tuple[str, int], list[str]] = {}
    duration: dict[int, str] = {}
    for document_id, summary in documents.items():
        spoken = _spoken(project.turns(document_id))
        times = [t.timestamp for t in spoken if t.timestamp is not None]
        duration[document_id] = format_timestamp(max(times)) if times else ""
        text = texts.setdefault(document_id, project.require_document(document_id).text)
        for turn in spoken:
            unit = units.of_speaker(document_id, turn.speaker)
            label = f"{summary.number}:{clean(turn.speaker)}" if turn.speaker else ""
            if label and label not in speakers.setdefault(unit.key, []):
                speakers[unit.key].append(label)
            if summary.name not in names.setdefault(unit.key, []):
                names[unit.key].append(summary.name)
            turns[unit.key] += 1
            if unit.kind == "case" or turn.role != "interviewer":
                words[unit.key] += count_words(text[turn.content_start : turn.content_end])
    per_unit: Counter[tuple[str, int]] = Counter()
    per_coder: Counter[tuple[tuple[str, int], str]] = Counter()
    for coding in codings:
        counted_for = units.of(coding.document_id, coding.start).key
        per_unit[counted_for] += 1
        per_coder[counted_for, coding.coder] += 1
    coder_names = sorted({c.coder for c in codings}, key=str.casefold)
    by_coder = [f"codings {name}" for name in coder_names] if len(coder_names) > 1 else []
    found = units.all_units()
    listed = {u.key for u in found}
    # A case no speaker is linked to (a respondent who answered no open question) is
    # still a respondent, with its attributes: the overview's n is the survey's.
    found += [
        Unit("case", c.id, c.name, c.attributes)
        for c in project.cases()
        if ("case", c.id) not in listed
    ]
    found.sort(key=lambda u: (u.kind != "case", _order(u, documents)))
    rows = []
    for unit in found:
        row: dict[str, object] = {
            "unit": unit.kind,
            "name": clean(unit.name),
            "documents": "; ".join(
                clean(n)
                for n in names.get(unit.key, [unit.name] if unit.kind == "document" else [])
            ),
            "speakers": "; ".join(speakers.get(unit.key, [])),
        }
        for key in shown:
            value = clean(unit.attributes.get(key, ""))
            row[_column(key, CASE_FIXED)] = _typed(value, types.get(key, "text"))
        row.update(
            {
                "words": words[unit.key],
                "turns": turns[unit.key],
                "duration": duration.get(unit.id, "") if unit.kind == "document" else "",
                "codings": per_unit[unit.key],
            }
        )
        for name in coder_names if by_coder else []:
            row[f"codings {name}"] = per_coder[unit.key, name]
        rows.append(row)
    columns = CASE_FIXED + [_column(k, CASE_FIXED) for k in shown] + COUNTS + by_coder
    table = pd.DataFrame(rows, columns=columns)
    table.attrs["counted"] = counted_as(u.kind for u in found)
    table.attrs["counted_kind"] = counted_kind(u.kind for u in found)
    return table


def _order(unit: Unit, documents: Mapping[int, DocumentSummary]) -> tuple:
    """Cases by name (numbers by size: survey ids), documents in interview order."""
    if unit.kind == "document":
        summary = documents.get(unit.id)
        return (0, summary.number if summary else unit.id, "")
    return (
        0 if unit.name.isdigit() else 1,
        int(unit.name) if unit.name.isdigit() else 0,
        unit.name.casefold(),
    )


def counted(table: pd.DataFrame) -> str:
    """What the rows of ``table`` are, in words ("documenten", "cases", ...)."""
    return str(table.attrs.get("counted", counted_as(["document"])))


def shown_attributes(
    table: pd.DataFrame, keys: Sequence[str], types: Mapping[str, str]
) -> pd.DataFrame:
    """The attribute columns as written words (``ontvangende organisatie``); numbers stay
    numbers, so a spreadsheet still sums them."""
    shown = table.copy()
    fixed = CASE_FIXED if "unit" in table.columns else FIXED
    for key in keys:
        column = _column(key, fixed)
        if column in shown.columns and types.get(key, "text") != "number":
            shown[column] = shown[column].map(lambda v: shown_value(v) if isinstance(v, str) else v)
    shown.attrs = dict(table.attrs)
    return shown


def rows_counted(table: pd.DataFrame) -> str:
    """``8 interviews``, ``1 case``: what the rows are, counted."""
    kind = table.attrs.get("counted_kind", "documents")
    n = len(table)
    if kind == "documents":
        text = ngettext("{n} interview", "{n} interviews", n)
    elif kind == "cases":
        text = ngettext("{n} case", "{n} cases", n)
    else:
        text = ngettext("{n} rij", "{n} rijen", n)
    return text.format(n=written_number(n))


def _typed(value: str, kind: str) -> object:
    """A number attribute as a number, so a spreadsheet sorts and sums it; the rest as text."""
    if kind != "number" or not value:
        return value
    try:  # a Decimal, not a float: 34 stays 34 next to 3.5 (pandas would make it 34.0)
        return Decimal(value)
    except InvalidOperation:  # stored before the attribute was typed, or anonymized
        return value


def _cell(value: object) -> str:
    """A cell of the Word table: a number attribute as the reader writes it (3,5 in Dutch)."""
    if isinstance(value, Decimal) and language() == "nl":
        return str(value).replace(".", ",")
    return str(value)


def _column(key: str, fixed: Sequence[str] = FIXED) -> str:
    return key if key not in [*fixed, *COUNTS] else f"attribute {key}"


def identifying_rows_warnings(
    project: Project, table: pd.DataFrame, keys: Sequence[str]
) -> list[str]:
    """The quotes' check (kwali.export.privacy) on the combination of the attributes shown:
    a row whose combination no other interview shares points at one person. One warning
    names every such row, since with many columns that is often every row."""
    if table.empty or not keys:
        return []
    if "unit" in table.columns:
        return _identifying_units(table, keys)
    shown = set(table["document"])
    found = {
        n: label for n, label in sorted(identifying_documents(project, keys).items()) if n in shown
    }
    if not found:
        return []
    listed = ", ".join(f"{number} ({label})" for number, label in found.items())
    return [
        ngettext(
            "de combinatie van {keys} hoort bij maar één interview en kan de respondent "
            "herkenbaar maken in interview {listed}; overweeg minder kolommen (bijv. "
            "--attribute {key}) of grovere waarden",
            "de combinatie van {keys} hoort bij maar één interview en kan de respondent "
            "herkenbaar maken in de interviews {listed}; overweeg minder kolommen (bijv. "
            "--attribute {key}) of grovere waarden",
            len(found),
        ).format(keys=", ".join(keys), listed=listed, key=keys[0])
    ]


def _identifying_units(table: pd.DataFrame, keys: Sequence[str]) -> list[str]:
    """The same check on the rows of a table by case: a combination one row has."""
    labels = [
        document_label({k: str(row[_column(k, CASE_FIXED)]) for k in keys}, keys)
        for _unused, row in table.iterrows()
    ]
    shared = Counter(labels)
    found = [
        f"{row['name']} ({label})"
        for label, (_unused, row) in zip(labels, table.iterrows(), strict=True)
        if label and shared[label] < MIN_GROUP
    ]
    if not found:
        return []
    return [
        ngettext(
            "de combinatie van {keys} hoort bij maar één rij en kan die herkenbaar maken: "
            "{listed}; overweeg minder kolommen (bijv. --attribute {key}) of grovere waarden",
            "de combinatie van {keys} hoort bij maar één rij en kan die rijen herkenbaar "
            "maken: {listed}; overweeg minder kolommen (bijv. --attribute {key}) of grovere "
            "waarden",
            len(found),
        ).format(keys=", ".join(keys), listed=", ".join(found), key=keys[0])
    ]


# -- Word ------------------------------------------------------------------------------------
def _count_header(column: str) -> str:
    headers = {
        "words": _("Woorden"),
        "turns": _("Beurten"),
        "duration": _("Duur"),
        "codings": _("Coderingen"),
    }
    return headers[column]


_BREAK = "\u200b"  # zero-width space: lets Word wrap 07_ontvangende_organisatie after an underscore


def _thousands(number: SupportsInt) -> str:
    return written_number(int(number))


def _header(key: str) -> str:
    text = key.replace("_", " ")
    return text[:1].upper() + text[1:]


def _breakable(text: str) -> str:
    return text.replace("_", "_" + _BREAK)


def respondent_document(
    table: pd.DataFrame, attributes: Sequence[str], *, title: str, subtitle: str
) -> DocxDocument:
    """The overview as one table (landscape when it is wide), a total row and a note."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from kwali.export.word import add_row, clean, muted, new_document, styled_table

    by_case = "unit" in table.columns
    with_time = bool(table["duration"].astype(bool).any()) if len(table) else False
    coder_columns = [c for c in table.columns if str(c).startswith("codings ")]
    counts = [c for c in COUNTS if c != "duration" or with_time]
    fixed = ["name", "speakers"] if by_case else ["document", "document_name"]
    columns = [*fixed, *[_column(k, CASE_FIXED if by_case else FIXED) for k in attributes], *counts]
    headers = [
        *([_("Case of document"), _("Sprekers")] if by_case else [_("Nr."), _("Interview")]),
        *[_header(k) for k in attributes],
        *[_count_header(c) for c in counts],
    ]
    text = {c: [_breakable(clean(_cell(v))) for v in table[c]] for c in columns}
    if by_case:  # a document's row says it is one; one speaker label a line
        text["name"] = [
            _("{name} (document)").format(name=name) if kind == "document" else name
            for name, kind in zip(text["name"], table["unit"], strict=True)
        ]
        text["speakers"] = [v.replace("; ", "\n") for v in text["speakers"]]
    text["words"] = [_thousands(v) for v in table["words"]]
    if coder_columns:  # "12" over "anna 7 · bram 5" in one cell keeps the table narrow
        text["codings"] = [
            f"{row['codings']}\n"
            + " · ".join(f"{c.removeprefix('codings ')} {row[c]}" for c in coder_columns)
            for _unused, row in table.iterrows()
        ]
    total = _("Totaal ({n})").format(n=len(table))
    totals = {
        fixed[0]: total if by_case else "",
        fixed[1]: "" if by_case else total,
        "words": _thousands(table["words"].sum()),
        "turns": _thousands(table["turns"].sum()),
        "duration": "",
        "codings": _thousands(table["codings"].sum()),
    }
    total_row = [totals.get(c, "") for c in columns]
    # kwali.export.word.fit_tables sizes the columns on save (no word broken; a landscape page,
    # narrower margins or a smaller font when the columns need it)
    size = 9.0
    doc = new_document(title, subtitle)
    if table.empty:
        doc.add_paragraph(_("Dit project heeft nog geen interviews."))
        return doc
    widths = [16.0 / len(columns)] * len(columns)
    grid = styled_table(doc, headers, widths)
    numeric = {*([] if by_case else [0]), *range(len(columns) - len(counts), len(columns))}
    for index, cell in enumerate(grid.rows[0].cells):
        for run in cell.paragraphs[0].runs:
            run.font.size = Pt(size)
        if index in numeric:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def fill(cells: list, values: Sequence[str], bold: bool = False) -> None:
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            first, *rest = value.split("\n")
            run = cell.paragraphs[0].add_run(first)
            run.font.size, run.bold = Pt(size), bold
            for line in rest:
                muted(cell.add_paragraph(), line, size=size - 1.5)
            for paragraph in cell.paragraphs:
                if index in numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    for number in range(len(table)):
        fill(add_row(grid, widths), [text[c][number] for c in columns])
    fill(add_row(grid, widths), total_row, bold=True)
    note = [_("Telt: {counted}.").format(counted=counted(table))]
    if by_case:
        note += [
            _(
                "Woorden en beurten: van de sprekers van elke case; een document telt zijn "
                "sprekers zonder case (woorden zonder de interviewer)."
            ),
        ]
    else:
        note += [
            _("Woorden: gesproken door de respondent(en), zonder de interviewer."),
            _("Beurten: beurten van alle sprekers."),
        ]
    if with_time:
        note.append(_("Duur: tijdstempel van de laatste beurt."))
    note.append(
        _("Coderingen: bevestigde coderingen, ook per codeur.")
        if coder_columns
        else _("Coderingen: bevestigde coderingen.")
    )
    muted(doc.add_paragraph(), " ".join(note), size=8.5, italic=True)
    return doc
