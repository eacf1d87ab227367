"""kwali.app.searching on the sample project: every hit, and only hits, against a scan of the
sentences written here without kwali's folding, index or prefilter."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from kwali.app.searching import search, suggest_hits
from kwali.errors import InputError, KwaliError
from kwali.store import Project

SAMPLE = Path(__file__).resolve().parents[1] / "sample" / "voorbeeld.kwali"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SAMPLE.exists():
        pytest.skip("no sample project")
    copy = tmp_path_factory.mktemp("search") / "voorbeeld.kwali"
    shutil.copy(SAMPLE, copy)
    Project.open(copy).close()  # migrated: the index is built
    return copy


@pytest.fixture
def study(sample: Path) -> Project:
    with Project.open(sample, readonly=True) as project:
        yield project


def plain(text: str) -> list[str]:
    """Words in ASCII lower case: accents dropped by decomposition, not by kwali's fold."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", ascii_text.lower())


def scan(project: Project, phrase: str, documents: set[int] | None = None) -> set[str]:
    """Sentences whose words hold the phrase's words one after the other."""
    wanted = plain(phrase)
    found = set()
    for s in project.segments(kind="sentence"):
        if documents is not None and s.document_id not in documents:
            continue
        got = plain(s.text)
        if any(got[i : i + len(wanted)] == wanted for i in range(len(got))):
            found.add(s.id)
    return found


def hit_ids(project: Project, text: str, **kw) -> set[str]:
    result = search(project, text, **kw)
    assert len(result.hits) == result.total  # no limit: every hit is returned and counted
    return {h.segment_id for h in result.hits}


@pytest.mark.parametrize(
    "phrase",
    [
        "gemeente",
        "van de gemeente",
        "EEN",
        "oke",
        "hygiene",
        "coordinator",
        "financien",
        "ik moest",
    ],
)
def test_words_and_phrases_are_found_ignoring_case_and_accents(study, phrase):
    expected = scan(study, phrase)
    assert expected, "the sample should hold the phrase"
    assert hit_ids(study, phrase) == expected


def test_a_whole_word_is_not_part_of_a_longer_one(study):
    ids = hit_ids(study, "coördinator")
    texts = [study.segment(i).text for i in ids]
    assert all("vrijwilligerscoördinator" not in t.lower() or " coördinator" in t for t in texts)
    assert len(search(study, "vrijwilligerscoordinator").hits) == 3


def test_hits_carry_reference_document_and_the_match_marked(study):
    result = search(study, "van de gemeente")
    hit = result.hits[0]
    segment = study.segment(hit.segment_id)
    document = study.require_document(hit.document_id)
    assert hit.reference == segment.reference(document.number)
    assert (hit.document_number, hit.document_name) == (document.number, document.name)
    assert hit.text == segment.text
    assert "«van de gemeente»" in hit.marked()
    for start, end in hit.spans:
        assert plain(document.text[start:end]) == ["van", "de", "gemeente"]
    assert result.per_document == {
        d: sum(1 for h in result.hits if h.document_id == d) for d in result.per_document
    }


def test_the_limit_caps_the_hits_not_the_counts(study):
    result = search(study, "een", limit=5)
    assert len(result.hits) == 5 and result.total == len(scan(study, "een"))


def test_regex_hits_are_the_sentences_python_re_matches(study):
    pattern = r"verplicht\w*|\bmoest(en)?\b"
    expected = {s.id for s in study.segments(kind="sentence") if re.search(pattern, s.text)}
    assert expected and hit_ids(study, pattern, mode="regex") == expected


def test_a_bad_regex_is_one_line_naming_the_column(study):
    with pytest.raises(InputError) as bad:
        search(study, "dwang|(gekort", mode="regex")
    message = bad.value.one_line()
    assert "kolom 7" in message and "\n" not in message


def test_a_runaway_regex_is_stopped(study, monkeypatch):
    monkeypatch.setattr("kwali.app.searching.REGEX_SECONDS", 0.5)
    with pytest.raises(InputError, match="duurde langer"):
        search(study, r"(.*.*.*.*)*x", mode="regex")


def test_lemma_hits_are_the_sentences_with_a_word_of_that_lemma(study, nlp):
    for query, lemma_ in (("moesten", "moeten"), ("krijgen", "krijgen"), ("werkt", "werken")):
        expected = {
            s.id
            for s in study.segments(kind="sentence")
            if any(t.lemma_.lower() == lemma_ for t in nlp(s.text))
        }
        assert len(expected) > 3
        got = hit_ids(study, query, mode="lemma")
        # every hit is such a sentence; the prefilter may miss a form it cannot foresee
        assert got <= expected
        assert len(got) >= 0.9 * len(expected), (query, sorted(expected - got))


def test_lemma_search_finds_irregular_forms(study):
    texts = [h.marked() for h in search(study, "krijgen", mode="lemma").hits]
    assert any("«kreeg»" in t or "«gekregen»" in t for t in texts)


def test_where_keeps_documents_by_attribute(study):
    keep = {d.id for d in study.document_summaries() if d.attributes.get("rol") == "werkzoekende"}
    assert keep and len(keep) < len(study.document_summaries())
    result = search(study, "gemeente", where=["rol=Werkzoekende"])
    assert {h.segment_id for h in result.hits} == scan(study, "gemeente", keep)
    assert set(result.per_document) <= keep


def test_where_with_an_unknown_attribute_or_no_value_is_one_line(study):
    with pytest.raises(KwaliError, match="geen document heeft het kenmerk 'kleur'"):
        search(study, "gemeente", where=["kleur=rood"])
    with pytest.raises(InputError, match="is niet van de vorm kenmerk=waarde"):
        search(study, "gemeente", where=["rol"])


def test_empty_search_is_refused(study):
    with pytest.raises(InputError):
        search(study, " ... ")


def test_a_project_without_the_index_is_searched_all_the_same(tmp_path, study):
    if not SAMPLE.exists():
        pytest.skip("no sample project")
    old = tmp_path / "oud.kwali"
    shutil.copy(SAMPLE, old)
    with Project.open(old, readonly=True) as unmigrated:
        if unmigrated.has_search_index():
            pytest.skip("the sample has the index already")
        assert hit_ids(unmigrated, "van de gemeente") == hit_ids(study, "van de gemeente")


def test_hits_become_suggestions_never_codings(tmp_path):
    if not SAMPLE.exists():
        pytest.skip("no sample project")
    path = tmp_path / "p.kwali"
    shutil.copy(SAMPLE, path)
    with Project.open(path) as project:
        code = next(c.key for c in project.codebook() if c.kind == "code")
        codings = len(project.codings())
        before = len(project.suggestions())
        result = search(project, "van de gemeente")
        assert suggest_hits(project, result, code, "anna") == result.total
        made = [s for s in project.suggestions() if s.suggester.startswith("search:")]
        assert {s.segment_id for s in made} == {h.segment_id for h in result.hits}
        assert {s.suggester for s in made} == {"search:van de gemeente@anna"}
        assert all(s.code_key == code and s.evidence for s in made)
        assert len(project.codings()) == codings
        # again: nothing new; undo takes them all back in one step
        assert suggest_hits(project, result, code, "anna") == 0
        project.undo("anna")
        assert len(project.suggestions()) == before


def test_a_lemma_phrase_is_those_lemmas_one_after_the_other(study, nlp):
    expected = set()
    for s in study.segments(kind="sentence"):
        lemmas = [t.lemma_.lower() for t in nlp(s.text) if not (t.is_punct or t.is_space)]
        if any(lemmas[i : i + 2] == ["krijgen", "je"] for i in range(len(lemmas))):
            expected.add(s.id)
    got = hit_ids(study, "krijg je", mode="lemma")
    assert expected and got <= expected and len(got) >= 0.9 * len(expected)
