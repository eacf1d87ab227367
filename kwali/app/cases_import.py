"""Reading a speakers table: which speaker of which document is which case, with the cases'
attributes (``kwali cases import``).

The CSV has the columns ``document`` (number, name or file name), ``speaker`` (the label as
in the transcript: ``R1``, ``Coach A``) and ``case``; every further column is an attribute of
the case. Everything is checked before anything is written, so a bad row changes nothing; the
store's :meth:`~kwali.store.cases.CasesMixin.import_cases` then writes it as one action.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from kwali.errors import InputError
from kwali.i18n import _
from kwali.store import Project
from kwali.store.cases import CaseLink

REQUIRED = ("document", "speaker", "case")


@dataclass(frozen=True)
class CasesTable:
    """A checked speakers table, ready for :meth:`Project.import_cases`."""

    links: tuple[CaseLink, ...]
    attributes: dict[str, dict[str, str]]  # case name → its (typed) values
    rows: int


@dataclass(frozen=True)
class CasesImport:
    made: int
    linked: int
    changed: int
    rows: int


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            sample = handle.read(4096)
            handle.seek(0)
            try:  # Dutch Excel writes semicolons
                dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t")
            except csv.Error:
                dialect = csv.excel
            reader = csv.DictReader(handle, dialect=dialect)
            rows = list(reader)
            header = [h.strip() for h in reader.fieldnames or []]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(
            _("is niet te lezen als CSV-tabel ({why})").format(why=exc), path=path
        ) from exc
    cleaned = [
        {(k or "").strip(): (v or "").strip() for k, v in row.items() if isinstance(v, str)}
        for row in rows
    ]
    return header, cleaned


def read_cases_table(project: Project, path: Path) -> CasesTable:
    """The links and attributes of ``path``, checked against ``project``; one line naming the
    file and row for a missing column, an unknown document, a speaker the document does not
    have, a value not of its attribute's type, or a row that contradicts an earlier one."""
    header, rows = _rows(path)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(
            _("heeft de kolommen document, speaker en case nodig (ontbreekt: {missing})").format(
                missing=", ".join(missing)
            ),
            path=path,
        )
    keys = [h for h in header if h and h not in REQUIRED]
    links: dict[tuple[int, str], tuple[str, int]] = {}
    attributes: dict[str, dict[str, str]] = {}
    given_in: dict[tuple[str, str], int] = {}
    speakers: dict[int, list[str]] = {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header, as a spreadsheet counts
        where = _("rij {number}: ").format(number=number)
        ref, speaker, case = row.get("document", ""), row.get("speaker", ""), row.get("case", "")
        if not (ref or speaker or case or any(row.get(k) for k in keys)):
            continue  # an empty line
        if not case:
            raise InputError(where + _("heeft geen case"), path=path)
        if ref or speaker:
            if not ref or not speaker:
                raise InputError(where + _("heeft een document én een spreker nodig"), path=path)
            document = project.document(ref)
            if document is None:
                raise InputError(
                    where + _("het project heeft geen document {ref!r}").format(ref=ref), path=path
                )
            known = speakers.setdefault(document.id, project.document_speakers(document.id))
            if speaker not in known:
                shown = ", ".join(known) or _("geen")
                raise InputError(
                    where
                    + _(
                        "document {number} ({name}) heeft geen spreker {speaker!r} "
                        "(de sprekers: {known})"
                    ).format(
                        number=document.number, name=document.name, speaker=speaker, known=shown
                    ),
                    path=path,
                )
            earlier = links.get((document.id, speaker))
            if earlier is not None and earlier[0] != case:
                raise InputError(
                    where
                    + _("{speaker} van document {number} is al case {case!r} in rij {row}").format(
                        speaker=speaker, number=document.number, case=earlier[0], row=earlier[1]
                    ),
                    path=path,
                )
            links[document.id, speaker] = (case, number)
        values = {k: row[k] for k in keys if row.get(k)}
        typed = project.typed_attributes(values, path, where)
        mine = attributes.setdefault(case, {})
        for key, value in typed.items():
            if key in mine and mine[key] != value:
                raise InputError(
                    where
                    + _("case {case!r} heeft {key}={old!r} in rij {row}, hier {new!r}").format(
                        case=case, key=key, old=mine[key], row=given_in[case, key], new=value
                    ),
                    path=path,
                )
            mine[key] = value
            given_in.setdefault((case, key), number)
    if not links and not attributes:
        raise InputError(_("heeft geen rijen"), path=path)
    return CasesTable(
        tuple((d, s, c) for (d, s), (c, _unused) in links.items()),
        {name: values for name, values in attributes.items()},
        len(rows),
    )


def import_cases_table(project: Project, path: Path, coder: str = "kwali") -> CasesImport:
    """Read, check and import ``path`` as one undoable action; nothing changes on an error."""
    table = read_cases_table(project, path)
    made, linked, changed = project.import_cases(table.links, table.attributes, str(path), coder)
    return CasesImport(made, linked, changed, table.rows)


def linked_speakers(project: Project) -> dict[int, list[str]]:
    """``{case id: ["3:Coach A", ...]}``: the document:speaker labels linked to each case,
    in document order (what ``kwali cases list`` and the cases screen show)."""
    numbers = {s.id: s.number for s in project.document_summaries()}
    found: dict[int, list[str]] = {}
    links = project.speaker_cases()
    for document_id in sorted(links, key=lambda d: numbers.get(d, 0)):
        for speaker, case_id in links[document_id].items():
            found.setdefault(case_id, []).append(f"{numbers.get(document_id, '?')}:{speaker}")
    return found
