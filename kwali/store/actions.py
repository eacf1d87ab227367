"""What a user action was: a verb from a fixed vocabulary and the names it concerns.

The store keeps actions structured (``verb`` and ``subject`` columns) so any reader can word
them in its own language; kwali's Dutch wording is :func:`kwali.app.history.action_text`. The
English ``description`` column is still written, in the form older kwali versions wrote, so
the audit trail reads the same in a plain SQLite browser; :func:`parse_description` turns
such a description back into a verb and subject (the migration of older project files).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Verb(str, Enum):
    """The kinds of user action the history records (the value is what the file stores)."""

    CODE = "code"  # subject: code key
    REMOVE_CODING = "remove_coding"  # code key
    ACCEPT = "accept"  # code key of the suggestion
    REJECT = "reject"  # code key of the suggestion
    MEMO = "memo"  # what the memo is on ("coding", "code", ...)
    EDIT_MEMO = "edit_memo"  # (nothing)
    ADD_CODE = "add_code"  # code key
    CHANGE_CODE = "change_code"  # code key (before a rename)
    MERGE_CODES = "merge_codes"  # source key, target key
    LOAD_CODEBOOK = "load_codebook"  # codebook name (may be empty)
    IMPORT = "import"  # file name
    SET_ATTRIBUTE = "set_attribute"  # attribute key, document id
    UNSET_ATTRIBUTE = "unset_attribute"  # attribute key(s), document id
    IMPORT_ATTRIBUTES = "import_attributes"  # file name
    RENAME_DOCUMENT = "rename_document"  # old name, new name
    REMOVE_DOCUMENT = "remove_document"  # document name
    REPLACE_DOCUMENT = "replace_document"  # document name, new file name
    PLACE_CODING = "place_coding"  # code key (a coding placed again after a replace)
    IMPORT_CODEBOOK = "import_codebook"  # file name (a merge into the project's codebook)
    DELETE_CODE = "delete_code"  # code key
    SET_ATTRIBUTE_TYPE = "set_attribute_type"  # attribute key, type (text/number/date)
    REMOVE_MEMO = "remove_memo"  # what the memo was on
    SUGGEST_SEARCH = "suggest_search"  # code key, search label (hits become suggestions)
    ACCEPT_ALL = "accept_all"  # code key, how many
    REJECT_ALL = "reject_all"  # code key, how many
    SAVE_QUERY = "save_query"  # the query's name
    SETTLE = "settle"  # segment id
    IMPORT_SURVEY = "import_survey"  # file name
    UPDATE_SURVEY = "update_survey"  # file name (a newer version of an imported survey)
    IMPORT_CASES = "import_cases"  # file name (speakers linked to cases, case attributes)
    LINK_CASE = "link_case"  # speaker, case name (or "" when the link is removed)
    SET_CASE_ATTRIBUTE = "set_case_attribute"  # attribute key(s), case name
    SUMMARY = "summary"  # case name, code key (a case × theme summary written or changed)
    MARK_REVIEWED = "mark_reviewed"  # reference, how many (sentences marked reviewed)
    UNMARK_REVIEWED = "unmark_reviewed"  # reference, how many
    MERGE_PROJECTS = "merge_projects"  # file name, file name
    UNDO = "undo"  # (nothing: the undone action is the record's target)
    REDO = "redo"  # (nothing: the redone undo is the record's target)
    OTHER = "other"  # an action this kwali does not know: the description, as stored


# The English descriptions, exactly as kwali wrote them before actions had a verb.
_ENGLISH = {
    Verb.CODE: "code {0}",
    Verb.REMOVE_CODING: "remove {0}",
    Verb.ACCEPT: "accept {0}",
    Verb.REJECT: "reject {0}",
    Verb.MEMO: "memo on {0}",
    Verb.EDIT_MEMO: "edit memo",
    Verb.ADD_CODE: "add code {0}",
    Verb.CHANGE_CODE: "change code {0}",
    Verb.MERGE_CODES: "merge {0} into {1}",
    Verb.LOAD_CODEBOOK: "load codebook {0}",
    Verb.IMPORT: "import {0}",
    Verb.SET_ATTRIBUTE: "set {0} of document {1}",
    Verb.UNSET_ATTRIBUTE: "unset {0} of document {1}",
    Verb.IMPORT_ATTRIBUTES: "import attributes from {0}",
    Verb.RENAME_DOCUMENT: "rename document {0} to {1}",
    Verb.REMOVE_DOCUMENT: "remove document {0}",
    Verb.REPLACE_DOCUMENT: "replace document {0} by {1}",
    Verb.PLACE_CODING: "place {0}",
    Verb.IMPORT_CODEBOOK: "import codebook {0}",
    Verb.DELETE_CODE: "delete code {0}",
    Verb.SET_ATTRIBUTE_TYPE: "type of {0} is {1}",
    Verb.REMOVE_MEMO: "remove memo on {0}",
    Verb.SUGGEST_SEARCH: "suggest {0} for {1}",
    Verb.ACCEPT_ALL: "accept all {0} ({1})",
    Verb.REJECT_ALL: "reject all {0} ({1})",
    Verb.SAVE_QUERY: "save query {0}",
    Verb.SETTLE: "vaststellen {0}",
    Verb.IMPORT_SURVEY: "import survey {0}",
    Verb.UPDATE_SURVEY: "update survey {0}",
    Verb.IMPORT_CASES: "import cases from {0}",
    Verb.LINK_CASE: "link speaker {0} to case {1}",
    Verb.SET_CASE_ATTRIBUTE: "set {0} of case {1}",
    Verb.SUMMARY: "summary of case {0} on {1}",
    Verb.MARK_REVIEWED: "mark {0} reviewed ({1})",
    Verb.UNMARK_REVIEWED: "unmark {0} reviewed ({1})",
    Verb.MERGE_PROJECTS: "merge {0} and {1}",
    Verb.OTHER: "{0}",
}

# Old descriptions back to verbs, most specific first ("add code x" before "code x"; code
# keys have no spaces, so "merge a into b" is told from "merge a.kwali and b.kwali").
_PATTERNS = [
    (re.compile(r"^undo: "), Verb.UNDO),
    (re.compile(r"^redo: "), Verb.REDO),
    (re.compile(r"^add code (.+)$"), Verb.ADD_CODE),
    (re.compile(r"^suggest (\S+) for (.+)$"), Verb.SUGGEST_SEARCH),
    (re.compile(r"^accept all (\S+) \((.+)\)$"), Verb.ACCEPT_ALL),
    (re.compile(r"^reject all (\S+) \((.+)\)$"), Verb.REJECT_ALL),
    (re.compile(r"^save query (.+)$"), Verb.SAVE_QUERY),
    (re.compile(r"^delete code (.+)$"), Verb.DELETE_CODE),
    (re.compile(r"^import codebook (.+)$"), Verb.IMPORT_CODEBOOK),
    (re.compile(r"^import survey (.+)$"), Verb.IMPORT_SURVEY),
    (re.compile(r"^update survey (.+)$"), Verb.UPDATE_SURVEY),
    (re.compile(r"^import cases from (.+)$"), Verb.IMPORT_CASES),
    (re.compile(r"^link speaker (.*) to case (.*)$"), Verb.LINK_CASE),
    (re.compile(r"^set (.+) of case (.+)$"), Verb.SET_CASE_ATTRIBUTE),
    (re.compile(r"^summary of case (.+) on (\S+)$"), Verb.SUMMARY),
    (re.compile(r"^mark (.+) reviewed \((.+)\)$"), Verb.MARK_REVIEWED),
    (re.compile(r"^unmark (.+) reviewed \((.+)\)$"), Verb.UNMARK_REVIEWED),
    (re.compile(r"^replace document (.+) by (.+)$"), Verb.REPLACE_DOCUMENT),
    (re.compile(r"^remove memo on (.+)$"), Verb.REMOVE_MEMO),
    (re.compile(r"^type of (.+) is (\S+)$"), Verb.SET_ATTRIBUTE_TYPE),
    (re.compile(r"^place (.+)$"), Verb.PLACE_CODING),
    (re.compile(r"^change code (.+)$"), Verb.CHANGE_CODE),
    (re.compile(r"^merge (\S+) into (\S+)$"), Verb.MERGE_CODES),
    (re.compile(r"^merge (.+) and (.+)$"), Verb.MERGE_PROJECTS),
    (re.compile(r"^merge (.+) into (.+)$"), Verb.MERGE_CODES),
    (re.compile(r"^load codebook ?(.*)$"), Verb.LOAD_CODEBOOK),
    (re.compile(r"^rename document (.+) to (.+)$"), Verb.RENAME_DOCUMENT),
    (re.compile(r"^remove document (.+)$"), Verb.REMOVE_DOCUMENT),
    (re.compile(r"^import attributes from (.+)$"), Verb.IMPORT_ATTRIBUTES),
    (re.compile(r"^unset (.+) of document (\S+)$"), Verb.UNSET_ATTRIBUTE),
    (re.compile(r"^code (.+)$"), Verb.CODE),
    (re.compile(r"^remove (.+)$"), Verb.REMOVE_CODING),
    (re.compile(r"^accept (.+)$"), Verb.ACCEPT),
    (re.compile(r"^reject (.+)$"), Verb.REJECT),
    (re.compile(r"^memo on (.+)$"), Verb.MEMO),
    (re.compile(r"^edit memo$"), Verb.EDIT_MEMO),
    (re.compile(r"^import (.+)$"), Verb.IMPORT),
    (re.compile(r"^set (.+) of document (\S+)$"), Verb.SET_ATTRIBUTE),
    (re.compile(r"^vaststellen (.+)$"), Verb.SETTLE),
]


def verb_of(value: str) -> Verb:
    """The stored verb; one a newer kwali added reads as OTHER rather than failing."""
    try:
        return Verb(value)
    except ValueError:
        return Verb.OTHER


def english_description(verb: Verb, subject: tuple[str, ...]) -> str:
    """The ``description`` column for a new action (undo and redo are written by the store)."""
    if verb in (Verb.UNDO, Verb.REDO):
        raise ValueError(f"{verb.value} is described from the action it reverts")
    template = _ENGLISH[verb]
    if len(subject) != template.count("{"):
        raise ValueError(f"{verb.value} takes {template.count('{')} names, not {subject!r}")
    return template.format(*subject)


def parse_description(description: str) -> tuple[Verb, tuple[str, ...]]:
    """Verb and subject of a description written by an older kwali; OTHER if unknown."""
    for pattern, verb in _PATTERNS:
        match = pattern.match(description)
        if match:
            return verb, tuple(match.groups())
    return Verb.OTHER, (description,)


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """One entry in the project's history.

    ``target`` is the action an undo or redo reverted (loaded with it), else None.
    """

    id: int
    at: str
    coder: str
    kind: str
    description: str
    undone: bool
    verb: Verb = Verb.OTHER
    subject: tuple[str, ...] = ()
    target: ActionRecord | None = None
