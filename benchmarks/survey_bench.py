"""Survey import at scale: a generated survey of N respondents x 3 open questions (issue #15).

The fictional survey of tests/survey_data.py, written as .sav (SPSS value labels and question
labels), is imported with ``kwali.app.survey_import.import_survey`` into a project holding the
sample codebook, then ``kwali.app.suggesting.suggest_project`` suggests codes for its three
question documents. Then a newer version of the file with 10% more respondents is imported
(the update path: attributes compared, the new answers appended through the replace path) and
the same file once more (recognised, nothing changed). spaCy is loaded before the timing.

Figures: ``import_s``, ``suggest_s``, ``update_s`` (the newer file), ``same_file_s`` (the same
file again), and what was made: respondents, answers, turns, sentences, suggestions.

Run: .venv/bin/python benchmarks/survey_bench.py [--respondents 5000] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from survey_data import CLOSED, ID_COLUMN, QUESTIONS, write_survey  # noqa: E402

from kwali.app.suggesting import suggest_project  # noqa: E402
from kwali.app.survey_import import import_survey  # noqa: E402
from kwali.io.codebook import load_codebook  # noqa: E402
from kwali.nlp import make_nlp  # noqa: E402
from kwali.store import Project  # noqa: E402

CODEBOOK = ROOT / "codebooks" / "tegenprestatie.yaml"
RESPONDENTS = 5_000
GROWTH = 0.1  # the newer file has this share more respondents


def run(work: Path, respondents: int = RESPONDENTS) -> dict[str, object]:
    """Import, suggest, update and re-import in ``work``; the figures."""
    nlp = make_nlp()
    (work / "v1").mkdir(parents=True, exist_ok=True)
    first = write_survey(work / "v1" / "enquete.sav", respondents)
    newer = write_survey(work / "enquete.sav", int(respondents * (1 + GROWTH)))
    options = {"id_column": ID_COLUMN, "questions": QUESTIONS, "attributes": CLOSED, "nlp": nlp}
    path = work / "survey-bench.kwali"
    path.unlink(missing_ok=True)
    with Project.create(path) as project:
        project.set_codebook(load_codebook(CODEBOOK))
        start = time.perf_counter()
        imported = import_survey(project, first, **options)  # type: ignore[arg-type]
        import_s = time.perf_counter() - start
        start = time.perf_counter()
        suggested = suggest_project(project)
        suggest_s = time.perf_counter() - start
        counts = project.counts()
        start = time.perf_counter()
        updated = import_survey(project, newer, **options)  # type: ignore[arg-type]
        update_s = time.perf_counter() - start
        start = time.perf_counter()
        again = import_survey(project, newer, **options)  # type: ignore[arg-type]
        same_file_s = time.perf_counter() - start
        assert again.unchanged
    return {
        "respondents": respondents,
        "questions": len(QUESTIONS),
        "answered": sum(q.answered for q in imported.questions),
        "empty": sum(q.empty for q in imported.questions),
        "weet_niet": sum(q.weet_niet for q in imported.questions),
        "turns": counts["turns"],
        "sentences": counts["sentences"],
        "characters": counts["characters"],
        "suggestions": suggested.suggestions,
        "import_s": import_s,
        "suggest_s": suggest_s,
        "import_and_suggest_s": import_s + suggest_s,
        "update_respondents": updated.cases_made,
        "update_s": update_s,
        "same_file_s": same_file_s,
        "file_mb": path.stat().st_size / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=RESPONDENTS)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kwali-survey-bench-") as folder:
        figures = run(Path(folder), args.respondents)
    if args.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        shown = f"{value:.2f}" if isinstance(value, float) else f"{value:,}"
        print(f"{key:<22} {shown:>10}")


if __name__ == "__main__":
    main()
