"""The exporters of documents and tables: quotes, report, codebook, memos, respondents, qdpx.

By the time ``run`` is called, :class:`~kwali.export.base.Exporter` has checked the format,
the options and the target; each exporter loads pandas or python-docx only when it runs.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kwali.app.wording import number
from kwali.errors import ExportError
from kwali.export.base import Exporter, ExportResult
from kwali.export.files import write_csv, write_docx, write_xlsx
from kwali.export.options import (
    CodebookOptions,
    MemoOptions,
    QdpxOptions,
    QuoteOptions,
    Quoting,
    ReportOptions,
    RespondentOptions,
)
from kwali.i18n import _, ngettext
from kwali.store.attribute_types import shown_value

if TYPE_CHECKING:
    import pandas as pd

    from kwali.export.anonymize import Anonymizer
    from kwali.model import Memo
    from kwali.store import Project


# -- shared steps ----------------------------------------------------------------------------
def _title(project: Project, title: str, default: str) -> str:
    if title:
        return title
    name = project.codebook().name or (project.path.stem if project.path else "")
    return f"{default}: {name}" if name else default


def _cleaner(project: Project, anonymize: bool, *, required: bool = False) -> Anonymizer | None:
    """The project's name replacements, when asked for; ``required``: refuse an empty list."""
    if not anonymize:
        return None
    from kwali.export.anonymize import Anonymizer, project_replacements

    replacements = project_replacements(project)
    if required and not replacements:
        raise ExportError(
            _("heeft geen namen om te vervangen"),
            path=project.location,
            hint=_("voeg ze toe met `kwali anonymize add NAAM VERVANGING`"),
        )
    return Anonymizer(replacements)


def _write_table(
    table: pd.DataFrame,
    out: Path,
    fmt: str,
    force: bool,
    *,
    sep: str,
    sheet: str,
    wrap: tuple[str, ...] = (),
) -> Path:
    if fmt == "csv":
        return write_csv(table, out, force=force, sep=sep)
    return write_xlsx({sheet: table}, out, force=force, wrap=wrap)


def _coder_text(coders: Sequence[str], everyone: str) -> str:
    return ", ".join(coders) if coders else everyone


def _quote_table(
    project: Project, options: Quoting, **shown: Any
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The quotes to export, and the warnings about attributions that identify someone."""
    from kwali.export.privacy import identifying_warnings
    from kwali.export.tables import quotes

    codes, coders = options.chosen()
    cleaner = _cleaner(project, options.anonymize, required=True)
    queries = getattr(options, "queries", ())
    seen: dict[str, Any] = dict(attribution_keys=options.attribution, anonymize=cleaner, **shown)
    table = (
        None
        if queries and not codes
        else quotes(project, codes=codes, coders=coders, sort=options.sort, **seen)
    )
    if queries:  # saved queries: rows of their own, after the codes' (Atlas.ti's smart codes)
        import pandas as pd

        from kwali.export.query_quotes import query_quotes

        found = query_quotes(project, queries, coders=coders, **seen)
        table = found if table is None else pd.concat([table, found], ignore_index=True)
    assert table is not None
    return table, tuple(identifying_warnings(project, table, options.attribution))


def _readable(project: Project, table: pd.DataFrame, options: Quoting) -> pd.DataFrame:
    """The quote table as it leaves kwali: a merged project's quote once with its coders
    joined (unless one row per coder is asked, or the quotes are sorted by coder), and who
    said it as written words unless the keys are asked."""
    from kwali.export.tables import merge_coders, shown_quotes

    if not options.per_coder and options.sort != "coder":
        table = merge_coders(table)
    return table if options.keys else shown_quotes(table, project.attribute_types())


def _coders_in(table: pd.DataFrame) -> list[str]:
    """The coders of a quote table's rows (a merged row names several: "anna, bram")."""
    found = {name.strip() for value in table["coder"] for name in str(value).split(",")}
    return sorted((name for name in found if name), key=str.casefold)


def _coder_column(table: pd.DataFrame, asked: bool) -> bool:
    """Word shows who coded a quote when more than one coder is in the export, or asked."""
    return asked or len(_coders_in(table)) > 1


def _interviews(project: Project) -> tuple[int, int]:
    """(interviews, survey questions): a survey question's answers are one document."""
    from kwali.app.citing import question_names

    questions = len(question_names(project))
    return project.counts()["documents"] - questions, questions


# -- the exporters ---------------------------------------------------------------------------
class QuotesExporter(Exporter[QuoteOptions]):
    name = "quotes"
    formats = ("docx", "csv", "xlsx")
    options_type = QuoteOptions
    summary = _(
        "één rij per citaat, met de codeurs samen (--per-coder: per codering; docx: een tabel "
        "per code)"
    )

    def run(
        self, project: Project, out: Path, fmt: str, force: bool, options: QuoteOptions
    ) -> ExportResult:
        from kwali.export.tables import select_codes

        table, warnings = _quote_table(
            project, options, attributes=options.attributes, context=options.context
        )
        table = _readable(project, table, options)
        if fmt != "docx":  # a saved query's rows carry @name in the code columns
            wrap = ("text", "context_before", "context_after", "memo")
            path = _write_table(
                table, out, fmt, force, sep=options.sep, sheet=_("citaten"), wrap=wrap
            )
            return ExportResult(path, warnings)
        from kwali.export.word import quote_document

        codebook = project.codebook()
        subtitle = " · ".join(
            [
                date.today().isoformat(),
                ngettext("{n} citaat", "{n} citaten", len(table)).format(n=number(len(table))),
                *(
                    [
                        _("zoekvragen: {queries}").format(
                            queries=", ".join("@" + q.lstrip("@") for q in options.queries)
                        )
                    ]
                    if options.queries
                    else []
                ),
                _("codeurs: {coders}").format(
                    coders=_coder_text(_coders_in(table) or options.coders, _("allemaal"))
                ),
                *([_("geanonimiseerd")] if options.anonymize else []),
            ]
        )
        shown: dict[str, Any] = {}
        if "coder_column" in inspect.signature(quote_document).parameters:  # kwali.export.word
            shown["coder_column"] = _coder_column(table, options.coder_column)
        doc = quote_document(
            table,
            codebook,
            select_codes(codebook, options.codes, project.path),
            title=_title(project, options.title, _("Citaten")),
            subtitle=subtitle,
            # a saved query has no place in the code tree: its rows need the code column
            one_table=options.one_table or bool(options.queries),
            attributes=list(options.attributes or []),
            skip_empty=options.skip_empty,
            **shown,
        )
        return ExportResult(write_docx(doc, out, force=force), warnings)


class ReportExporter(Exporter[ReportOptions]):
    name = "report"
    formats = ("docx",)
    options_type = ReportOptions
    summary = _("hoofdstukken per categorie en code, met citaten en aantallen (docx)")

    def run(
        self, project: Project, out: Path, fmt: str, force: bool, options: ReportOptions
    ) -> ExportResult:
        from kwali.export.memos import report_memos
        from kwali.export.report import report_document
        from kwali.export.tables import frequencies, select_codes, shown_groups, without_zeros

        table, warnings = _quote_table(project, options)
        codes, coders = options.chosen()
        group_by = options.group_by or _default_group(project)
        counts = frequencies(project, by=group_by, codes=codes, coders=coders) if group_by else None
        cleaner = _cleaner(project, options.anonymize)
        if counts is not None and group_by:
            if cleaner:  # the groups are attribute values: names, maybe
                counts[group_by] = counts[group_by].map(cleaner)
            if not options.keys:
                counts = shown_groups(counts, group_by, column=True)
        quotes = _readable(project, table, replace(options, per_coder=False))
        interviews, questions = _interviews(project)
        facts = [
            (_("Interviews"), number(interviews)),
            *([(_("Enquêtevragen"), number(questions))] if questions else []),
            (_("Gecodeerde fragmenten"), number(len(quotes))),
            (_("Codeurs"), _coder_text(_coders_in(quotes) or options.coders, _("allemaal"))),
            (
                _("Aantallen per"),
                (group_by if options.keys else shown_value(group_by))
                if group_by
                else _("(geen kenmerk)"),
            ),
            *(
                [(_("Anonimisering"), _("namen vervangen volgens de lijst in het project"))]
                if options.anonymize
                else []
            ),
        ]
        pictures = None
        if options.charts:  # matplotlib loads only for a report with pictures
            from kwali.export.chart_exporters import report_charts

            shown = (
                counts
                if counts is None or options.all_codes
                else without_zeros(counts, group_by or "")
            )
            pictures, skipped = report_charts(project, shown, group_by, codes=codes, coders=coders)
            warnings = (*warnings, *skipped)
        codebook = project.codebook()
        doc = report_document(
            quotes,
            counts,
            codebook,
            select_codes(codebook, options.codes, project.path),
            title=_title(project, options.title, _("Rapportage")),
            facts=facts,
            group_by=group_by,
            notes=report_memos(project, coders=coders, anonymize=cleaner),
            charts=pictures,
            all_codes=options.all_codes,
            cite=options.cite,
            keys=options.keys,
        )
        return ExportResult(write_docx(doc, out, force=force), warnings)


def _default_group(project: Project) -> str | None:
    """Group counts by the study's main contrasts when the documents carry them."""
    keys = {k for s in project.document_summaries() for k in s.attributes}
    return next((k for k in ("rol", "aanpak", "geslacht") if k in keys), None)


class CodebookExporter(Exporter[CodebookOptions]):
    name = "codebook"
    # qdc and yaml are the codebook as a file, the very writer `kwali codebook export` uses.
    formats = ("docx", "csv", "xlsx", "qdc", "yaml")
    options_type = CodebookOptions
    summary = _("het codeboek als bijlage (docx), als tabel, of als bestand (qdc, yaml)")

    def format_for(self, out: Path, fmt: str | None) -> str:
        if fmt is None and out.suffix.lower() == ".yml":
            return "yaml"
        return super().format_for(out, fmt)

    def run(
        self, project: Project, out: Path, fmt: str, force: bool, options: CodebookOptions
    ) -> ExportResult:
        codebook = project.codebook()
        if fmt in ("qdc", "yaml"):
            from kwali.export.codebook_file import write_codebook_as

            warnings = write_codebook_as(codebook, out, fmt, project.code_groups_for_file())
            return ExportResult(out, warnings, {"codes": len(codebook.codes)})
        if fmt == "docx":
            from kwali.export.tables import matrix
            from kwali.export.word import codebook_document

            spans = matrix(project, by="document")  # distinct coded spans, whoever coded them
            counts = dict(zip(spans["code"], spans["total"], strict=True))
            memos: dict[str, list[Memo]] = {}
            for memo in project.memos("code"):
                memos.setdefault(memo.target_id, []).append(memo)
            doc = codebook_document(codebook, title=options.title, counts=counts, memos=memos)
            return ExportResult(write_docx(doc, out, force=force))
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
                for c in codebook.in_tree_order()
            ],
            columns=[
                "code",
                "label",
                "parent",
                "kind",
                "definition",
                "include",
                "exclude",
                "examples",
            ],
        )
        wrap = ("definition", "include", "exclude", "examples")
        path = _write_table(table, out, fmt, force, sep=options.sep, sheet=_("codeboek"), wrap=wrap)
        return ExportResult(path)


class MemosExporter(Exporter[MemoOptions]):
    name = "memos"
    formats = ("docx", "csv", "xlsx")
    options_type = MemoOptions
    summary = _("elke memo, en de memo van elke codering, met waar hij over gaat")

    def run(
        self, project: Project, out: Path, fmt: str, force: bool, options: MemoOptions
    ) -> ExportResult:
        from kwali.export.memos import memo_document, memos

        cleaner = _cleaner(project, options.anonymize)
        table = memos(
            project,
            coders=list(options.coders) or None,
            anonymize=cleaner,
            keys=options.keys,
            cite=options.cite,
        )
        if fmt != "docx":  # a saved query's rows carry @name in the code columns
            path = _write_table(
                table, out, fmt, force, sep=options.sep, sheet=_("memo's"), wrap=("about", "text")
            )
            return ExportResult(path)
        written = ngettext("{n} memo", "{n} memo's", len(table)).format(n=number(len(table)))
        subtitle = f"{date.today().isoformat()} · {written}"
        doc = memo_document(
            table,
            title=_title(project, options.title, _("Memo's")),
            subtitle=subtitle,
            coder_column=options.coder_column or table["coder"].nunique() > 1,
        )
        return ExportResult(write_docx(doc, out, force=force))


class RespondentsExporter(Exporter[RespondentOptions]):
    name = "respondents"
    formats = ("docx", "csv", "xlsx")
    options_type = RespondentOptions
    summary = _(
        "één rij per interview (of per case): kenmerken, woorden, beurten, duur, coderingen"
    )

    def run(
        self, project: Project, out: Path, fmt: str, force: bool, options: RespondentOptions
    ) -> ExportResult:
        from kwali.export import respondents as overview

        shown = (
            list(options.attributes)
            if options.attributes is not None
            else overview.attribute_keys(project)
        )
        table = overview.respondents(
            project,
            attributes=shown,
            coders=list(options.coders) or None,
            anonymize=_cleaner(project, options.anonymize),
        )
        warnings = tuple(overview.identifying_rows_warnings(project, table, shown))
        if not options.keys:  # checked on the values as stored, shown as written words
            table = overview.shown_attributes(table, shown, project.attribute_types())
        if fmt != "docx":  # a saved query's rows carry @name in the code columns
            path = _write_table(table, out, fmt, force, sep=options.sep, sheet=_("respondenten"))
            return ExportResult(path, warnings)
        subtitle = " · ".join(
            [
                date.today().isoformat(),
                overview.rows_counted(table),
                _("coderingen: {coders}").format(
                    coders=_coder_text(options.coders, _("alle codeurs"))
                ),
            ]
        )
        doc = overview.respondent_document(
            table,
            shown,
            title=_title(project, options.title, _("Overzicht respondenten")),
            subtitle=subtitle,
        )
        return ExportResult(write_docx(doc, out, force=force), warnings)


class QdpxExporter(Exporter[QdpxOptions]):
    name = "qdpx"
    formats = ("qdpx",)
    options_type = QdpxOptions
    summary = _("REFI-QDA-projectuitwisseling")

    def format_for(self, out: Path, fmt: str | None) -> str:
        """Always a .qdpx, whatever the file is called; another format is refused."""
        if fmt not in (None, "qdpx"):
            raise ExportError(
                _("kan niet als {fmt} geschreven worden (kies {formats})").format(
                    fmt=fmt, formats="qdpx"
                ),
                path=out,
            )
        return "qdpx"

    def run(
        self, project: Project, out: Path, fmt: str, force: bool, options: QdpxOptions
    ) -> ExportResult:
        from kwali.export.qdpx import export_qdpx

        written = export_qdpx(project, out, force=force, options=options)  # 0600, atomic
        counts = {
            "documents": written.documents,
            "codes": written.codes,
            "codings": written.codings,
            "coders": written.users,
            "memos": written.memos,
        }
        return ExportResult(written.path, written.warnings, counts)
