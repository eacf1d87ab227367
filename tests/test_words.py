"""Word frequencies and keyness (kwali.analysis.words): what is counted, and the statistics."""

from __future__ import annotations

import math

import pytest

from kwali.analysis import lemmas
from kwali.analysis.words import FILLERS, frequencies, keywords, log_likelihood, marker
from kwali.errors import KwaliError
from kwali.model import Code, Codebook, Transcript
from kwali.store import Project

INTERVIEWS = {
    "buurthuis": (
        "Interview buurthuis, 3 maart\n\n"
        "I: Vertel over de gemeente. Ehm, de brief?\n\n"
        "R: Ik moest naar de gemeente. Eh, de brief kwam op vrijdag. (lacht) De gemeente "
        "belde.\n\n"
        "I: En toen?\n\n"
        "R: Nou, de brief kwam weer. Ik kook in het buurthuis. ’s Avonds ben ik moe.\n",
        {"aanpak": "Meedoen010"},
    ),
    "tuin": (
        "I: Hoe gaat het in de tuin?\n\n"
        "R: De tuin is mooi. Ik werk in de tuin. Nou, de gemeente betaalt.\n",
        {"aanpak": "Prestatie010"},
    ),
}
CODEBOOK = Codebook(
    "woorden",
    (
        Code("verplichting", "Verplichting", kind="category"),
        Code("dwang", "Dwang", "verplichting"),
        Code("sanctie", "Sanctie", "verplichting"),
        Code("plezier", "Plezier"),
    ),
)


def _fragment(project: Project, name: str, fragment: str) -> tuple[int, int, int]:
    document = project.find_document(name)
    start = document.text.index(fragment)
    return document.id, start, start + len(fragment)


@pytest.fixture
def study(project: Project, nlp) -> Project:  # noqa: ANN001 - spaCy Language
    from kwali.io.turns import detect_turns
    from kwali.nlp import segment_many

    lemmas.clear_cache()
    for name, (text, attributes) in INTERVIEWS.items():
        turns = detect_turns(text)
        project.add_document(
            Transcript(text, turns, f"{name}.txt", "txt"),
            lambda doc_id, uid, t=text, tr=turns: segment_many(nlp, [(t, tr, doc_id, uid)])[0],
            attributes=attributes,
            name=name,
        )
    project.set_codebook(CODEBOOK, "kwali")
    for code, fragment, coder in (
        ("dwang", "Ik moest naar de gemeente.", "anna"),
        ("dwang", "moest naar de gemeente. Eh, de brief", "bram"),  # overlaps anna's
        ("sanctie", "de brief kwam op vrijdag", "anna"),
        ("plezier", "Ik kook in het buurthuis.", "anna"),
        ("plezier", "De tuin is mooi.", "bram"),
    ):
        project.add_coding(*_fragment(project, name_of(project, fragment), fragment), code, coder)
    return project


def name_of(project: Project, fragment: str) -> str:
    return next(n for n, (text, _) in INTERVIEWS.items() if fragment in text)


def counts(result) -> dict[str, tuple[int, int]]:  # noqa: ANN001 - WordsResult
    return {k.lemma: (k.target, k.reference) for k in result.keywords}


# -- the statistics -----------------------------------------------------------------------------
def test_log_likelihood_matches_a_hand_computation_and_scipy() -> None:
    # 10 of 1,000 words in the target, 20 of 10,000 in the reference:
    # E1 = 1000 * 30 / 11000 = 2.7273, E2 = 27.2727,
    # LL = 2 (10 ln(10 / 2.7273) + 20 ln(20 / 27.2727)) = 2 (12.9928 - 6.2031) = 13.5795
    assert log_likelihood(10, 20, 1000, 10_000) == pytest.approx(13.5795, abs=1e-4)
    scipy_stats = pytest.importorskip("scipy.stats")
    for a, b, c, d in [(10, 20, 1000, 10_000), (3, 0, 50, 400), (0, 7, 120, 90), (5, 5, 9, 9)]:
        expected = [c * (a + b) / (c + d), d * (a + b) / (c + d)]
        g2 = scipy_stats.power_divergence([a, b], expected, lambda_="log-likelihood").statistic
        assert log_likelihood(a, b, c, d) == pytest.approx(float(g2), abs=1e-9)


def test_significance_markers_follow_the_chi_square_critical_values() -> None:
    assert [marker(x) for x in (3.83, 3.84, 6.63, 10.83, 15.13, 0.0)] == [
        "",
        "*",
        "**",
        "***",
        "****",
        "",
    ]


def test_keyness_columns_of_a_document_against_the_rest(study: Project) -> None:
    table = frequencies(study, document="tuin")
    assert list(table.columns[:6]) == [
        "lemma",
        "target",
        "reference",
        "target_per_10k",
        "reference_per_10k",
        "ll",
    ]
    row = table.set_index("lemma").loc["tuin"]
    result = keywords(study, document="tuin")
    c, d = result.target_tokens, result.reference_tokens
    assert (row["target"], row["reference"]) == (2, 0)
    assert row["ll"] == pytest.approx(round(log_likelihood(2, 0, c, d), 2))
    assert row["log_ratio"] == pytest.approx(math.log2((2 / c) / (0.5 / d)), abs=1e-3)
    assert row["target_per_10k"] == pytest.approx(round(10_000 * 2 / c, 2))
    # positive keywords first, strongest first; then those the rest of the project has more
    more = [k.more for k in result.keywords]
    assert more == sorted(more, reverse=True)
    lls = [k.ll for k in result.keywords if k.more]
    assert lls == sorted(lls, reverse=True)


# -- what is counted ----------------------------------------------------------------------------
def test_whole_project_counts_respondent_lemmas_without_stop_words(study: Project) -> None:
    result = keywords(study)
    found = counts(result)
    assert result.reference_tokens == 0 and math.isnan(result.keywords[0].ll)
    assert found["gemeente"] == (3, 0)  # respondents: 2 in buurthuis, 1 in tuin
    assert found["komen"] == (2, 0)  # "kwam" twice: a lemma, not a word form
    assert found["koken"] == (1, 0) and found["betalen"] == (1, 0)
    for stop_word in ("de", "ik", "naar", "het", "in", "moeten", "op"):
        assert stop_word not in found
    assert "vertellen" not in found  # only the interviewer says it
    assert "lachen" not in found  # "(lacht)" is the transcriber's
    assert "’s" not in found and "moe" in found  # a clitic is no word
    assert "interview" not in found and "maart" not in found  # the header: nobody says it
    assert not FILLERS & set(found)  # eh, nou


def test_interviewers_and_fillers_on_request(study: Project) -> None:
    found = counts(keywords(study, interviewers=True, keep_fillers=True))
    assert found["vertellen"] == (1, 0)
    assert found["gemeente"] == (4, 0)
    assert found["nou"] == (2, 0) and found["eh"] == (1, 0) and found["ehm"] == (1, 0)
    assert counts(keywords(study, keep_fillers=True))["nou"] == (2, 0)
    assert "ehm" not in counts(keywords(study, keep_fillers=True))  # the interviewer's


def test_a_code_counts_its_text_once_and_the_rest_is_the_reference(study: Project) -> None:
    total = counts(keywords(study))
    result = keywords(study, code="dwang")
    found = counts(result)
    # anna's and bram's overlapping codings: "gemeente" and "brief" once each
    assert found == {"gemeente": (1, 2), "brief": (1, 1)}
    assert result.documents == 1
    assert result.target_tokens + result.reference_tokens == sum(t for t, _ in total.values())


def test_a_category_is_its_codes(study: Project) -> None:
    category = counts(keywords(study, code="verplichting"))
    # dwang: gemeente, brief; sanctie: brief (the same token as dwang's), komen, vrijdag
    assert category == {
        "gemeente": (1, 2),
        "brief": (1, 1),
        "komen": (1, 1),
        "vrijdag": (1, 0),
    }


def test_coders_and_where_narrow_a_code(study: Project) -> None:
    assert set(counts(keywords(study, code="plezier"))) == {"koken", "buurthuis", "tuin", "mooi"}
    assert set(counts(keywords(study, code="plezier", coders=["anna"]))) == {"koken", "buurthuis"}
    assert set(counts(keywords(study, code="plezier", where=["aanpak=Prestatie010"]))) == {
        "tuin",
        "mooi",
    }
    group = keywords(study, where={"aanpak": "Meedoen010"})
    assert group.documents == 1 and counts(group)["gemeente"] == (2, 1)


def test_min_count(study: Project) -> None:
    assert set(counts(keywords(study, document="buurthuis", min_count=2))) == {
        "gemeente",
        "brief",
        "komen",
    }


def test_unknown_targets_are_one_line_errors(study: Project) -> None:
    for options in ({"code": "geen"}, {"document": "99"}, {"where": ["geen=x"]}):
        with pytest.raises(KwaliError) as caught:
            keywords(study, **options)
        assert "\n" not in caught.value.one_line()
    with pytest.raises(KwaliError):
        keywords(study, document="tuin", where=["aanpak=Meedoen010"])


# -- speed without changing the figures ----------------------------------------------------------
def test_lemmatising_word_forms_once_equals_lemmatising_in_context(study: Project, nlp) -> None:  # noqa: ANN001
    """The fast path (tokenise, then one lookup per distinct form) counts what running the
    whole pipeline on every sentence counts."""
    ids = [d.id for d in study.document_summaries()]
    sentences = lemmas._sentences(study, ids)
    vocab = lemmas.Vocabulary()
    for doc in ids:
        text = study.document(doc).text  # type: ignore[union-attr]  # the id exists
        fast = lemmas._tokens(nlp, text, sentences[doc], vocab, in_context=False)
        slow = lemmas._tokens(nlp, text, sentences[doc], vocab, in_context=True)
        assert fast.starts.tolist() == slow.starts.tolist()
        assert fast.lemmas.tolist() == slow.lemmas.tolist()
        assert fast.turns.tolist() == slow.turns.tolist()


def test_a_replaced_text_is_counted_anew(study: Project) -> None:
    before = counts(keywords(study))
    assert before["tuin"] == (2, 0)
    study.db.execute("UPDATE documents SET sha256 = 'changed' WHERE name = 'tuin'")
    cached = dict(lemmas._cache)
    keywords(study)
    assert len(lemmas._cache) == len(cached) + 1  # the changed text is read again


def test_a_code_in_one_document_and_the_consensus_layer(study: Project) -> None:
    assert set(counts(keywords(study, code="plezier", document="tuin"))) == {"tuin", "mooi"}
    assert counts(keywords(study, code="plezier", coders=["consensus"])) == {}
    document_id, start, end = _fragment(study, "tuin", "De tuin is mooi.")
    study.add_coding(document_id, start, end, "plezier", "consensus")
    assert set(counts(keywords(study, code="plezier", coders=["consensus"]))) == {"tuin", "mooi"}
