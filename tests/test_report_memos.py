"""Memos in the report where they belong: the project's at the start, a code's in its chapter,
an interview's in a closing chapter; by the chosen coders only, anonymised when asked."""

from __future__ import annotations

import docx
import pytest

from kwali.export.anonymize import Anonymizer
from kwali.export.memos import report_memos
from kwali.export.report import report_document
from kwali.export.tables import quotes
from kwali.store import Project

from helpers import code_two_coders


@pytest.fixture
def study(project: Project) -> Project:
    code_two_coders(project)
    project.set_attribute(1, "rol", "werkzoekende")
    project.add_memo("project", "", "Methode: open coderen.\nDaarna axiaal.", "anna")
    project.add_memo("code", "dwang", "Dwang als angst voor Jansen.", "anna")
    project.add_memo("code", "brief", "Bram over brieven.", "bram")
    project.add_memo("document", "1", "Het buurthuis was rumoerig.", "anna")
    project.add_memo("segment", project.segments(1)[0].id, "Alleen in de memo-export.", "anna")
    return project


def _paragraphs(project: Project, tmp_path, **options) -> list[tuple[str, str]]:
    codebook = project.codebook()
    doc = report_document(
        quotes(project),
        None,
        codebook,
        list(codebook.in_tree_order()),
        title="Rapport",
        notes=report_memos(project, **options),
    )
    path = tmp_path / "rapport.docx"
    doc.save(str(path))
    document = docx.Document(str(path))
    return [(p.style.name if p.style else "", p.text) for p in document.paragraphs if p.text]


def _index(paragraphs: list[tuple[str, str]], text: str) -> int:
    return next(i for i, (_, t) in enumerate(paragraphs) if text in t)


def test_each_memo_is_printed_where_it_belongs(study: Project, tmp_path) -> None:
    paragraphs = _paragraphs(study, tmp_path)
    method = _index(paragraphs, "Methode: open coderen.")
    assert paragraphs[method][1] == "Memo (anna): Methode: open coderen.\nDaarna axiaal."
    assert method < _index(paragraphs, "Inhoud")  # at the start, before the chapters
    dwang = paragraphs.index(("Heading 2", "1.1 Dwang"))
    assert _index(paragraphs, "Dwang als angst") == dwang + 2  # heading, definition, memo
    brief = paragraphs.index(("Heading 1", "2 Brieven"))
    assert brief < _index(paragraphs, "Bram over brieven.")
    closing = _index(paragraphs, "Aantekeningen per interview")
    assert paragraphs[closing + 1] == ("Heading 2", "Interview 1 (werkzoekende)")
    assert paragraphs[closing + 2][1] == "Memo (anna): Het buurthuis was rumoerig."
    # a sentence memo stays in the memo export; the interview's file name is not printed
    assert not any("Alleen in de memo-export" in t or "buurthuis (" in t for _, t in paragraphs)


def test_only_the_chosen_coders_memos(study: Project, tmp_path) -> None:
    texts = [t for _, t in _paragraphs(study, tmp_path, coders=["bram"])]
    assert any("Bram over brieven." in t for t in texts)
    assert not any("Methode" in t or "Aantekeningen per interview" in t for t in texts)


def test_memos_are_anonymised_with_the_report(study: Project) -> None:
    notes = report_memos(study, anonymize=Anonymizer({"Jansen": "[naam]"}))
    assert notes.codes["dwang"] == [("anna", "Dwang als angst voor [naam].")]


def test_a_report_without_memos_has_no_memo_sections(project: Project, tmp_path) -> None:
    code_two_coders(project)
    texts = [t for _, t in _paragraphs(project, tmp_path)]
    assert not any(t.startswith(("Werkwijze", "Aantekeningen", "Memo (")) for t in texts)
