"""The history in the researcher's words: actions are stored as a verb and a subject, worded in
Dutch by one function, and an older project's English-only history reads as it always did."""

from __future__ import annotations

import re

import pytest

from kwali.app.history import action_text, reverted_text
from kwali.model import Code, Codebook, Evidence, Suggestion, Transcript, Turn
from kwali.store import ActionRecord, Project, Verb
from kwali.store import schema as schema_module
from kwali.store.actions import english_description, parse_description

TEXT = "R: Het moet van de gemeente, anders word je gekort op je uitkering."
CODEBOOK = Codebook(
    "Participatie", (Code("dwang", "Dwang"), Code("sanctie", "Sanctie"), Code("geld", "Geld"))
)
# Every English word the store's descriptions use that is not also Dutch.
ENGLISH = {
    "undo",
    "redo",
    "remove",
    "accept",
    "reject",
    "merge",
    "into",
    "add",
    "change",
    "load",
    "codebook",
    "edit",
    "on",
    "import",
    "set",
    "of",
    "and",
}
# Names a subject may hold, as placeholders: none of them is an English or Dutch word.
NAMES = ("qq1", "qq2")


def english_words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower())) & ENGLISH


def record(verb: Verb, *subject: str, target: ActionRecord | None = None) -> ActionRecord:
    kind = verb.value if verb in (Verb.UNDO, Verb.REDO) else "do"
    return ActionRecord(0, "", "anna", kind, "", False, verb, subject, target)


def arity(verb: Verb) -> int:
    """How many names the verb's subject holds (the store refuses any other number)."""
    for n in range(len(NAMES) + 1):
        try:
            english_description(verb, NAMES[:n])
        except ValueError:
            continue
        return n
    raise AssertionError(verb)


def plain_verbs() -> list[Verb]:
    return [v for v in Verb if v not in (Verb.UNDO, Verb.REDO, Verb.OTHER)]


@pytest.fixture
def study(project: Project) -> tuple[Project, int]:
    document, _ = project.add_document(
        Transcript(TEXT, (Turn(1, 0, len(TEXT), 3, len(TEXT), "R"),), "a.txt", "txt"),
        lambda i, u: [],
    )
    project.set_codebook(CODEBOOK, coder="kwali")
    return project, document.id


# -- every verb in Dutch --------------------------------------------------------------------------
@pytest.mark.parametrize("verb", plain_verbs(), ids=lambda v: v.value)
def test_every_verb_is_worded_in_dutch(verb):
    subject = NAMES[: arity(verb)]
    words = action_text(record(verb, *subject))
    assert words and not english_words(words), words
    if verb is not Verb.MEMO:  # a memo's subject is what it is on ("coding"), not a name
        assert all(name in words for name in subject)  # the researcher sees which code
    # undone and redone, the action is still in Dutch, nested the way the screens always did
    undone = action_text(record(Verb.UNDO, target=record(verb, *subject)))
    assert undone == f"ongedaan maken van {words}"
    redone = record(Verb.REDO, target=record(Verb.UNDO, target=record(verb, *subject)))
    assert action_text(redone) == f"opnieuw ongedaan maken van {words}"
    assert not english_words(undone) | english_words(action_text(redone))


@pytest.mark.parametrize("verb", plain_verbs(), ids=lambda v: v.value)
def test_the_english_description_reads_back_as_the_same_verb(verb):
    subject = NAMES[: arity(verb)]
    assert parse_description(english_description(verb, subject)) == (verb, subject)


def test_an_action_needs_a_known_verb_and_its_names(project):
    with pytest.raises(ValueError), project.action("anna", "code dwang"):
        pass
    with pytest.raises(ValueError), project.action("anna", Verb.MERGE_CODES, "dwang"):
        pass
    assert project.history() == []


def test_every_store_action_records_its_verb_and_subject(study):
    project, doc = study
    project.add_code(Code("plicht", "Plicht"), "anna")
    project.update_code("plicht", "anna", label="De plicht")
    coding = project.add_coding(doc, 3, 20, "dwang", "anna")
    project.set_coding_memo(coding.id, "drang", "anna")
    memo = project.add_memo("code", "dwang", "eerste", "anna")
    project.update_memo(memo.id, "tweede", "anna")
    project.remove_coding(coding.id, "anna")
    project.set_attribute(doc, "leeftijd", "42", "anna")
    evidence = (Evidence(3, 7, "moet", "lemma:moeten"),)
    project.replace_suggestions(
        doc,
        "kwali-rules@1",
        [
            Suggestion("s1", doc, 3, 20, "sanctie", 0.9, evidence, "kwali-rules@1"),
            Suggestion("s1", doc, 3, 20, "geld", 0.5, evidence, "kwali-rules@1"),
        ],
    )
    accept, reject = project.suggestions(document_id=doc)
    project.accept_suggestion(accept.id, "anna")
    project.reject_suggestion(reject.id, "anna")
    project.merge_codes("plicht", "dwang", "anna")

    found = [(r.verb, r.subject) for r in reversed(project.history())]
    assert found == [
        (Verb.IMPORT, ("a.txt",)),
        (Verb.LOAD_CODEBOOK, ("Participatie",)),
        (Verb.ADD_CODE, ("plicht",)),
        (Verb.CHANGE_CODE, ("plicht",)),
        (Verb.CODE, ("dwang",)),
        (Verb.MEMO, ("coding",)),
        (Verb.MEMO, ("code",)),
        (Verb.EDIT_MEMO, ()),
        (Verb.REMOVE_CODING, ("dwang",)),
        (Verb.SET_ATTRIBUTE, ("leeftijd", str(doc))),
        (Verb.ACCEPT, ("sanctie",)),
        (Verb.REJECT, ("geld",)),
        (Verb.MERGE_CODES, ("plicht", "dwang")),
    ]
    # the description column is still the English older kwali versions wrote and read
    assert [r.description for r in project.history(limit=3)] == [
        "merge plicht into dwang",
        "reject geld",
        "accept sanctie",
    ]
    assert [action_text(r) for r in project.history(limit=4)] == [
        "plicht samengevoegd met dwang",
        "suggestie geld afgewezen",
        "suggestie sanctie aanvaard",
        f"kenmerk leeftijd van document {doc} ingesteld",
    ]


# -- undo and redo ----------------------------------------------------------------------------
def test_undo_of_a_merge_is_worded_as_undoing_it(study):
    project, doc = study
    project.add_coding(doc, 3, 20, "sanctie", "anna")
    project.merge_codes("sanctie", "dwang", "anna")

    undone = project.undo("anna")
    assert reverted_text(undone) == "sanctie samengevoegd met dwang"
    latest = project.history("anna", limit=1)[0]
    assert (latest.kind, latest.verb, latest.target.id) == ("undo", Verb.UNDO, undone.id)
    assert latest.description == "undo: merge sanctie into dwang"
    assert action_text(latest) == "ongedaan maken van sanctie samengevoegd met dwang"

    redone = project.redo("anna")  # returns the undo it reverted; the merge is done again
    assert reverted_text(redone) == "sanctie samengevoegd met dwang"
    assert action_text(project.history("anna", limit=1)[0]) == (
        "opnieuw ongedaan maken van sanctie samengevoegd met dwang"
    )
    again = project.undo("anna")  # undoing the redo
    assert reverted_text(again) == "opnieuw ongedaan maken van sanctie samengevoegd met dwang"
    assert project.code("sanctie") is not None


def test_a_long_undo_redo_chain_is_worded_without_running_out_of_stack(study):
    project, doc = study
    project.add_coding(doc, 3, 20, "dwang", "anna")
    for _ in range(30):
        project.undo("anna")
        project.redo("anna")
    words = action_text(project.history("anna", limit=1)[0])
    assert words.startswith("opnieuw ongedaan maken van opnieuw ")
    assert words.endswith("codering dwang")
    assert not english_words(words)


# -- an older project's history -------------------------------------------------------------------
def _make_old(path) -> None:
    """A project file as kwali wrote it before actions had a verb: schema 2, descriptions only,
    with real audit rows behind them so that undo still works after the migration."""
    with Project.create(path) as project:
        document, _ = project.add_document(
            Transcript(TEXT, (Turn(1, 0, len(TEXT), 3, len(TEXT), "R"),), "a.txt", "txt"),
            lambda i, u: [],
        )
        project.set_codebook(Codebook("", CODEBOOK.codes), coder="kwali")
        project.add_code(Code("x", "X"), "anna")
        project.undo("anna")
        coding = project.add_coding(document.id, 3, 20, "sanctie", "anna")
        project.set_coding_memo(coding.id, "drang", "anna")
        project.add_coding(document.id, 21, 30, "geld", "anna")
        project.merge_codes("sanctie", "dwang", "anna")
        project.db.execute("ALTER TABLE actions DROP COLUMN verb")
        project.db.execute("ALTER TABLE actions DROP COLUMN subject")
        project.db.execute("DELETE FROM _migrations WHERE name = 'm003_action_verbs'")
        # nor had it what later migrations add
        project.db.execute("DROP TABLE unplaced")
        project.db.execute("ALTER TABLE codings DROP COLUMN moved_from")
        project.db.execute("ALTER TABLE memos DROP COLUMN moved_from")
        project.db.execute("DELETE FROM _migrations WHERE name = 'm004_replaced_transcripts'")
        # nor the tables of m005 and later (the search index, groups and links, cases)
        for name, _ in schema_module.MIGRATIONS[4:]:
            project.db.execute("DELETE FROM _migrations WHERE name = ?", (name,))
        for table in ("sentence_search", "links", "code_group_members", "document_group_members"):
            project.db.execute(f"DROP TABLE IF EXISTS {table}")
        project.db.execute("DROP TABLE IF EXISTS groups")
        for table in (  # m007: cases, surveys and summaries; m008: sentences marked reviewed;
            # m009: where learned suggestions come from
            "suggestion_sources",
            "segment_reviews",
            "summaries",
            "survey_answers",
            "survey_questions",
            "surveys",
            "case_speakers",
            "case_attributes",
            "cases",
        ):
            project.db.execute(f"DROP TABLE IF EXISTS {table}")
        project.db.execute("PRAGMA user_version = 2")
    assert [name for name, _ in schema_module.MIGRATIONS][2] == "m003_action_verbs"


# What the codebook screen showed for these descriptions before actions had a verb.
OLD_WORDING = [
    ("merge sanctie into dwang", "sanctie samengevoegd met dwang"),
    ("code geld", "codering geld"),
    ("memo on coding", "memo"),
    ("code sanctie", "codering sanctie"),
    ("undo: add code x", "ongedaan maken van nieuwe code x"),
    ("add code x", "nieuwe code x"),
    ("load codebook ", "codeboek geladen"),
    ("import a.txt", "a.txt geïmporteerd"),
]


@pytest.mark.sqlite_only
def test_an_old_project_history_is_migrated_and_worded_as_before(tmp_path):
    path = tmp_path / "oud.kwali"
    _make_old(path)
    with Project.open(path, readonly=True) as old:  # not migrated: still readable
        assert old.schema_version == 2
        assert [(r.description, action_text(r)) for r in old.history()] == OLD_WORDING
    with Project.open(path) as project:
        assert project.schema_version == len(schema_module.MIGRATIONS)
        history = project.history()
        assert [(r.description, action_text(r)) for r in history] == OLD_WORDING
        assert [r.verb for r in history] == [
            Verb.MERGE_CODES,
            Verb.CODE,
            Verb.MEMO,
            Verb.CODE,
            Verb.UNDO,
            Verb.ADD_CODE,
            Verb.LOAD_CODEBOOK,
            Verb.IMPORT,
        ]
        assert history[0].subject == ("sanctie", "dwang")
        assert history[4].target == history[5]  # the undo refers to the action it undid
        stored = project.db.execute("SELECT verb, subject FROM actions ORDER BY id DESC").fetchone()
        assert tuple(stored) == ("merge_codes", '["sanctie", "dwang"]')
        # the migrated history still undoes, and is worded in Dutch while doing it
        assert reverted_text(project.undo("anna")) == "sanctie samengevoegd met dwang"
        assert action_text(project.history(limit=1)[0]) == (
            "ongedaan maken van sanctie samengevoegd met dwang"
        )
        assert project.code("sanctie") is not None


def test_an_action_no_kwali_words_is_shown_as_stored():
    assert action_text(ActionRecord(1, "", "anna", "do", "iets", False)) == "iets"


def test_codes_are_named_by_their_labels_where_known():
    labels = {"sanctie": "Sancties en dreiging", "dwang": "Dwang"}
    merge = ActionRecord(
        1,
        "",
        "anna",
        "do",
        "merge sanctie into dwang",
        False,
        Verb.MERGE_CODES,
        ("sanctie", "dwang"),
    )
    assert action_text(merge, labels) == "Sancties en dreiging samengevoegd met Dwang"
    # a code removed since is named by its key; a file name is never looked up as a code
    assert action_text(merge, {"dwang": "Dwang"}) == "sanctie samengevoegd met Dwang"
    imported = ActionRecord(2, "", "anna", "do", "import dwang", False, Verb.IMPORT, ("dwang",))
    assert action_text(imported, labels) == "dwang geïmporteerd"
    undo = ActionRecord(3, "", "anna", "undo", "undo: x", False, Verb.UNDO, (), merge)
    assert action_text(undo, labels) == (
        "ongedaan maken van Sancties en dreiging samengevoegd met Dwang"
    )


def test_an_attribute_type_is_named_in_dutch():
    words = action_text(record(Verb.SET_ATTRIBUTE_TYPE, "leeftijd", "number"))
    assert words == "kenmerk leeftijd is van het type getal"
