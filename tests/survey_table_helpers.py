"""A small survey built through the store, with figures checked by hand (tables helper, #15).

Eight respondents answer the open question Q7 ("Waarom doet u mee?"); four are
Prestatie010, three Meedoen010, one has no ``aanpak``. Respondent 104 left Q7 empty and 107
said "weet niet": they are rows of ``survey_answers``, not turns. Q9 is a second question whose
codings must never count for Q7.

Who coded what (confirmed codings; ``consensus`` is the settled layer):

=====  ============  ========  =====  ============================  =====================
resp.  aanpak        geslacht  uren   Q7                            codes
=====  ============  ========  =====  ============================  =====================
101    Prestatie010  vrouw     3.5    werken en geld verdienen      werk, geld (anna)
102    Prestatie010  man       10     voor het geld                 geld (anna and bram)
103    Prestatie010  vrouw     3.5    het moest van de gemeente     dwang (bram)
104    Prestatie010  man       10     (leeg)
105    Meedoen010    vrouw     3.5    om mensen te ontmoeten        contact (anna);
                                                                    dwang (consensus)
106    Meedoen010    man       10     zomaar                        (none)
107    Meedoen010    vrouw     10     (weet niet)
108    (none)        man       (none) werk                          werk (bram)
=====  ============  ========  =====  ============================  =====================
"""

from __future__ import annotations

from pathlib import Path

from kwali.model import Code, Codebook, Transcript, Turn
from kwali.store import Project
from kwali.store.actions import Verb

SURVEY_CODEBOOK = Codebook(
    "Enquête",
    (
        Code("motief", "Motieven", kind="category"),
        Code("werk", "Werk vinden", parent="motief"),
        Code("geld", "Geld", parent="motief"),
        Code("verplichting", "Verplichting", kind="category"),
        Code("dwang", "Moeten van de gemeente", parent="verplichting"),
        Code("contact", "Sociale contacten"),
        Code("taal", "Taal", definition="Nooit gecodeerd in Q7."),
    ),
)
RESPONDENTS: dict[str, dict[str, str]] = {
    "101": {"aanpak": "Prestatie010", "geslacht": "vrouw", "uren": "3.5"},
    "102": {"aanpak": "Prestatie010", "geslacht": "man", "uren": "10"},
    "103": {"aanpak": "Prestatie010", "geslacht": "vrouw", "uren": "3.5"},
    "104": {"aanpak": "Prestatie010", "geslacht": "man", "uren": "10"},
    "105": {"aanpak": "Meedoen010", "geslacht": "vrouw", "uren": "3.5"},
    "106": {"aanpak": "Meedoen010", "geslacht": "man", "uren": "10"},
    "107": {"aanpak": "Meedoen010", "geslacht": "vrouw", "uren": "10"},
    "108": {"geslacht": "man"},
}
# respondent -> (status, answer)
Q7: dict[str, tuple[str, str]] = {
    "101": ("answered", "Ik wil weer werken en geld verdienen."),
    "102": ("answered", "Voor het geld."),
    "103": ("answered", "Het moest van de gemeente."),
    "104": ("empty", ""),
    "105": ("answered", "Om mensen te ontmoeten."),
    "106": ("answered", "Zomaar eigenlijk."),
    "107": ("weet_niet", "weet niet"),
    "108": ("answered", "Werk."),
}
Q9: dict[str, tuple[str, str]] = {
    "101": ("answered", "Ik moest wel."),
    "105": ("answered", "Het geld."),
    "106": ("answered", "Ik moest."),
}
# (question, respondent, part of the answer or "" for all of it, code, coders)
CODINGS = [
    ("Q7", "101", "werken", "werk", ("anna",)),
    ("Q7", "101", "geld verdienen", "geld", ("anna",)),
    ("Q7", "102", "", "geld", ("anna", "bram")),
    ("Q7", "103", "", "dwang", ("bram",)),
    ("Q7", "105", "", "contact", ("anna",)),
    ("Q7", "105", "", "dwang", ("consensus",)),
    ("Q7", "108", "", "werk", ("bram",)),
    ("Q9", "101", "", "dwang", ("anna",)),
    ("Q9", "105", "", "geld", ("anna",)),
    ("Q9", "106", "", "dwang", ("anna", "bram")),
]
QUESTIONS = {"Q7": ("Waarom doet u mee?", Q7), "Q9": ("Wat vindt u ervan?", Q9)}


def _question_document(
    project: Project, name: str, answers: dict[str, tuple[str, str]]
) -> tuple[int, dict[str, int], dict[str, tuple[int, int]]]:
    """The question as the importer stores it: ``<id>: <answer>`` turns, answered only."""
    text, numbers, spans = "", {}, {}
    turns: list[Turn] = []
    for respondent, (status, answer) in answers.items():
        if status != "answered":
            continue
        if text:
            text += "\n\n"
        start = len(text)
        text += f"{respondent}: "
        content = len(text)
        text += answer
        number = len(turns) + 1
        turns.append(Turn(number, start, len(text), content, len(text), respondent, "respondent"))
        numbers[respondent] = number
        spans[respondent] = (content, len(text))
    document, _ = project.add_document(
        Transcript(text, tuple(turns), f"enquete {name}", "survey"), lambda i, u: [], name=name
    )
    return document.id, numbers, spans


def build_survey(project: Project, *, survey: str = "enquete") -> dict[str, int]:
    """The survey above in ``project``; ``{question: document id}``."""
    project.set_codebook(SURVEY_CODEBOOK)
    project.set_attribute_type("uren", "number")
    documents, numbers, spans = {}, {}, {}
    for name, (_, answers) in QUESTIONS.items():
        documents[name], numbers[name], spans[name] = _question_document(project, name, answers)
    links = [(documents[q], r, r) for q in QUESTIONS for r in numbers[q]]
    project.import_cases(links, RESPONDENTS, f"{survey}.csv")
    cases = {c.name: c.id for c in project.cases()}
    with project.action("kwali", Verb.IMPORT_SURVEY, f"{survey}.csv"):
        (survey_id,) = project._insert(
            "surveys",
            {
                "name": survey,
                "source_name": f"{survey}.csv",
                "sha256": "0" * 64,
                "id_column": "respnr",
                "imported_at": "2026-12-05T08:00:00",
            },
        )
        for position, (name, (label, answers)) in enumerate(QUESTIONS.items()):
            project._insert(
                "survey_questions",
                {
                    "survey_id": survey_id,
                    "name": name,
                    "label": label,
                    "document_id": documents[name],
                    "position": position,
                },
            )
            for respondent, (status, answer) in answers.items():
                project._put_survey_answer(
                    survey_id,
                    name,
                    cases[respondent],
                    status,  # type: ignore[arg-type]
                    answer,
                    numbers[name].get(respondent),
                )
    for question, respondent, part, code, coders in CODINGS:
        start, end = spans[question][respondent]
        if part:
            text = project.require_document(documents[question]).text
            start = text.index(part, start)
            end = start + len(part)
        for coder in coders:
            project.add_coding(documents[question], start, end, code, coder)
    return documents


def survey_file(folder: Path) -> Path:
    """A project file on disk holding the survey."""
    path = folder / "enquete.kwali"
    with Project.create(path) as project:
        build_survey(project)
    return path
