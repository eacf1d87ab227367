"""The project file's schema, as named migrations applied in order.

Each migration runs in the same transaction as its record in ``_migrations``, so a failed
migration leaves nothing half-done and stays pending. ``PRAGMA user_version`` mirrors the
number of applied migrations so a newer file can be recognised without reading tables.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from kwali.store.actions import parse_description

# 'kwal' in ASCII: marks a SQLite file as a kwali project.
APPLICATION_ID = 0x6B77616C

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []
MIGRATIONS_TABLE = (
    "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
)


def migration(func: Migration) -> Migration:
    """Register a migration; registration order is application order."""
    MIGRATIONS.append((func.__name__, func))
    return func


def _run_script(db: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: ``executescript`` would commit the open transaction."""
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    _run_script(
        db,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            number INTEGER NOT NULL UNIQUE,
            name TEXT NOT NULL,
            source_name TEXT NOT NULL,
            format TEXT NOT NULL,
            encoding TEXT,
            sha256 TEXT NOT NULL UNIQUE,
            text TEXT NOT NULL,
            removed_cr TEXT NOT NULL DEFAULT '[]',
            imported_at TEXT NOT NULL,
            segmenter TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE document_attributes (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (document_id, key)
        );
        CREATE TABLE turns (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            content_start INTEGER NOT NULL,
            content_end INTEGER NOT NULL,
            speaker TEXT,
            role TEXT,
            gender TEXT,
            timestamp REAL,
            PRIMARY KEY (document_id, number)
        );
        CREATE TABLE segments (
            id TEXT PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('turn', 'sentence')),
            turn_number INTEGER NOT NULL,
            sentence_number INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            line INTEGER NOT NULL
        );
        CREATE INDEX segments_by_document ON segments (document_id, start);

        CREATE TABLE codes (
            key TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            parent TEXT REFERENCES codes(key) ON UPDATE CASCADE,
            kind TEXT NOT NULL DEFAULT 'code' CHECK (kind IN ('category', 'code')),
            definition TEXT NOT NULL DEFAULT '',
            include TEXT NOT NULL DEFAULT '',
            exclude TEXT NOT NULL DEFAULT '',
            examples TEXT NOT NULL DEFAULT '[]',
            colour TEXT NOT NULL DEFAULT '',
            signals TEXT NOT NULL DEFAULT '{}',
            position INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE suggestions (
            id INTEGER PRIMARY KEY,
            segment_id TEXT NOT NULL,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            code_key TEXT NOT NULL REFERENCES codes(key) ON UPDATE CASCADE ON DELETE CASCADE,
            score REAL NOT NULL,
            evidence TEXT NOT NULL,
            suggester TEXT NOT NULL,
            created TEXT NOT NULL,
            UNIQUE (segment_id, code_key, suggester)
        );
        CREATE INDEX suggestions_by_document ON suggestions (document_id, start);
        CREATE TABLE suggestion_runs (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            suggester TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (document_id, suggester)
        );
        CREATE TABLE suggestion_reviews (
            suggestion_id INTEGER NOT NULL REFERENCES suggestions(id) ON DELETE CASCADE,
            coder TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected')),
            at TEXT NOT NULL,
            PRIMARY KEY (suggestion_id, coder)
        );

        CREATE TABLE codings (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            code_key TEXT NOT NULL REFERENCES codes(key) ON UPDATE CASCADE,
            coder TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'rejected')),
            origin TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'suggestion')),
            suggestion_id INTEGER,
            created TEXT NOT NULL,
            changed TEXT NOT NULL,
            memo TEXT NOT NULL DEFAULT '',
            CHECK (start < "end")
        );
        CREATE INDEX codings_by_document ON codings (document_id, start);
        CREATE INDEX codings_by_code ON codings (code_key, coder);

        CREATE TABLE memos (
            id INTEGER PRIMARY KEY,
            target_kind TEXT NOT NULL,
            target_id TEXT NOT NULL,
            coder TEXT NOT NULL,
            text TEXT NOT NULL,
            created TEXT NOT NULL,
            changed TEXT NOT NULL
        );
        CREATE INDEX memos_by_target ON memos (target_kind, target_id);

        -- One row per user action; audit rows hold the before/after of every row it touched,
        -- which is what undo and redo replay (and why they survive a restart).
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            coder TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('do', 'undo', 'redo')),
            description TEXT NOT NULL,
            undoable INTEGER NOT NULL DEFAULT 1,
            target INTEGER REFERENCES actions(id),
            undone_by INTEGER REFERENCES actions(id)
        );
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            action_id INTEGER NOT NULL REFERENCES actions(id),
            tbl TEXT NOT NULL,
            row_key TEXT NOT NULL,
            before TEXT,
            after TEXT
        );
        CREATE INDEX audit_by_action ON audit (action_id);
        """,
    )


@migration
def m002_segment_kind_index(db: sqlite3.Connection) -> None:
    """Counting a document's sentences (documents screen, status) without reading its turns:
    at 1,000 transcripts this took most of the time to open a project."""
    db.execute("CREATE INDEX IF NOT EXISTS segments_by_kind ON segments (document_id, kind)")


@migration
def m003_action_verbs(db: sqlite3.Connection) -> None:
    """Actions get a verb and a subject (what was done, to which codes), so the history can
    be worded in any language; ``description`` stays, in English, for older readers and the
    audit trail. Older actions get theirs from their description, so old history still reads."""
    db.execute("ALTER TABLE actions ADD COLUMN verb TEXT NOT NULL DEFAULT 'other'")
    db.execute("ALTER TABLE actions ADD COLUMN subject TEXT NOT NULL DEFAULT '[]'")
    rows = db.execute("SELECT id, description FROM actions").fetchall()
    updates = []
    for action_id, description in rows:
        verb, subject = parse_description(description)
        updates.append((verb.value, json.dumps(list(subject), ensure_ascii=False), action_id))
    db.executemany("UPDATE actions SET verb = ?, subject = ? WHERE id = ?", updates)


@migration
def m004_replaced_transcripts(db: sqlite3.Connection) -> None:
    """A corrected transcript replaces a coded one (``kwali documents replace``): a coding or
    sentence memo whose text changed is moved to where its text went and keeps that text in
    ``moved_from`` until a coder checks it; one whose text is gone waits in ``unplaced`` (the
    row as it was, and its text), where no export, matrix or agreement figure sees it at a
    guessed place. Audit images written before this migration get the new column (as null),
    so that undo still finds those rows as it left them."""
    db.execute("ALTER TABLE codings ADD COLUMN moved_from TEXT")
    db.execute("ALTER TABLE memos ADD COLUMN moved_from TEXT")
    _run_script(
        db,
        """
        CREATE TABLE unplaced (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('coding', 'memo')),
            item_id INTEGER NOT NULL,
            row TEXT NOT NULL,
            old_text TEXT NOT NULL,
            reference TEXT NOT NULL,
            replaced TEXT NOT NULL
        );
        CREATE INDEX unplaced_by_document ON unplaced (document_id, kind)
        """,
    )
    for column in ("before", "after"):
        db.execute(
            f"UPDATE audit SET {column} = json_set({column}, '$.moved_from', NULL) "
            f"WHERE tbl IN ('codings', 'memos') AND {column} IS NOT NULL"
        )


SENTENCE_SEARCH = "sentence_search"
"""The full-text index of sentences (``kwali search``); see :mod:`kwali.store.search_index`."""


@migration
def m005_sentence_search(db: sqlite3.Connection) -> None:
    """A full-text index of every sentence, so a search of the whole project reads an index
    instead of every transcript. Its rowid is the sentence's rowid in ``segments``; words are
    found regardless of case and accents. It holds its own copy of each sentence's text, so a
    sentence leaves it by rowid alone, whatever happened to the transcript since. No triggers
    keep it in step (SQLite refuses a virtual table in a trigger while ``trusted_schema`` is
    off): the store does, where it changes segments (:mod:`kwali.store.search_index`). The
    sentences already in the file are indexed here."""
    db.execute(
        f"CREATE VIRTUAL TABLE {SENTENCE_SEARCH} USING fts5("
        "text, tokenize = 'unicode61 remove_diacritics 2')"
    )
    db.execute(
        f"INSERT INTO {SENTENCE_SEARCH} (rowid, text) "
        'SELECT s.rowid, substr(d.text, s.start + 1, s."end" - s.start) '
        "FROM segments s JOIN documents d ON d.id = s.document_id WHERE s.kind = 'sentence'"
    )


@migration
def m006_groups_and_links(db: sqlite3.Connection) -> None:
    """Document groups, code groups and links between quotations, as REFI-QDA's Sets and Links
    carry them. A group is its own row with members in a table (not an attribute): a document
    can be in several groups at once, which one attribute value cannot say. A link joins two
    spans (document, start, end), not two codings: a foreign selection may carry several codes
    or none, and a link survives recoding its ends."""
    _run_script(
        db,
        """
        CREATE TABLE groups (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('document', 'code')),
            name TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            UNIQUE (kind, name)
        );
        CREATE TABLE document_group_members (
            group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            PRIMARY KEY (group_id, document_id)
        );
        CREATE TABLE code_group_members (
            group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
            code_key TEXT NOT NULL REFERENCES codes(key) ON UPDATE CASCADE ON DELETE CASCADE,
            PRIMARY KEY (group_id, code_key)
        );
        CREATE INDEX code_group_members_by_code ON code_group_members (code_key);
        CREATE TABLE links (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            direction TEXT NOT NULL DEFAULT 'Associative'
                CHECK (direction IN ('Associative', 'OneWay', 'Bidirectional')),
            colour TEXT NOT NULL DEFAULT '',
            origin_document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            origin_start INTEGER NOT NULL,
            origin_end INTEGER NOT NULL,
            target_document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            target_start INTEGER NOT NULL,
            target_end INTEGER NOT NULL,
            coder TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL
        )
        """,
    )


@migration
def m007_cases_and_surveys(db: sqlite3.Connection) -> None:
    """Cases (a respondent, a speaker of a group interview) with their own attributes, the
    speakers linked to them, and surveys whose open answers are coded. A survey question is
    a document whose turns are the answers, one per respondent, the turn's speaker label being
    the respondent's id; so answers segment, suggest, code, export and agree like any turn.
    An answer that is empty or "weet niet" is no turn: it is kept in ``survey_answers`` with
    its status, so it is counted and never silently dropped. A case's attributes win over its
    document's wherever a span of a linked speaker is attributed, grouped or filtered. A
    summary is one coder's short text per unit (case or document) and code: the cells of a
    framework matrix."""
    _run_script(
        db,
        """
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL
        );
        CREATE TABLE case_attributes (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (case_id, key)
        );
        CREATE TABLE case_speakers (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            speaker TEXT NOT NULL,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            PRIMARY KEY (document_id, speaker)
        );
        CREATE INDEX case_speakers_by_case ON case_speakers (case_id);
        CREATE TABLE surveys (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            source_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            id_column TEXT NOT NULL,
            imported_at TEXT NOT NULL
        );
        CREATE TABLE survey_questions (
            survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (survey_id, name)
        );
        CREATE TABLE survey_answers (
            survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
            question TEXT NOT NULL,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            status TEXT NOT NULL CHECK (status IN ('answered', 'empty', 'weet_niet')),
            text TEXT NOT NULL DEFAULT '',
            turn_number INTEGER,
            PRIMARY KEY (survey_id, question, case_id)
        );
        CREATE INDEX survey_answers_by_case ON survey_answers (case_id);
        CREATE TABLE summaries (
            unit_kind TEXT NOT NULL CHECK (unit_kind IN ('case', 'document')),
            unit_id INTEGER NOT NULL,
            code_key TEXT NOT NULL REFERENCES codes(key) ON UPDATE CASCADE ON DELETE CASCADE,
            coder TEXT NOT NULL,
            text TEXT NOT NULL,
            changed TEXT NOT NULL,
            PRIMARY KEY (unit_kind, unit_id, code_key, coder)
        )
        """,
    )


@migration
def m008_segment_reviews(db: sqlite3.Connection) -> None:
    """Sentences a coder marked as looked at (nothing to code, or nothing more): with the
    coded sentences and those whose suggestions were reviewed, they make a document's
    progress, which so can reach 100%. Audited rows, so a mark is undone like a coding. No
    foreign key: a cascade would delete marks unaudited when a document is removed or
    replaced, and its undo (same sentence ids) could not bring them back; progress joins
    segments, so a mark on a sentence that is gone counts for nothing."""
    _run_script(
        db,
        """
        CREATE TABLE segment_reviews (
            segment_id TEXT NOT NULL,
            coder TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (segment_id, coder)
        );
        CREATE INDEX segment_reviews_by_coder ON segment_reviews (coder)
        """,
    )


@migration
def m009_suggestion_sources(db: sqlite3.Connection) -> None:
    """Where a learned suggestion comes from: the coders whose confirmed codings taught the
    model, and what the rules alone gave it (score and evidence; NULL when the rules alone
    would not have suggested it). A blind coder sees a suggestion taught by another coder only
    as the rules' (kwali.app.reviewing). A row goes with its suggestion; a learned suggestion
    without one (made before this migration) is never shown blind."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS suggestion_sources (
            suggestion_id INTEGER PRIMARY KEY REFERENCES suggestions(id) ON DELETE CASCADE,
            learned_from TEXT NOT NULL,
            rules_score REAL,
            rules_evidence TEXT
        )
        """
    )


SCHEMA_VERSION = len(MIGRATIONS)
