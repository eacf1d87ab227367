"""Issue 19: the store's SQLite SQL as PostgreSQL reads it (kwali/store/postgres/connection.py).
Pure rewriting, no server: each SQLite form the store uses, and what must stay untouched."""

from __future__ import annotations

import pytest

from kwali.store.postgres.connection import Table, translate

CATALOGUE = {
    "meta": Table(("rowid", "key", "value"), ("key",), False),
    "codings": Table(("id", "document_id", "coder", "memo"), ("id",), True),
    "suggestion_runs": Table(
        ("rowid", "document_id", "suggester", "made", "codebook"),
        ("document_id", "suggester"),
        False,
    ),
}


def sql(text: str) -> str:
    return translate(text, CATALOGUE).sql


def test_marks_and_percent_signs_but_not_inside_literals() -> None:
    assert sql("SELECT key FROM meta WHERE key LIKE 'codebook.%' AND value = ?") == (
        "SELECT key FROM meta WHERE key LIKE 'codebook.%%' AND value = %s"
    )
    assert (
        sql("SELECT '?', \"end\" FROM t WHERE a = ?") == "SELECT '?', \"end\" FROM t WHERE a = %s"
    )
    assert sql("SELECT 'it''s ?' WHERE a = ?") == "SELECT 'it''s ?' WHERE a = %s"


def test_a_json_list_becomes_an_array_parameter() -> None:
    done = translate(
        "SELECT id FROM codings WHERE coder = ? AND id IN (SELECT value FROM json_each(?)) "
        "AND document_id NOT IN (SELECT value FROM json_each(?))",
        CATALOGUE,
    )
    assert done.sql == (
        "SELECT id FROM codings WHERE coder = %s AND id = ANY(%s) AND document_id <> ALL(%s)"
    )
    assert done.json_params == (1, 2)


@pytest.mark.parametrize(
    ("sqlite", "postgres"),
    [
        (
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            'INSERT INTO meta ("key", "value") VALUES (%s, %s) '
            'ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value"',
        ),
        (
            "INSERT OR IGNORE INTO meta VALUES (?, ?)",
            'INSERT INTO meta ("key", "value") VALUES (%s, %s) ON CONFLICT DO NOTHING',
        ),
        (
            "INSERT OR REPLACE INTO suggestion_runs VALUES (?, ?, ?, ?)",
            'INSERT INTO suggestion_runs ("document_id", "suggester", "made", "codebook") '
            'VALUES (%s, %s, %s, %s) ON CONFLICT ("document_id", "suggester") '
            'DO UPDATE SET "made" = EXCLUDED."made", "codebook" = EXCLUDED."codebook"',
        ),
    ],
)
def test_insert_or_replace_and_ignore(sqlite: str, postgres: str) -> None:
    assert sql(sqlite) == postgres


def test_an_insert_into_a_table_with_an_integer_id_returns_it() -> None:
    made = translate('INSERT INTO codings ("document_id", "coder") VALUES (?, ?)', CATALOGUE)
    assert made.returns_id and made.sql.endswith(" RETURNING id")
    given = translate('INSERT INTO codings ("id", "coder") VALUES (?, ?)', CATALOGUE)
    assert not given.returns_id
    assert not translate("INSERT INTO meta (key, value) VALUES (?, ?)", CATALOGUE).returns_id


@pytest.mark.parametrize(
    ("sqlite", "postgres"),
    [
        (
            "SELECT x FROM t WHERE status = 'c' AND +code_key = ?",
            "SELECT x FROM t WHERE status = 'c' AND code_key = %s",
        ),
        ("SELECT a + b, a +1 FROM t", "SELECT a + b, a +1 FROM t"),  # a sum stays a sum
        (
            "SELECT 1 FROM g CROSS JOIN suggestion_reviews r ON r.id = g.id",
            "SELECT 1 FROM g JOIN suggestion_reviews r ON r.id = g.id",
        ),
        ("SELECT CAST(n AS REAL) / 2", "SELECT CAST(n AS DOUBLE PRECISION) / 2"),
    ],
)
def test_sqlite_only_forms(sqlite: str, postgres: str) -> None:
    assert sql(sqlite) == postgres


def test_the_catalogue_questions_read_information_schema() -> None:
    master = sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    assert "information_schema.tables" in master and master.endswith("AND name = %s")
    info = sql("PRAGMA table_info(actions)")
    assert "information_schema.columns" in info and "'actions'" in info


def test_select_star_hides_the_rowid_column() -> None:
    assert translate("SELECT * FROM meta WHERE key = ?", CATALOGUE).hides_rowid
    assert translate("SELECT s.* FROM segments s", CATALOGUE).hides_rowid
    assert not translate("SELECT rowid, key FROM meta", CATALOGUE).hides_rowid
