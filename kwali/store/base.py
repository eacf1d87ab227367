"""What every part of the project file builds on: the connection, transactions, user actions,
and the audited row changes that undo replays.

Every change runs inside :meth:`StoreBase.action`, one transaction per user action, committed
before the call returns: when the UI says a coding is saved, it is on disk. Every insert,
update and delete of a researcher's work goes through ``_insert``, ``_update`` and
``_delete``, which store the row before and after in ``audit``.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, NamedTuple, TypeGuard

from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.model import Evidence, Suggestion
from kwali.store.actions import Verb, english_description

BUSY_TIMEOUT_S = 5.0
"""How long a write waits for another kwali's transaction before saying the project is busy."""

# Tables whose rows are keyed by one column or a few; value = key column(s).
_KEYS: dict[str, str | tuple[str, ...]] = {
    "codings": "id",
    "memos": "id",
    "codes": "key",
    "suggestion_reviews": ("suggestion_id", "coder"),
    "documents": "id",
    "document_attributes": ("document_id", "key"),
    # what removing a document takes with it, so that undo brings it all back
    "turns": ("document_id", "number"),
    "segments": "id",
    "suggestions": "id",
    "suggestion_runs": ("document_id", "suggester"),
    "meta": "key",  # settings a user changes as an action (the attribute types)
    "groups": "id",
    "document_group_members": ("group_id", "document_id"),
    "code_group_members": ("group_id", "code_key"),
    "links": "id",
    "unplaced": "id",  # codings and memos a replaced transcript could not place (m004)
    "cases": "id",  # cases, their attributes and speakers, surveys (m007)
    "case_attributes": ("case_id", "key"),
    "case_speakers": ("document_id", "speaker"),
    "surveys": "id",
    "survey_questions": ("survey_id", "name"),
    "survey_answers": ("survey_id", "question", "case_id"),
    "summaries": ("unit_kind", "unit_id", "code_key", "coder"),
    "segment_reviews": ("segment_id", "coder"),  # sentences marked reviewed (m008)
}


def now() -> str:
    """UTC time as ISO 8601 with seconds, the form stored everywhere."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def stored_time(value: str | None) -> str | None:
    """A time from elsewhere (an exchange file's ``2021-03-04T10:00:00Z``, another project's
    row) in the stored form, UTC; None when there is none or it cannot be read."""
    if not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"  # Python 3.10 reads no Z
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def key_columns(tbl: str) -> tuple[str, ...]:
    key = _KEYS[tbl]
    return key if isinstance(key, tuple) else (key,)


def _where(tbl: str) -> str:
    return " AND ".join(f'"{c}" = ?' for c in key_columns(tbl))


def is_storage_error(exc: BaseException) -> TypeGuard[sqlite3.DatabaseError]:
    """A failure of the file or the disk (full, I/O, corrupt, busy), not a bug in kwali's SQL:
    constraint and programming errors stay what they are."""
    if isinstance(exc, sqlite3.IntegrityError | sqlite3.ProgrammingError):
        return False
    return isinstance(exc, sqlite3.DatabaseError)


def last_id(cursor: sqlite3.Cursor) -> int:
    """The rowid an INSERT just made (always set after a successful INSERT)."""
    rowid = cursor.lastrowid
    if rowid is None:
        raise RuntimeError("INSERT made no row")
    return rowid


class StoreBase:
    """The open connection and the means to change it; :class:`Project` adds opening."""

    change_poll_s = 1.0
    """How often a screen asks :meth:`Project.data_version` whether another kwali committed
    (a file: one cheap read of its header)."""

    def __init__(self, db: sqlite3.Connection, path: Path | None, readonly: bool = False) -> None:
        self.db = db
        self.path = path
        self.readonly = readonly
        self._action_id: int | None = None

    @property
    def location(self) -> Path | str | None:
        """Where the project is, as messages name it: its file (a server's address, without
        password, on PostgreSQL)."""
        return self.path

    @property
    def address(self) -> Path | str | None:
        """What :meth:`Project.open` takes to open this project again (a second connection for
        a background task); None in memory."""
        return self.path

    @property
    def display_name(self) -> str:
        """The project's short name for a screen title: the file's name, or the database's."""
        return self.path.name if self.path is not None else ""

    # -- transactions ---------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error. Nests as a savepoint.

        A failed write (a full disk, an I/O error, a busy file) becomes a :class:`ProjectError`
        naming the file; after a commit the new pages are copied into the main file."""
        if self.readonly:
            raise ProjectError(_("is alleen-lezen geopend"), path=self.location, reason="readonly")
        if self.db.in_transaction:
            self.db.execute("SAVEPOINT nested")
            try:
                yield self.db
            except BaseException:
                # a full disk may already have rolled the whole transaction back
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK TO nested")
                    self.db.execute("RELEASE nested")
                raise
            self.db.execute("RELEASE nested")
            return
        try:
            self._begin()
        except sqlite3.OperationalError as exc:
            raise self._write_problem(exc) from exc
        try:
            yield self.db
        except BaseException as exc:
            if self.db.in_transaction:  # SQLite may already have rolled back on its own
                self.db.execute("ROLLBACK")
            if is_storage_error(exc):
                raise self._write_problem(exc) from exc
            raise
        try:
            self._before_commit()
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            # On a full disk SQLite has already rolled back: a second ROLLBACK would fail
            # with "no transaction is active" and hide the cause.
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise self._write_problem(exc) from exc
        self.checkpoint()

    def _begin(self) -> None:
        """Start a write transaction: IMMEDIATE takes the file's write lock now, so two kwalis
        writing at once wait their turn instead of failing halfway."""
        self.db.execute("BEGIN IMMEDIATE")

    def _before_commit(self) -> None:
        """The last step inside a write transaction (the server's change signal)."""

    def checkpoint(self) -> None:
        """Copy committed pages from NAME.kwali-wal into NAME.kwali, so that a plain copy of
        the file holds every confirmed action. PASSIVE never waits for another kwali's
        readers; what it cannot copy yet stays safe in the WAL, so a failure here loses
        nothing and is not reported."""
        if self.path is None or self.readonly:
            return
        with suppress(sqlite3.Error):
            self.db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _write_problem(self, exc: sqlite3.Error) -> ProjectError:
        text = str(exc)
        if "locked" in text or "busy" in text:
            message, reason = (
                _("is bezet: een andere kwali schrijft erin; probeer het zo opnieuw"),
                "busy",
            )
        elif "readonly" in text or "read-only" in text:
            message, reason = _("is alleen-lezen; er is niets veranderd"), "readonly"
        elif "full" in text:
            message, reason = (
                _(
                    "kan niet worden geschreven: de schijf is vol; van deze actie is niets "
                    "opgeslagen (maak ruimte vrij en probeer het opnieuw; wat eerder is "
                    "opgeslagen, is veilig)"
                ),
                "disk_full",
            )
        else:
            message = _(
                "kan niet worden geschreven ({why}); van deze actie is niets opgeslagen"
            ).format(why=text)
            reason = "write_failed"
        return ProjectError(message, path=self.location, reason=reason)

    @contextmanager
    def action(self, coder: str, verb: Verb, *subject: str, undoable: bool = True) -> Iterator[int]:
        """One user action: a transaction plus an ``actions`` row that audit rows point to.

        ``verb`` says what was done, ``subject`` to what (code keys, names), e.g.
        ``action(coder, Verb.MERGE_CODES, "sanctie", "dwang")``.
        """
        verb = Verb(verb)  # a free-text description is refused here, not stored as a verb
        description = english_description(verb, subject)
        if self._action_id is not None:  # an action inside an action joins it
            yield self._action_id
            return
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO actions (at, coder, kind, description, undoable, verb, subject) "
                "VALUES (?, ?, 'do', ?, ?, ?, ?)",
                (
                    now(),
                    coder,
                    description,
                    int(undoable),
                    verb.value,
                    json.dumps(list(subject), ensure_ascii=False),
                ),
            )
            self._action_id = last_id(cursor)
            try:
                yield self._action_id
            finally:
                self._action_id = None

    # -- recorded row changes (call inside an action) ----------------------------------------
    def _row(self, tbl: str, key: tuple) -> dict[str, Any] | None:
        row = self.db.execute(f"SELECT * FROM {tbl} WHERE {_where(tbl)}", key).fetchone()
        return dict(row) if row else None

    def _log(self, tbl: str, key: tuple, before: dict | None, after: dict | None) -> None:
        if self._action_id is None:
            raise RuntimeError("audited change outside Project.action()")
        self.db.execute(
            "INSERT INTO audit (action_id, tbl, row_key, before, after) VALUES (?, ?, ?, ?, ?)",
            (
                self._action_id,
                tbl,
                json.dumps(list(key)),
                json.dumps(before, ensure_ascii=False) if before is not None else None,
                json.dumps(after, ensure_ascii=False) if after is not None else None,
            ),
        )

    def _insert(self, tbl: str, values: dict[str, Any]) -> tuple:
        columns = ", ".join(f'"{c}"' for c in values)
        marks = ", ".join("?" for _column in values)
        cursor = self.db.execute(
            f"INSERT INTO {tbl} ({columns}) VALUES ({marks})", tuple(values.values())
        )
        cols = key_columns(tbl)
        key = (
            (cursor.lastrowid,)
            if cols == ("id",) and "id" not in values
            else tuple(values[c] for c in cols)
        )
        self._log(tbl, key, None, self._row(tbl, key))
        return key

    def _update(self, tbl: str, key: tuple, changes: dict[str, Any]) -> None:
        before = self._row(tbl, key)
        if before is None:
            raise ProjectError(
                _("rij {key} van {table} bestaat niet meer").format(key=key, table=tbl)
            )
        sets = ", ".join(f'"{c}" = ?' for c in changes)
        cursor = self.db.execute(
            f"UPDATE {tbl} SET {sets} WHERE {_where(tbl)}", (*changes.values(), *key)
        )
        self._changed_one(cursor, tbl, key)
        new_key = tuple(changes.get(c, k) for c, k in zip(key_columns(tbl), key, strict=False))
        self._log(tbl, key, before, self._row(tbl, new_key))

    def _delete(self, tbl: str, key: tuple) -> None:
        before = self._row(tbl, key)
        if before is None:
            return
        cursor = self.db.execute(f"DELETE FROM {tbl} WHERE {_where(tbl)}", key)
        self._changed_one(cursor, tbl, key)
        self._log(tbl, key, before, None)

    def _refuse_if_changed(self, tbl: str, key: tuple, seen: object, current: object) -> None:
        """Row versions for a team: an edit carries the row as its editor saw it (``seen``); if
        the row is no longer that (``current``, read inside this write transaction), someone
        changed it meanwhile, and this edit is refused, never written over theirs. Nothing
        given (``seen`` None): a change that does not depend on what was seen."""
        if seen is None or seen == current:
            return
        last = self.db.execute(
            "SELECT a.coder FROM audit u JOIN actions a ON a.id = u.action_id "
            "WHERE u.tbl = ? AND u.row_key = ? ORDER BY u.action_id DESC LIMIT 1",
            (tbl, json.dumps(list(key))),
        ).fetchone()
        raise ProjectError(
            _(
                "{who} heeft dit intussen gewijzigd; uw wijziging is niet opgeslagen (bekijk de "
                "nieuwe versie en probeer het opnieuw)"
            ).format(who=last[0] if last else _("iemand anders")),
            reason="conflict",
        )

    def _changed_one(self, cursor: sqlite3.Cursor, tbl: str, key: tuple) -> None:
        """A row read a moment ago in this transaction that an UPDATE or DELETE did not reach
        was kept from this coder by the server's row rule (on PostgreSQL, another coder's
        coding): refuse the whole action rather than log a change that did not happen."""
        if cursor.rowcount == 0:
            raise ProjectError(
                _(
                    "rij {key} van {table} is niet van u: u mag alleen uw eigen werk wijzigen"
                ).format(key=key, table=tbl),
                reason="not_yours",
            )


class SuggestionRow(NamedTuple):
    """A suggestion as its document's row in the store holds it: the evidence as JSON."""

    segment_id: str
    start: int
    end: int
    code_key: str
    score: float
    evidence: str  # evidence_json


def suggestion_row(suggestion: Suggestion) -> SuggestionRow:
    s = suggestion
    return SuggestionRow(
        s.segment_id, s.start, s.end, s.code_key, s.score, evidence_json(s.evidence)
    )


def evidence_json(evidence: Iterable[Evidence]) -> str:
    """A suggestion's evidence as stored: the JSON ``json.dumps`` gives a list of
    ``{"start", "end", "text", "rule", "weight"}`` objects (``ensure_ascii=False``), byte for
    byte, written by hand: building the dicts for ``json.dumps`` was a tenth of ``kwali
    suggest``. The strings still go through json's own escaping."""
    return (
        "["
        + ", ".join(
            f'{{"start": {_json_number(e.start)}, "end": {_json_number(e.end)}, '
            f'"text": {encode_basestring(e.text)}, "rule": {encode_basestring(e.rule)}, '
            f'"weight": {_json_number(e.weight)}}}'
            for e in evidence
        )
        + "]"
    )


def _json_number(value: float) -> str:
    if type(value) is float and math.isfinite(value):  # the usual case, as json writes it
        return float.__repr__(value)
    if type(value) is int:
        return int.__repr__(value)
    return json.dumps(value)  # NaN, a numpy float, a bool: json's own spelling
