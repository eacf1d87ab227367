"""A FICTIONAL telephone survey of werkzoekenden, written as .csv, .xlsx or .sav (issue #15).

Shaped like the 2020 survey of the Prestatie010 evaluation (505 respondents, 305 in the
Prestatie010 approach and 200 in Meedoen010), but every answer here is made up from the
themes of the domain brief: none is a respondent's. ``write_survey(path, respondents, seed)``
writes it by suffix; the same seed gives the same file. ``survey_project(tmp_path, ...)``
builds a project with the sample codebook and imports the survey into it.

Columns: ``respnr`` (the id, 1001 on), ``aanpak``, ``geslacht``, ``leeftijd`` (a number),
``duur_uitkering`` (a category), and three open questions: ``Q7`` (waarom doet u mee),
``Q9`` (anders, namelijk: mostly empty) and ``Q12`` (wat zou helpen). Some answers are empty,
some are "weet niet" in its usual spellings. In the .sav the categories are numeric codes with
SPSS value labels and every column has a variable label; in .csv (``;``, as Dutch Excel
writes it) and .xlsx they are the labels themselves, so every format imports alike.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

ID_COLUMN = "respnr"
QUESTIONS = ("Q7", "Q9", "Q12")
CLOSED = ("aanpak", "geslacht", "leeftijd", "duur_uitkering")
LABELS = {
    "respnr": "Respondentnummer",
    "aanpak": "Aanpak",
    "geslacht": "Geslacht",
    "leeftijd": "Leeftijd in jaren",
    "duur_uitkering": "Hoe lang heeft u al een uitkering?",
    "Q7": "Waarom doet u mee aan de tegenprestatie?",
    "Q9": "Anders, namelijk",
    "Q12": "Wat zou u helpen om (meer) mee te doen of werk te vinden?",
}
VALUE_LABELS: dict[str, dict[int | float, str]] = {
    "aanpak": {1: "Prestatie010", 2: "Meedoen010"},
    "geslacht": {1: "man", 2: "vrouw"},
    "duur_uitkering": {
        1: "korter dan 1 jaar",
        2: "1 tot 3 jaar",
        3: "3 tot 5 jaar",
        4: "5 jaar of langer",
    },
}
WEET_NIET = ("weet niet", "Weet ik niet", "wn", "WEET NIET.", "weet het niet")

# Short answers written for this generator from the brief's themes (dwang, sanctie,
# wederkerigheid, vrijwilligheid, betaald_werk, gezondheid, mantelzorg, sociale_contacten,
# ontwikkeling, welbevinden, begeleiding, taal, financien, corona, ...).
Q7_ANSWERS = (
    "Omdat het verplicht is, anders word ik gekort op mijn uitkering.",
    "Het moet van de gemeente.",
    "Ik kreeg een brief dat ik moest komen.",
    "Ik wil iets terugdoen voor mijn uitkering, dat vind ik normaal.",
    "Voor wat hoort wat.",
    "Ik doe het uit mezelf, ik deed al vrijwilligerswerk.",
    "Het is mijn eigen keuze, ik zit niet graag thuis.",
    "Dan ben ik onder de mensen en heb ik sociale contacten.",
    "Thuis zitten is niks, zo heb ik structuur in mijn week.",
    "Ik hoop dat het helpt om betaald werk te vinden.",
    "Werkervaring opdoen voor een echte baan.",
    "Ik wil de taal beter leren, ik volg een taalcursus.",
    "Ik leer er nieuwe dingen en kan een cursus doen.",
    "Mijn activeringscoach raadde het aan.",
    "Ik zorg voor mijn moeder, dat telt als mantelzorg.",
    "Om gezond te blijven, ik doe aan bewegen.",
    "Anders krijg ik een maatregel.",
    "Ik voel me beter als ik iets nuttigs doe.",
    "Omdat ik trots wil zijn op mezelf.",
    "Ik ben er gewoon naartoe gestuurd.",
)
Q9_ANSWERS = (
    "Mantelzorg voor mijn zieke partner.",
    "Ik help in het buurthuis met koffie schenken.",
    "Taalles bij de bibliotheek.",
    "Werken aan mijn schulden met schuldhulpverlening.",
    "Ik heb een ontheffing vanwege mijn gezondheid.",
    "Kinderen naar school brengen, combineren lukt niet anders.",
    "Vrijwilligerswerk in een verzorgingshuis.",
    "Sinds corona ligt alles stil.",
    "Ik doe een beweegcursus.",
    "Een opleiding tot beveiliger.",
)
Q12_ANSWERS = (
    "Meer begeleiding van de activeringscoach.",
    "Een vaste contactpersoon die luistert.",
    "Hulp bij solliciteren en een cv maken.",
    "Een cursus of opleiding met een diploma.",
    "Kinderopvang, dan kan ik meer uren.",
    "Minder regels en formulieren.",
    "Dat ze rekening houden met mijn rugklachten.",
    "Reiskosten vergoed krijgen.",
    "Een werkgever die mij een kans geeft.",
    "Dat de gemeente mij vertrouwt en niet steeds controleert.",
    "Hulp met de Nederlandse taal.",
    "Meer waardering voor wat we doen.",
    "Niets, het gaat goed zo.",
    "Een passende plek dichtbij huis.",
    "Minder stress over geld.",
)
TAILS = (
    "",
    "",
    " Maar het is soms zwaar.",
    " Daar ben ik blij mee.",
    " Dat is niet altijd makkelijk.",
    " Zo gaat het al een paar jaar.",
)


def _answer(rng: random.Random, pool: tuple[str, ...], empty: float, weet_niet: float) -> str:
    draw = rng.random()
    if draw < empty:
        return ""
    if draw < empty + weet_niet:
        return rng.choice(WEET_NIET)
    return rng.choice(pool) + rng.choice(TAILS)


def survey_rows(respondents: int = 505, seed: int = 0) -> list[dict[str, object]]:
    """The survey's rows, categories as numeric codes (as SPSS stores them)."""
    prestatie = round(respondents * 305 / 505)
    aanpak = [1] * prestatie + [2] * (respondents - prestatie)
    random.Random(seed).shuffle(aanpak)
    rows: list[dict[str, object]] = []
    for index in range(respondents):
        # one generator per respondent: a smaller survey's answers are a larger one's first
        rng = random.Random(f"{seed}:{index}")
        rows.append(
            {
                "respnr": 1001 + index,
                "aanpak": aanpak[index],
                "geslacht": rng.choice((1, 2)),
                "leeftijd": rng.randint(23, 66),
                "duur_uitkering": rng.choice((1, 2, 3, 4)),
                "Q7": _answer(rng, Q7_ANSWERS, 0.06, 0.05),
                "Q9": _answer(rng, Q9_ANSWERS, 0.70, 0.03),
                "Q12": _answer(rng, Q12_ANSWERS, 0.10, 0.08),
            }
        )
    return rows


def _shown(row: dict[str, object]) -> dict[str, object]:
    """A row with its categories as their labels (what .csv and .xlsx hold)."""
    return {k: VALUE_LABELS[k][v] if k in VALUE_LABELS else v for k, v in row.items()}  # type: ignore[index]


def write_survey(path: Path, respondents: int = 505, seed: int = 0) -> Path:
    """Write the fictional survey to ``path`` (.csv, .xlsx or .sav, by suffix); ``path``."""
    return write_rows(path, survey_rows(respondents, seed))


def write_rows(path: Path, rows: list[dict[str, object]]) -> Path:
    """Write rows of :func:`survey_rows` (changed by a test, say) as :func:`write_survey`
    does."""
    path = Path(path)
    columns = [ID_COLUMN, *CLOSED, *QUESTIONS]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with open(path, "w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.DictWriter(handle, columns, delimiter=";")
            writer.writeheader()
            writer.writerows(_shown(r) for r in rows)
    elif suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("enquete")
        sheet.append(columns)
        for row in rows:
            shown = _shown(row)
            sheet.append([shown[c] if shown[c] != "" else None for c in columns])
        book.save(path)
    elif suffix == ".sav":
        import pandas as pd
        import pyreadstat

        frame = pd.DataFrame(rows, columns=columns)
        pyreadstat.write_sav(
            frame,
            str(path),
            column_labels=[LABELS[c] for c in columns],
            variable_value_labels=VALUE_LABELS,
        )
    else:
        raise ValueError(f"write_survey writes .csv, .xlsx or .sav, not {suffix!r}")
    return path


def survey_project(
    tmp_path: Path,
    respondents: int = 505,
    seed: int = 0,
    suffix: str = ".sav",
    nlp: Language | None = None,
) -> Path:
    """A project file (``tmp_path/survey.kwali``) with the sample codebook and the survey
    ``tmp_path/enquete<suffix>`` imported: questions Q7, Q9, Q12; the closed questions as
    case attributes. The survey is named ``enquete``; its question documents ``enquete · Q7``..."""
    from kwali.app.survey_import import import_survey
    from kwali.io.codebook import load_codebook
    from kwali.store import Project

    codebook = Path(__file__).resolve().parents[1] / "codebooks" / "tegenprestatie.yaml"
    source = write_survey(Path(tmp_path) / f"enquete{suffix}", respondents, seed)
    path = Path(tmp_path) / "survey.kwali"
    with Project.create(path) as project:
        project.set_codebook(load_codebook(codebook))
        import_survey(
            project,
            source,
            id_column=ID_COLUMN,
            questions=QUESTIONS,
            attributes=CLOSED,
            nlp=nlp,
        )
    return path
