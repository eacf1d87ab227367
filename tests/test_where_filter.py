"""One rule for ``--where kenmerk=waarde``: search, query and tables keep the same documents.

The rule lives in kwali.app.document_filter (where_pairs, kept_where); before, three copies
differed: a query did not read a number attribute as a number (``leeftijd=34,5`` found nothing
where a table found the 34.5-year-old), and each worded an unknown key its own way.
"""

from __future__ import annotations

import pytest

from kwali.analysis import Scope, run_query
from kwali.analysis.grammar import QueryError
from kwali.analysis.tables import code_table
from kwali.app.document_filter import UnknownAttribute, kept_where, where_pairs
from kwali.app.searching import search
from kwali.errors import InputError

from helpers import AGREEMENT_CODEBOOK, SENTENCES, add_interview, code_units


@pytest.fixture
def study(project):
    """Three interviews, a number attribute (leeftijd) and a text one (wijk); each coded dwang."""
    project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
    studies = (("een", "34.5", "Noord"), ("twee", "61", "Zuid"), ("drie", "", "Noord"))
    for shift, (name, age, wijk) in enumerate(studies):  # each its own text: one text, one document
        sentences = add_interview(project, name, SENTENCES[shift:] + SENTENCES[:shift])
        document_id = sentences[0].document_id
        if age:
            project.set_attribute(document_id, "leeftijd", age)
        project.set_attribute(document_id, "wijk", wijk)
        code_units(project, sentences, "anna", "dwang", [0])
    project.set_attribute_type("leeftijd", "number")
    return project


def _names(project, ids) -> set[str]:
    return {d.name for d in project.document_summaries() if d.id in ids}


def test_search_query_and_table_keep_the_same_documents_for_a_typed_value(study) -> None:
    """`leeftijd=34,5` (Dutch decimal comma) is the number 34.5 for all three."""
    where = where_pairs(["leeftijd=34,5"])
    found = search(study, "gemeente", where=["leeftijd=34,5"])
    assert found.total > 0 and _names(study, found.per_document) == {"een"}
    quotations = run_query(study, "dwang", Scope(where=where)).quotations
    assert _names(study, {q.document for q in quotations}) == {"een"}
    table = code_table(study, where=where)
    assert [c for c in table.columns if c != "Totaal"] == ["een"]


def test_a_key_nobody_has_is_refused_alike_everywhere(study) -> None:
    with pytest.raises(InputError, match="geen document heeft het kenmerk 'leeftyd'") as caught:
        search(study, "gemeente", where=["leeftyd=34"])
    assert "bekend: leeftijd, wijk" in caught.value.one_line()
    with pytest.raises(QueryError, match="geen document heeft het kenmerk 'leeftyd'"):
        run_query(study, "dwang", Scope(where=(("leeftyd", "34"),)))
    with pytest.raises(InputError, match="geen document heeft het kenmerk 'leeftyd'"):
        code_table(study, where=(("leeftyd", "34"),))


def test_where_terms_are_read_once_and_a_term_without_equals_is_named() -> None:
    assert where_pairs([" wijk = Noord ", "rol=coach=a"]) == (("wijk", "Noord"), ("rol", "coach=a"))
    with pytest.raises(InputError, match="'Noord' is niet van de vorm kenmerk=waarde"):
        where_pairs(["Noord"])
    with pytest.raises(InputError, match="is niet van de vorm"):
        where_pairs(["=Noord"])


def test_kept_where_on_plain_items_matches_case_and_spaces_not_substrings(study) -> None:
    documents = study.document_summaries()
    kept = kept_where(documents, (("WIJK", " noord"),), study.attribute_types())
    assert {d.name for d in kept} == {"een", "drie"}
    assert kept_where(documents, (("wijk", "Noo"),)) == []  # whole values, not parts
    assert kept_where(documents, ()) == documents
    with pytest.raises(UnknownAttribute) as caught:
        kept_where(documents, (("rol", "coach"),), nobody="geen case heeft {key!r}")
    assert caught.value.key == "rol" and caught.value.known == ("leeftijd", "wijk")
    assert caught.value.message == "geen case heeft 'rol'"


def test_the_english_run_words_the_refusal_in_english(study, english) -> None:
    with pytest.raises(InputError, match="no document has the attribute 'leeftyd'"):
        search(study, "gemeente", where=["leeftyd=34"])
