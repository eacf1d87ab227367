"""Exports: quote tables, reports and the codebook for Word; counts for Excel, CSV and pandas.

Notebook use::

    from kwali.store import Project
    from kwali import export
    with Project.open("studie.kwali", readonly=True) as project:
        quotes = export.quotes(project, codes=["verplichting"], coders=["consensus"])
        counts = export.matrix(project, by="aanpak", count="respondents")

Command-line use goes through :func:`export`, which writes one file atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kwali.errors import ExportError
from kwali.export.anonymize import Anonymizer, anonymize_text, project_replacements
from kwali.export.files import check_target, format_for, write_csv, write_with, write_xlsx
from kwali.export.privacy import IdentifiableWarning, warn_if_identifying
from kwali.export.tables import (
    ATTRIBUTION,
    cooccurrence,
    frequencies,
    matrix,
    quotes,
    select_codes,
)
from kwali.store import Project

WHATS = (
    "quotes",
    "report",
    "codebook",
    "memos",
    "respondents",
    "frequencies",
    "matrix",
    "cooccurrence",
    "qdpx",
)
_FORMATS = {
    "quotes": ("docx", "csv", "xlsx"),
    "report": ("docx",),
    "codebook": ("docx", "csv", "xlsx"),
    "memos": ("docx", "csv", "xlsx"),
    "respondents": ("docx", "csv", "xlsx"),
    "frequencies": ("csv", "xlsx"),
    "matrix": ("csv", "xlsx"),
    "cooccurrence": ("csv", "xlsx"),
}

__all__ = [
    "ATTRIBUTION",
    "WHATS",
    "Anonymizer",
    "ExportOptions",
    "IdentifiableWarning",
    "anonymize_text",
    "cooccurrence",
    "export",
    "frequencies",
    "matrix",
    "quotes",
]


@dataclass(frozen=True)
class ExportOptions:
    """What to include; every field has the default the command line uses."""

    codes: Sequence[str] = ()
    coders: Sequence[str] = ()
    attributes: Sequence[str] | None = None  # document attributes shown; None = all
    attribution: Sequence[str] = ATTRIBUTION
    context: int = 0
    sort: str = "code"
    anonymize: bool = False
    by: str = "document"
    count: str = "segments"
    unit: str = "overlap"
    one_table: bool = False
    skip_empty: bool = False
    group_by: str | None = None
    title: str = ""
    sep: str = ","


def export(
    project: Project,
    what: str,
    out: str | Path,
    *,
    fmt: str | None = None,
    force: bool = False,
    options: ExportOptions | None = None,
) -> Path:
    """Write one export file; refuses an existing ``out`` unless ``force``. Returns ``out``."""
    out = Path(out)
    opts = options or ExportOptions()
    if what == "qdpx":
        return _qdpx(project, out, force)
    if what not in _FORMATS:
        raise ExportError(f"unknown export {what!r} (choose {', '.join(WHATS)})")
    fmt = format_for(out, fmt, _FORMATS[what])
    check_target(out, force)  # before the work, so a bad path fails at once
    if what == "memos":
        return _memos(project, out, fmt, force, opts)
    if what == "respondents":
        return _respondents(project, out, fmt, force, opts)
    if what == "codebook":
        return _codebook(project, out, fmt, force, opts)
    codes, coders = list(opts.codes) or None, list(opts.coders) or None
    if what in ("quotes", "report"):
        return _quotes(project, what, out, fmt, force, opts, codes, coders)
    if what == "frequencies":
        table = frequencies(project, by=opts.by, codes=codes, coders=coders)
        sheets = {"frequenties": table}
    elif what == "matrix":
        if fmt == "xlsx":
            sheets = {
                count: matrix(project, by=opts.by, count=count, codes=codes, coders=coders)
                for count in ("segments", "respondents")
            }
        else:
            sheets = {
                opts.count: matrix(
                    project, by=opts.by, count=opts.count, codes=codes, coders=coders
                )
            }
    else:
        kw = dict(codes=codes, coders=coders, unit=opts.unit)
        counts = ("segments", "respondents") if fmt == "xlsx" else (opts.count,)
        sheets = {c: cooccurrence(project, count=c, **kw).reset_index() for c in counts}
    if fmt == "csv":
        return write_csv(next(iter(sheets.values())), out, force=force, sep=opts.sep)
    return write_xlsx(sheets, out, force=force)


def _title(project: Project, opts: ExportOptions, default: str) -> str:
    if opts.title:
        return opts.title
    name = project.codebook().name or (project.path.stem if project.path else "")
    return f"{default}: {name}" if name else default


def _quotes(
    project: Project,
    what: str,
    out: Path,
    fmt: str,
    force: bool,
    opts: ExportOptions,
    codes: list[str] | None,
    coders: list[str] | None,
) -> Path:
    cleaner = None
    if opts.anonymize:
        replacements = project_replacements(project)
        if not replacements:
            raise ExportError(
                "has no names to replace",
                path=project.path,
                hint="add them with `kwali anonymize add NAME REPLACEMENT`",
            )
        cleaner = Anonymizer(replacements)
    table = quotes(
        project,
        codes=codes,
        coders=coders,
        attributes=opts.attributes,
        attribution_keys=opts.attribution,
        context=opts.context,
        sort=opts.sort,
        anonymize=cleaner,
    )
    warn_if_identifying(project, table, opts.attribution)
    if fmt == "csv":
        return write_csv(table, out, force=force, sep=opts.sep)
    if fmt == "xlsx":
        return write_xlsx(
            {"citaten": table},
            out,
            force=force,
            wrap=("text", "context_before", "context_after", "memo"),
        )
    from kwali.export.report import report_document
    from kwali.export.word import quote_document

    codebook = project.codebook()
    chosen = select_codes(codebook, codes, project.path)
    coder_text = ", ".join(coders) if coders else "allemaal"
    if what == "quotes":
        subtitle = " · ".join(
            [
                date.today().isoformat(),
                f"{len(table)} citaten",
                f"codeurs: {coder_text}",
                *(["geanonimiseerd"] if opts.anonymize else []),
            ]
        )
        doc = quote_document(
            table,
            codebook,
            chosen,
            title=_title(project, opts, "Citaten"),
            subtitle=subtitle,
            one_table=opts.one_table,
            attributes=list(opts.attributes or []),
            skip_empty=opts.skip_empty,
        )
    else:
        group_by = opts.group_by or _default_group(project)
        counts = frequencies(project, by=group_by, codes=codes, coders=coders) if group_by else None
        facts = [
            ("Interviews", str(project.counts()["documents"])),
            ("Gecodeerde fragmenten", str(len(table))),
            ("Codeurs", coder_text),
            ("Aantallen per", group_by or "(geen kenmerk)"),
            *(
                [("Anonimisering", "namen vervangen volgens de lijst in het project")]
                if opts.anonymize
                else []
            ),
        ]
        doc = report_document(
            table,
            counts,
            codebook,
            chosen,
            title=_title(project, opts, "Rapportage"),
            facts=facts,
            group_by=group_by,
        )
    return write_with(out, lambda tmp: doc.save(str(tmp)), force)


def _default_group(project: Project) -> str | None:
    """Group counts by the study's main contrasts when the documents carry them."""
    keys = {k for s in project.document_summaries() for k in s.attributes}
    return next((k for k in ("rol", "aanpak", "geslacht") if k in keys), None)


def _codebook(project: Project, out: Path, fmt: str, force: bool, opts: ExportOptions) -> Path:
    codebook = project.codebook()
    if fmt == "docx":
        from kwali.export.word import codebook_document

        spans = matrix(project, by="document")  # distinct coded spans, whoever coded them
        counts = dict(zip(spans["code"], spans["total"], strict=True))
        doc = codebook_document(codebook, title=opts.title, counts=counts)
        return write_with(out, lambda tmp: doc.save(str(tmp)), force)
    import pandas as pd

    table = pd.DataFrame(
        [
            {
                "code": c.key,
                "label": c.label,
                "parent": c.parent or "",
                "kind": c.kind,
                "definition": c.definition,
                "include": c.include,
                "exclude": c.exclude,
                "examples": "\n".join(c.examples),
            }
            for c in codebook.codes
        ],
        columns=["code", "label", "parent", "kind", "definition", "include", "exclude", "examples"],
    )
    if fmt == "csv":
        return write_csv(table, out, force=force, sep=opts.sep)
    return write_xlsx(
        {"codeboek": table}, out, force=force, wrap=("definition", "include", "exclude", "examples")
    )


def _memos(project: Project, out: Path, fmt: str, force: bool, opts: ExportOptions) -> Path:
    from kwali.export.memos import memo_document, memos

    cleaner = Anonymizer(project_replacements(project)) if opts.anonymize else None
    table = memos(project, coders=list(opts.coders) or None, anonymize=cleaner)
    if fmt == "csv":
        return write_csv(table, out, force=force, sep=opts.sep)
    if fmt == "xlsx":
        return write_xlsx({"memo's": table}, out, force=force, wrap=("about", "text"))
    subtitle = f"{date.today().isoformat()} · {len(table)} memo's"
    doc = memo_document(table, title=_title(project, opts, "Memo's"), subtitle=subtitle)
    return write_with(out, lambda tmp: doc.save(str(tmp)), force)


def _respondents(project: Project, out: Path, fmt: str, force: bool, opts: ExportOptions) -> Path:
    from kwali.export import respondents as overview

    cleaner = Anonymizer(project_replacements(project)) if opts.anonymize else None
    shown = (
        list(opts.attributes) if opts.attributes is not None else overview.attribute_keys(project)
    )
    table = overview.respondents(
        project, attributes=shown, coders=list(opts.coders) or None, anonymize=cleaner
    )
    overview.warn_if_identifying_rows(project, table, shown)
    if fmt == "csv":
        return write_csv(table, out, force=force, sep=opts.sep)
    if fmt == "xlsx":
        return write_xlsx({"respondenten": table}, out, force=force)
    coder_text = ", ".join(opts.coders) if opts.coders else "alle codeurs"
    subtitle = " · ".join(
        [date.today().isoformat(), f"{len(table)} interviews", f"coderingen: {coder_text}"]
    )
    doc = overview.respondent_document(
        table, shown, title=_title(project, opts, "Overzicht respondenten"), subtitle=subtitle
    )
    return write_with(out, lambda tmp: doc.save(str(tmp)), force)


def _qdpx(project: Project, out: Path, force: bool) -> Path:
    """REFI-QDA exchange; kwali.export.qdpx writes atomically with mode 0600 itself."""
    from kwali.export.qdpx import export_qdpx

    return export_qdpx(project, out, force=force).path
