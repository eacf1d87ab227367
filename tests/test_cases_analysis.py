"""Speakers linked to cases count as those cases: tables by attribute, the respondents count,
queries with --where, and the attribution of quotes use the case's attributes, while a
transcript without cases counts as its document (as before cases existed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kwali.analysis.engine import Scope, run_query
from kwali.analysis.table_quotes import cell_quotes
from kwali.analysis.tables import code_table
from kwali.app.importing import import_files
from kwali.app.units import Units
from kwali.export.tables import quotes as quotes_table
from kwali.store import Project

from helpers import STUDY_CODEBOOK

GROUP = """I: Hoe bevalt de tegenprestatie?
Coach A: Het is verplicht voor iedereen.
Coach B: Ik vind het vooral zinvol werk.
I: En de sancties?
Coach A: Wie niet komt krijgt een korting.
"""
SINGLE = "I: Moest u komen?\nR: Ik moest komen van de gemeente.\n"


@pytest.fixture
def study(tmp_path: Path) -> Project:
    (tmp_path / "groep.txt").write_text(GROUP, encoding="utf-8")
    (tmp_path / "een.txt").write_text(SINGLE, encoding="utf-8")
    project = Project.create(tmp_path / "studie.kwali")
    project.set_codebook(STUDY_CODEBOOK)
    results = import_files(
        project,
        [tmp_path / "groep.txt", tmp_path / "een.txt"],
        attributes={"team": "Noord", "geslacht": "onbekend"},
    )
    group, single = (r.document for r in results)
    assert group is not None and single is not None
    project.import_cases(
        [(group.id, "Coach A", "coach-a"), (group.id, "Coach B", "coach-b")],
        {
            "coach-a": {"team": "Zuid", "geslacht": "vrouw"},
            "coach-b": {"team": "West", "geslacht": "man"},
        },
        "sprekers.csv",
        "anna",
    )

    def code(document_id: int, text: str, key: str, source: str) -> None:
        start = source.index(text)
        project.add_coding(document_id, start, start + len(text), key, "anna")

    code(group.id, "Het is verplicht voor iedereen.", "dwang", GROUP)
    code(group.id, "Wie niet komt krijgt een korting.", "sanctie", GROUP)
    code(group.id, "Ik vind het vooral zinvol werk.", "dwang", GROUP)
    code(single.id, "Ik moest komen van de gemeente.", "dwang", SINGLE)
    code(group.id, "En de sancties?", "sanctie", GROUP)  # the interviewer: the document's
    yield project
    project.close()


def test_a_span_counts_for_its_speakers_case_else_its_document(study: Project) -> None:
    units = Units.load(study)
    group = next(d for d in study.document_summaries() if d.name == "groep")
    said_by_a = GROUP.index("Wie niet")
    said_by_interviewer = GROUP.index("En de sancties")
    assert units.of(group.id, said_by_a).name == "coach-a"
    assert units.of(group.id, said_by_a).attributes["team"] == "Zuid"  # the case's wins
    assert units.of(group.id, said_by_interviewer).kind == "document"
    assert units.of(group.id, said_by_interviewer).attributes["team"] == "Noord"


def test_a_table_by_attribute_groups_each_coach_by_the_cases_value(study: Project) -> None:
    table = code_table(study, "team", count="respondents", codes=["dwang", "sanctie"])
    assert table.columns == ["Noord", "West", "Zuid"]
    # dwang: coach B (West), coach A (Zuid), and the single interview (Noord)
    assert [table.value("dwang", c) for c in table.columns] == [1, 1, 1]
    # sanctie: coach A in Zuid; the interviewer's question counts for the document (Noord)
    assert [table.value("sanctie", c) for c in table.columns] == [1, 0, 1]
    # coach A counts once in the total though coded twice (dwang and sanctie)
    assert table.column_total("Zuid") == 1
    assert table.grand_total() == 4  # coach A, coach B, the group document, the single one
    assert table.counted == "cases (gekoppelde sprekers) en documenten (de rest)"


def test_the_respondent_count_counts_cases_not_documents(study: Project) -> None:
    by_document = code_table(study, "document", count="respondents", codes=["dwang"])
    assert by_document.value("dwang", "groep") == 2  # two coaches in one document
    assert by_document.value("dwang", "een") == 1
    documents = code_table(study, "document", count="documents", codes=["dwang"])
    assert documents.value("dwang", "groep") == 1


def test_where_keeps_the_spans_of_the_cases_that_match(study: Project) -> None:
    result = run_query(study, "dwang OR sanctie", Scope(where=(("team", "Zuid"),)))
    assert [q.text for q in result.quotations] == [
        "Het is verplicht voor iedereen.",
        "Wie niet komt krijgt een korting.",
    ]
    assert {q.case for q in result.quotations} == {"coach-a"}
    table = code_table(study, "document", codes=["dwang"], where=[("team", "Zuid")])
    assert table.value("dwang", "groep") == 1 and "een" not in table.columns


def test_query_counts_per_group_count_units(study: Project) -> None:
    result = run_query(study, "dwang")
    assert result.counted == "cases (gekoppelde sprekers) en documenten (de rest)"
    rows = {value: rest for value, *rest in result.per_group("team")}
    # (quotations, units with one, units): the group document counts for Noord too
    assert rows == {"Noord": [1, 1, 2], "West": [1, 1, 1], "Zuid": [1, 1, 1]}


def test_quotes_are_attributed_with_the_cases_attributes(study: Project) -> None:
    result = run_query(study, "sanctie")
    by_text = {q.text: q.respondent for q in result.quotations}
    assert by_text["Wie niet komt krijgt een korting."] == "activeringscoach, vrouw"
    assert by_text["En de sancties?"] == "interviewer"
    table = code_table(study, "team", codes=["dwang"])
    quotes = cell_quotes(study, table, "dwang", "West")
    assert [(q.text, q.respondent, q.case) for q in quotes] == [
        ("Ik vind het vooral zinvol werk.", "activeringscoach, man", "coach-b")
    ]
    exported = quotes_table(study, codes=["dwang"])
    rows = {r["text"]: r for r in exported.to_dict("records")}
    assert rows["Het is verplicht voor iedereen."]["respondent"] == "activeringscoach, vrouw"
    assert rows["Het is verplicht voor iedereen."]["team"] == "Zuid"
    assert rows["Ik moest komen van de gemeente."]["team"] == "Noord"


def test_a_project_without_cases_counts_documents_as_before(tmp_path: Path) -> None:
    (tmp_path / "een.txt").write_text(SINGLE, encoding="utf-8")
    with Project.create(tmp_path / "p.kwali") as project:
        project.set_codebook(STUDY_CODEBOOK)
        (result,) = import_files(project, [tmp_path / "een.txt"], attributes={"team": "Noord"})
        assert result.document is not None
        start = SINGLE.index("Ik moest")
        project.add_coding(result.document.id, start, len(SINGLE) - 1, "dwang", "anna")
        table = code_table(project, "team", count="respondents", codes=["dwang"])
        assert table.value("dwang", "Noord") == 1 and table.counted == "documenten"
        assert run_query(project, "dwang").units is None


def test_exports_say_what_a_respondent_is_when_cases_are_linked(
    study: Project, tmp_path: Path
) -> None:
    import docx

    from kwali.export import export
    from kwali.export.tables import matrix

    counts = matrix(study, by="team", count="respondents", codes=["dwang"])
    assert counts.attrs["counted"] == "cases (gekoppelde sprekers) en documenten (de rest)"
    assert counts.set_index("code").loc["dwang", ["Noord", "West", "Zuid"]].tolist() == [1, 1, 1]
    written = export(study, "report", tmp_path / "rapport.docx", group_by="team")
    text = "\n".join(p.text for p in docx.Document(str(written.path)).paragraphs)
    assert "Respondenten geteld als: cases (gekoppelde sprekers) en documenten (de rest)." in text


def test_groups_follow_the_value_order_a_source_gave(study: Project) -> None:
    from kwali.store.actions import Verb

    assert code_table(study, "team", codes=["dwang"]).columns == ["Noord", "West", "Zuid"]
    with study.action("kwali", Verb.IMPORT_SURVEY, "enquete.sav", undoable=False):
        study._put_attribute_orders({"team": ["Zuid", "Noord", "West"]})
    assert study.attribute_orders() == {"team": ["Zuid", "Noord", "West"]}
    assert code_table(study, "team", codes=["dwang"]).columns == ["Zuid", "Noord", "West"]
