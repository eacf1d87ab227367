"""Who said a quote, as the study attributes it: role and gender, never a name.

The one rule for the quotes screen and every export, so the screen shows a quote attributed
exactly as it will leave kwali. Plain Python on the model: the UI imports it without pandas.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kwali.model import Segment, Turn

ATTRIBUTION = ("rol", "geslacht")  # the study's convention: role + gender, never names
INTERVIEWER = "interviewer"
HEADER = "header"  # i18n: keep (a code: why a segment is no unit, the heading above the speakers)
MASKED = "masked"  # a label such as "coach, man/vrouw": the transcriber hid the gender
# Turn roles that say nothing beyond "someone answered": the document's own rol is better.
_GENERIC_ROLES = {None, "", "respondent", INTERVIEWER}


def is_interviewer(turn: Turn | None) -> bool:
    return turn is not None and turn.role == INTERVIEWER


def attribute_value(attributes: Mapping[str, str], turn: Turn | None, key: str) -> str:
    """The value of ``key`` for words spoken in ``turn`` of a document with ``attributes``.

    The speaker's own label wins over the document's attributes (in a duo interview the coach's
    turns are the coach's), except a generic one ("respondent"); a masked gender stays hidden
    rather than falling back to the document's. The interviewer has a role and nothing else.
    """
    if key == "rol":
        return speaker_role(attributes, turn.role if turn else None)
    if is_interviewer(turn):
        return ""
    value = attributes.get(key, "")
    if turn is None:
        return value
    if key == "geslacht" and turn.gender:
        return "" if turn.gender == MASKED else turn.gender
    return value


def speaker_role(attributes: Mapping[str, str], role: str | None) -> str:
    """The ``rol`` of words said by a speaker labelled ``role`` (a turn's or a segment's) in
    a document with ``attributes``: the label's own role unless it is generic, else the
    document's; ``interviewer`` for the interviewer."""
    if role == INTERVIEWER:
        return INTERVIEWER
    if role not in _GENERIC_ROLES:
        return role or ""
    return attributes.get("rol", "")


def attribution(
    attributes: Mapping[str, str], turn: Turn | None, keys: Sequence[str] = ATTRIBUTION
) -> str:
    """``werkzoekende, vrouw``: the values of ``keys`` for ``turn``; ``interviewer`` for the
    interviewer, whatever the keys."""
    if is_interviewer(turn):
        return INTERVIEWER
    return ", ".join(value for key in keys if (value := attribute_value(attributes, turn, key)))


def left_out(segments: Sequence[Segment]) -> list[str | None]:
    """Per segment, why it is no agreement unit: ``"interviewer"`` (what the interviewer
    said), ``"header"`` (text above a document's first speaker: a title, the interview's
    details), or None (a unit).

    The one rule for what a respondent said: agreement's figures and list of disagreements
    (counting the interviewer's questions and the headers, which nobody codes, pushes percent
    agreement to ~99%) and the suggester's codeable sentences. A document without speaker
    labels has no header; all of it counts.
    """
    first: dict[int, int] = {}
    for s in segments:
        if s.speaker is not None:
            first[s.document_id] = min(first.get(s.document_id, s.turn_number), s.turn_number)
    return [
        INTERVIEWER
        if s.role == INTERVIEWER
        else HEADER
        if s.speaker is None and s.turn_number < first.get(s.document_id, 0)
        else None
        for s in segments
    ]
