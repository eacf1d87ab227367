"""The project's history in the researcher's words: every action worded once, in the
reader's language.

The store records what was done as a verb and its subject (:class:`kwali.store.Verb`); this is
the one place that turns that into the words the screens show, e.g. after an undo.
"""

from __future__ import annotations

from collections.abc import Mapping

from kwali.i18n import _
from kwali.store import ActionRecord, Verb
from kwali.store.attribute_types import TYPE_WORDS


def _templates() -> dict[Verb, str]:
    """Each verb's words, in the reader's language (translated when asked, not at import)."""
    return {
        Verb.CODE: _("codering {0}"),
        Verb.REMOVE_CODING: _("codering {0} verwijderd"),
        Verb.ACCEPT: _("suggestie {0} aanvaard"),
        Verb.REJECT: _("suggestie {0} afgewezen"),
        Verb.MEMO: _("memo"),
        Verb.EDIT_MEMO: _("memo"),
        Verb.ADD_CODE: _("nieuwe code {0}"),
        Verb.CHANGE_CODE: _("wijziging van code {0}"),
        Verb.MERGE_CODES: _("{0} samengevoegd met {1}"),
        Verb.LOAD_CODEBOOK: _("codeboek {0} geladen"),
        Verb.IMPORT: _("{0} geïmporteerd"),
        Verb.SET_ATTRIBUTE: _("kenmerk {0} van document {1} ingesteld"),
        Verb.UNSET_ATTRIBUTE: _("kenmerk {0} van document {1} gewist"),
        Verb.IMPORT_ATTRIBUTES: _("kenmerken uit {0} ingelezen"),
        Verb.RENAME_DOCUMENT: _("document {0} hernoemd tot {1}"),
        Verb.REMOVE_DOCUMENT: _("document {0} verwijderd"),
        Verb.REPLACE_DOCUMENT: _("document {0} vervangen door {1}"),
        Verb.PLACE_CODING: _("codering {0} opnieuw geplaatst"),
        Verb.IMPORT_CODEBOOK: _("codeboek {0} ingelezen"),
        Verb.DELETE_CODE: _("code {0} verwijderd"),
        Verb.SET_ATTRIBUTE_TYPE: _("kenmerk {0} is van het type {1}"),
        Verb.REMOVE_MEMO: _("memo bij {0} verwijderd"),
        Verb.SUGGEST_SEARCH: _("zoekresultaten {1} voorgesteld als {0}"),
        Verb.ACCEPT_ALL: _("{1} suggesties {0} aanvaard"),
        Verb.REJECT_ALL: _("{1} suggesties {0} afgewezen"),
        Verb.SAVE_QUERY: _("zoekvraag {0} opgeslagen"),
        Verb.SETTLE: _("vaststellen {0}"),
        Verb.IMPORT_SURVEY: _("enquête {0} geïmporteerd"),
        Verb.UPDATE_SURVEY: _("enquête {0} bijgewerkt"),
        Verb.IMPORT_CASES: _("cases uit {0} ingelezen"),
        Verb.LINK_CASE: _("spreker {0} gekoppeld aan case {1}"),
        Verb.SET_CASE_ATTRIBUTE: _("kenmerk {0} van case {1} ingesteld"),
        Verb.SUMMARY: _("samenvatting van case {0} bij {1}"),
        Verb.MARK_REVIEWED: _("{0} bekeken ({1})"),
        Verb.UNMARK_REVIEWED: _("{0} niet meer bekeken ({1})"),
        Verb.MERGE_PROJECTS: _("{0} en {1} samengevoegd"),
        Verb.OTHER: "{0}",  # an action this kwali does not know: as it was stored
    }


def _around() -> dict[Verb, str]:
    """An undo or redo is worded around the action it reverted: "ongedaan maken van nieuwe code x"."""
    return {Verb.UNDO: _("ongedaan maken van {0}"), Verb.REDO: _("opnieuw {0}")}


def _alone() -> dict[Verb, str]:
    return {Verb.UNDO: _("ongedaan maken"), Verb.REDO: _("opnieuw")}


# Verbs whose subject is code keys: shown by their labels when the caller knows them.
_ABOUT_CODES = {
    Verb.CODE,
    Verb.REMOVE_CODING,
    Verb.ACCEPT,
    Verb.REJECT,
    Verb.ADD_CODE,
    Verb.CHANGE_CODE,
    Verb.MERGE_CODES,
    Verb.PLACE_CODING,
    Verb.DELETE_CODE,
    Verb.SUGGEST_SEARCH,
    Verb.ACCEPT_ALL,
    Verb.REJECT_ALL,
}


def _words(record: ActionRecord, labels: Mapping[str, str]) -> str:
    alone = _alone()
    if record.verb in alone:  # its target is missing: nothing more to say
        return alone[record.verb]
    template = _templates().get(record.verb, "{0}")
    if template.count("{") > len(record.subject):
        return record.description  # written by another kwali in a form this one cannot word
    subject = record.subject
    if record.verb in _ABOUT_CODES:  # a code merged or removed since keeps its key
        subject = tuple(labels.get(key, key) for key in subject)
    elif record.verb is Verb.SET_ATTRIBUTE_TYPE:  # the type is stored in English
        subject = (subject[0], TYPE_WORDS.get(subject[1], subject[1]), *subject[2:])
    return template.format(*subject)


def action_text(record: ActionRecord, labels: Mapping[str, str] | None = None) -> str:
    """The words for one action, as the history and the undo messages show it;
    codes are named by ``labels`` (key -> label) where given, else by their keys."""
    around = []
    templates = _around()
    while record.verb in templates and record.target is not None:  # undo of redo of undo ...
        around.append(templates[record.verb])
        record = record.target
    text = _words(record, labels or {})
    for template in reversed(around):
        text = template.format(text)
    return " ".join(text.split())


def reverted_text(record: ActionRecord, labels: Mapping[str, str] | None = None) -> str:
    """The words for what :meth:`Project.undo` or :meth:`Project.redo` returned.

    Undo returns the action it undid; redo returns the undo it reverted, and what is done
    again is that undo's target ("nieuwe code x", not "ongedaan maken van nieuwe code x").
    """
    if record.verb is Verb.UNDO and record.target is not None:
        record = record.target
    return action_text(record, labels)
