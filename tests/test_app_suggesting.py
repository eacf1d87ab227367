"""Suggesting over a project: incremental, respondent turns only, never a coding by itself."""

from __future__ import annotations

from kwali.app.importing import import_files
from kwali.app.suggesting import suggest_project
from kwali.model import Code, Codebook, Signals

CODEBOOK = Codebook("t", (
    Code("verplichting", "Verplichting", kind="category"),
    Code("dwang", "Ervaren verplichting", parent="verplichting",
         signals=Signals(lemmas=("verplichten", "dwingen"), compounds=("verplicht",))),
    Code("sanctie", "Sancties", parent="verplichting", signals=Signals(lemmas=("korten", "maatregel"))),
))


def test_suggestions_skip_the_interviewer_and_run_incrementally(project, tmp_path):
    path = tmp_path / "int.txt"
    path.write_text("Kop: verplicht gekort verplicht\n\nI: Is het verplicht, denkt u?\n\nR: Ja, het is verplicht. Anders word je gekort.\n", encoding="utf-8")
    import_files(project, [path])
    first = suggest_project(project, codebook=CODEBOOK)
    assert first.documents == 1 and first.suggestions >= 2
    suggestions = project.suggestions()
    assert {s.code_key for s in suggestions} >= {"dwang", "sanctie"}
    roles = {project.segment(s.segment_id).role for s in suggestions}
    assert roles == {"respondent"}
    assert project.codings() == []  # nothing is applied without a person confirming it
    again = suggest_project(project)
    assert again.documents == 0
    with_interviewer = suggest_project(project, redo_all=True, include_interviewer=True)
    assert with_interviewer.suggestions > first.suggestions
