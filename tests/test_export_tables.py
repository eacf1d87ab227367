"""The export tables: one row per coding, references, attribution, counts and co-occurrence."""

from __future__ import annotations

import pytest

from kwali.errors import ExportError
from kwali.export import Anonymizer, cooccurrence, frequencies, matrix, quotes

from helpers import STUDY_CODINGS, build_study


@pytest.fixture
def study(project, nlp, tmp_path):
    return build_study(project, nlp, tmp_path)


def test_one_row_per_coding_with_citable_references(study):
    table = quotes(study)
    assert len(table) == len(study.codings()) == sum(len(c[3]) for c in STUDY_CODINGS)
    row = table[(table["code"] == "gezondheid") & (table["document"] == 1)].iloc[0]
    document = study.require_document("1")
    line = document.text[: document.text.index("Mijn rug")].count("\n") + 1
    assert row["reference"] == f"interview 1, r. {line}"
    assert row["quotation"] == "1:4.1"  # fourth turn, its first sentence (#16: as the UI)
    assert row["respondent"] == "werkzoekende, vrouw"
    assert row["text"] == "Mijn rug doet pijn (…) maar [naam coach] belde elke week."  # verbatim
    assert row["code_path"] == "Persoonlijke situatie > Gezondheid"
    assert row["category"] == "Persoonlijke situatie"
    assert row["aanpak"] == "Prestatie010"


def test_filters_on_codes_coders_and_consensus(study):
    consensus = quotes(study, coders=["consensus"])
    assert set(consensus["coder"]) == {"consensus"} and len(consensus) == 4
    category = quotes(study, codes=["verplichting"])
    assert set(category["code"]) == {"dwang", "sanctie", "ontheffing"}
    assert set(quotes(study, codes=["sanctie"], coders=["bram"])["coder"]) == {"bram"}
    with pytest.raises(ExportError, match="heeft geen code 'bestaatniet'"):
        quotes(study, codes=["bestaatniet"])


def test_attributes_to_show_and_attribution_masking(study):
    table = quotes(study, attributes=["aanpak"], attribution_keys=["rol"])
    assert "geslacht" not in table.columns and "aanpak" in table.columns
    assert set(table["respondent"]) == {"werkzoekende"}


def test_context_and_sort_order(study):
    table = quotes(study, codes=["dwang"], coders=["anna"], context=1, sort="document")
    first = table.iloc[0]
    assert "Hoe bent u bij het buurthuis" in first["context_before"]
    assert first["context_after"].startswith("Mijn buurvrouw Fatima")
    assert list(table["start"]) == sorted(table["start"])
    with pytest.raises(ExportError, match="volgorde"):
        quotes(study, sort="random")


def test_anonymizer_applies_to_every_free_text_column(study):
    table = quotes(study, context=1, anonymize=Anonymizer({"Fatima": "[naam buurvrouw]"}))
    joined = " ".join(table["context_after"]) + " ".join(table["text"])
    assert "Fatima" not in joined and "[naam buurvrouw]" in joined


def test_interviewer_turns_are_attributed_to_the_interviewer(study):
    document = study.require_document("1")
    start = document.text.index("Dank u wel.")
    study.add_coding(document.id, start, start + 11, "taal", "anna")
    row = quotes(study, codes=["taal"]).iloc[0]
    assert row["respondent"] == "interviewer"


def test_frequencies_count_segments_and_respondents_per_group(study):
    table = frequencies(study, by="geslacht")
    health = table[table["code"] == "gezondheid"].set_index("geslacht")
    assert health.loc["vrouw", "segments"] == 1 and health.loc["man", "segments"] == 1
    # three coders on the same span count once; the category counts what is below it
    dwang = table[table["code"] == "dwang"].set_index("geslacht")
    assert dwang.loc["vrouw", "segments"] == 2 and dwang.loc["vrouw", "respondents"] == 1
    category = table[table["code"] == "verplichting"].set_index("geslacht")
    assert category.loc["vrouw", "segments"] == 2  # the 'gekort' span carries dwang and sanctie
    assert category.loc["man", "segments"] == 2
    assert table[table["code"] == "taal"]["segments"].sum() == 0  # empty codes stay in


def test_matrix_by_document_and_by_attribute(study):
    segments = matrix(study, by="aanpak").set_index("code")
    respondents = matrix(study, by="aanpak", count="respondents").set_index("code")
    assert segments.loc["dwang", "Prestatie010"] == 2 and segments.loc["dwang", "total"] == 3
    assert respondents.loc["dwang", "total"] == 2
    assert respondents.loc["gezondheid", "Meedoen010"] == 1
    by_document = matrix(study, coders=["consensus"]).set_index("code")
    assert list(by_document.columns[2:4]) == ["interview_1", "interview_2"]
    # a category's row is a subtotal, marked so a column sum can leave it out
    assert by_document.loc["verplichting", "kind"] == "category"
    assert by_document.loc["dwang", "kind"] == "code"
    codes_only = segments[segments["kind"] == "code"]
    assert codes_only["total"].sum() < segments["total"].sum()
    assert by_document.loc["ontheffing", "interview_2"] == 1
    with pytest.raises(ExportError, match="heeft het kenmerk 'regio'"):
        matrix(study, by="regio")


def test_cooccurrence_on_overlapping_text_and_in_turns(study):
    table = cooccurrence(study)
    health, exemption = (
        "Persoonlijke situatie > Gezondheid",
        "Verplichting & handhaving > Ontheffing",
    )
    assert table.loc[health, exemption] == table.loc[exemption, health] == 1
    assert table.loc[health, health] == 2  # the diagonal: the code's own segments
    sanction, pressure = (
        "Verplichting & handhaving > Sancties",
        "Verplichting & handhaving > Ervaren verplichting",
    )
    assert table.loc[sanction, pressure] == 1
    assert (
        table.loc["Verplichting & handhaving", pressure] == 0
    )  # a category and its code: not a pair
    in_turns = cooccurrence(study, unit="turn", coders=["anna"])
    assert in_turns.loc[health, pressure] == 1  # same answer, different sentences
    assert cooccurrence(study, coders=["anna"]).loc[health, pressure] == 0
