"""Streamed Word tables (kwali.export.docx_stream) write what python-docx wrote, byte for byte.

The reference is python-docx itself: the same quote document with each streamed table's rows
added through ``add_row`` and ``add_run`` (as kwali.export.word did before issue 18), and the
quote cells as the old ``_fill_quote_row`` filled them (pinned below).
"""

from __future__ import annotations

import io
import math
import random
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from kwali.export import docx_stream, export, word
from kwali.model import Code, Codebook
from kwali.store import Project

SAMPLE = Path(__file__).resolve().parents[1] / "sample" / "voorbeeld.kwali"


# -- the reference: python-docx's own path ------------------------------------------------------
def _fill(cell, paragraphs) -> None:
    for number, runs in enumerate(paragraphs):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        for run in runs:
            made = paragraph.add_run(run.text)
            if run.size is not None:
                made.font.size = Pt(run.size)
            if run.color is not None:
                made.font.color.rgb = RGBColor.from_string(run.color)
            if run.bold is not None:
                made.bold = run.bold
            if run.italic is not None:
                made.italic = run.italic


def _docx_table(doc, headers, widths, rows):
    table = word.styled_table(doc, headers, widths)
    for row in rows():
        for cell, paragraphs in zip(word.add_row(table, widths), row, strict=True):
            _fill(cell, paragraphs)
    return table


def _old_fill_quote_row(cells, row, attributes, memos, coder_column=True) -> None:
    """kwali.export.word._fill_quote_row before issue 18, verbatim."""
    quote = cells[0].paragraphs[0]
    if row["context_before"]:
        word.muted(quote, f"{row['context_before']} ")
    quote.add_run(word.clean(row["text"]))
    if row["context_after"]:
        word.muted(quote, f" {row['context_after']}")
    who = cells[1].paragraphs[0]
    who.add_run(word.clean(row["respondent"] or "—")).font.size = Pt(9)
    for key in attributes:
        column = key if key in row.index else f"attribute {key}"
        if column in row.index and row[column] and str(row[column]) not in str(row["respondent"]):
            word.muted(cells[1].add_paragraph(), str(row[column]), size=8)
    cells[2].paragraphs[0].add_run(word.clean(row["reference"])).font.size = Pt(9)
    extra = " · ".join(v for v in (row["quotation"], row["timestamp"]) if v)
    word.muted(cells[2].add_paragraph(), extra, size=8)
    if coder_column:
        cells[3].paragraphs[0].add_run(word.clean(row["coder"])).font.size = Pt(9)
    if memos:
        word.muted(cells[-1].paragraphs[0], str(row["memo"]), size=8.5)


def _saved(doc) -> dict[str, bytes]:
    with io.BytesIO() as buffer:
        doc.save(buffer)
        data = buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        return {name: package.read(name) for name in package.namelist()}


def _both(monkeypatch, make) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(streamed, python-docx) packages of the document ``make()`` builds."""
    streamed = _saved(make())
    with monkeypatch.context() as patch:
        patch.setattr(word, "streamed_table", _docx_table)
        reference = _saved(make())
    return streamed, reference


def _same(streamed: dict[str, bytes], reference: dict[str, bytes]) -> None:
    assert sorted(streamed) == sorted(reference)
    assert streamed["word/document.xml"] == reference["word/document.xml"]
    for name in reference:
        if name != "docProps/core.xml":  # its time stamps
            assert streamed[name] == reference[name], name


# -- quote tables ----------------------------------------------------------------------------
CODEBOOK = Codebook("x", (Code("a", "Alfa", definition="Eerste."), Code("b", "Bèta")))


def _quote(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "code": "a",
        "code_path": "Alfa",
        "text": "Ik moest komen.",
        "context_before": "",
        "context_after": "",
        "respondent": "werkzoekende",
        "reference": "interview 1, r. 2",
        "quotation": "1:2.1",
        "timestamp": "",
        "coder": "anna",
        "memo": "",
        "attribute rol": "werkzoekende",
        "attribute stad": "Zwolle",
    }
    return row | changes


LONG = " ".join(["Een lange zin die doorloopt over meerdere regels van de cel."] * 40)
EDGES = {
    "empty": [],
    "one row": [_quote()],
    "line breaks and tabs": [_quote(text=f"Eerste regel\nTweede\tmet tab\r\nDerde {LONG}")],
    "forbidden characters": [
        _quote(text="nul\x00 verticaal\x0b ff\x0c esc\x1b niet\ufffe\uffff", coder="an\x01na"),
        _quote(code="b", text="  spaties voor en na  ", memo="<memo> & \"quotes\" 'x'"),
    ],
    "non-latin": [
        _quote(text="Привет мир · مرحبا بالعالم · 你好，世界 · 🙂 · ñ ß ø"),
        _quote(respondent="学生 (女)", reference="面接 3, r. 12", context_before="前"),
    ],
    "context and memos": [
        _quote(context_before="Ervoor.", context_after="Erna.", memo="Let op.", timestamp="00:01"),
        _quote(code="b", coder="bram", quotation="", respondent=""),
    ],
    # a word no column can hold: landscape, narrow margins, then smaller fonts
    "too wide": [_quote(text="x" * 400, reference="y" * 120)],
}


@pytest.mark.parametrize("case", list(EDGES))
@pytest.mark.parametrize("one_table", [False, True])
def test_quote_tables_are_written_as_python_docx_wrote_them(monkeypatch, case, one_table):
    rows = EDGES[case]
    columns = list(_quote())
    table = pd.DataFrame(rows, columns=columns)

    def make():
        return word.quote_document(
            table,
            CODEBOOK,
            list(CODEBOOK),
            title="Citaten",
            one_table=one_table,
            attributes=["rol", "stad"],
            coder_column=True,
        )

    streamed, reference = _both(monkeypatch, make)
    _same(streamed, reference)


def test_quote_cells_are_the_old_rows(monkeypatch):
    """The cells built as data hold what the old python-docx filling wrote, run for run."""
    rows = [r for case in EDGES.values() for r in case]
    table = pd.DataFrame(rows, columns=list(_quote()))
    for memos in (False, True):
        for coder_column in (False, True):
            old, new = word.new_document("t"), word.new_document("t")
            widths = [2.0] * (3 + coder_column + memos)
            headers = [str(n) for n in range(len(widths))]
            old_table = word.styled_table(old, headers, widths)
            new_table = word.styled_table(new, headers, widths)
            for _unused, row in table.iterrows():
                _old_fill_quote_row(
                    word.add_row(old_table, widths), row, ["rol", "stad"], memos, coder_column
                )
            for row in word._records(table):
                cells = word._quote_cells(row, ["rol", "stad"], memos, coder_column)
                for cell, paragraphs in zip(word.add_row(new_table, widths), cells, strict=True):
                    _fill(cell, paragraphs)
            assert old_table._tbl.xml == new_table._tbl.xml


@pytest.fixture
def sample(tmp_path) -> Path:
    if not SAMPLE.exists():
        pytest.skip("no sample project")
    copy = tmp_path / "voorbeeld.kwali"
    shutil.copy(SAMPLE, copy)
    with Project.open(copy) as project:  # coded by two coders, who share some quotes
        for number, suggestion in enumerate(project.suggestions()[:400]):
            if number % 3 != 2:
                coding = project.accept_suggestion(suggestion.id, "anna")
                if number % 7 == 0:
                    project.set_coding_memo(coding.id, f"memo {number} <&>", "anna")
            if number % 3 != 0:
                project.accept_suggestion(suggestion.id, "bram")
    return copy


OPTIONS = [
    {},
    {"one_table": True},
    {"context": 2, "coder_column": True},
    {"per_coder": True, "context": 1, "one_table": True},
]


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(o) or "default")
def test_the_sample_project_exports_as_before(monkeypatch, sample, tmp_path, options):
    out, before = tmp_path / "nieuw.docx", tmp_path / "oud.docx"
    with Project.open(sample, readonly=True) as project:
        export(project, "quotes", out, **options)
        with monkeypatch.context() as patch:
            patch.setattr(word, "streamed_table", _docx_table)
            export(project, "quotes", before, **options)

    def package(path: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(path) as opened:
            assert opened.testzip() is None
            return {name: opened.read(name) for name in opened.namelist()}

    _same(package(out), package(before))
    # and python-docx reads it back: the tables, their rows, style, widths and header row
    new, old = Document(str(out)), Document(str(before))
    assert len(new.tables) == len(old.tables) > 0
    assert sum(len(t.rows) for t in new.tables) > len(new.tables)  # rows beyond the headers
    for mine, theirs in zip(new.tables, old.tables, strict=True):
        assert mine.style.name == theirs.style.name == word.TABLE_STYLE
        assert [[c.text for c in r.cells] for r in mine.rows] == [
            [c.text for c in r.cells] for r in theirs.rows
        ]
        assert [c.width for c in mine.columns] == [c.width for c in theirs.columns]
        assert [[c.width for c in r.cells] for r in mine.rows] == [
            [c.width for c in r.cells] for r in theirs.rows
        ]
        header = mine.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None


def test_a_huge_table_is_written_with_zip64(monkeypatch, tmp_path):
    """A table whose XML may pass 2 GB goes in a Zip64 entry; Word and python-docx read it."""
    monkeypatch.setattr(docx_stream, "_ZIP64_FROM", 0)
    table = pd.DataFrame([_quote(text=f"citaat {n}") for n in range(50)], columns=list(_quote()))
    path = tmp_path / "groot.docx"
    word.quote_document(table, CODEBOOK, list(CODEBOOK), title="t").save(str(path))
    with zipfile.ZipFile(path) as opened:
        assert opened.testzip() is None
    rows = Document(str(path)).tables[0].rows
    assert [r.cells[0].text for r in rows][1:] == [f"citaat {n}" for n in range(50)]


def test_rows_are_made_once_to_measure_and_once_to_write():
    """The rows are data made on demand: a long table is never all in memory at once."""
    made = []

    def rows():
        made.append(1)
        yield from ([[[docx_stream.Run(f"{n}")]], [[]]] for n in range(3))

    doc = word.new_document("t")
    word.streamed_table(doc, ["a", "b"], [3.0, 3.0], rows)
    saved = _saved(doc)
    assert len(made) == 2
    assert saved["word/document.xml"].count(b"<w:tr>") == 4  # the header row and three


# -- fitting the columns: the same widths as the row-by-row sharing before issue 18 -------------
def _old_line_count(lines, width, pad):
    room = max(width - pad, 0.01)
    return sum(max(1, math.ceil(line / room - 1e-9)) for line in lines) or 1


def _old_share(least, want, given, rows, total, pad):
    """kwali.export.word._share before issue 18, verbatim (rows: per row (column, lines))."""
    widths = list(least)
    counts = [{c: _old_line_count(lines, widths[c], pad) for c, lines in row} for row in rows]

    def height(column, width):
        total_lines, new = 0, []
        for row, count in zip(rows, counts, strict=True):
            lines = next((lines for c, lines in row if c == column), None)
            mine = _old_line_count(lines, width, pad) if lines is not None else 0
            new.append(mine)
            others = max((n for c, n in count.items() if c != column), default=1)
            total_lines += max(others, mine)
        return total_lines, new

    current = sum(max(count.values(), default=1) for count in counts)
    while (rest := total - sum(widths)) > 1e-6:
        best = None
        for column in range(len(widths)):
            room = max(widths[column] - pad, 0.01)
            needed = [
                line / (math.ceil(line / room - 1e-9) - 1) + pad
                for row in rows
                for c, lines in row
                if c == column
                for line in lines
                if math.ceil(line / room - 1e-9) > 1
            ]
            if not needed:
                continue
            for stride in {max(0.05, min(needed) - widths[column] + 1e-6), 0.5, 1.0, 2.0}:
                jump = min(rest, stride)
                lines, new = height(column, widths[column] + jump)
                gain = (current - lines) / jump
                if gain > 0 and (best is None or gain > best[0]):
                    best = (gain, column, jump, lines, new)
        if best is None:
            break
        _gain, column, jump, current, new = best
        widths[column] += jump
        for count, n in zip(counts, new, strict=True):
            if column in count:
                count[column] = n
    for column in sorted(range(len(widths)), key=lambda c: want[c] - widths[c]):
        extra = want[column] - widths[column]
        if 0 < extra <= total - sum(widths) + 1e-9:
            widths[column] = want[column]
    if (rest := total - sum(widths)) > 1e-6:
        widths = [w + rest * g / sum(given) for w, g in zip(widths, given, strict=True)]
    return widths


@pytest.mark.parametrize("seed", range(60))
def test_columns_are_shared_out_as_before(seed):
    rng = random.Random(seed)
    columns = rng.randint(1, 6)
    rows = []
    for _unused in range(rng.randint(0, 80)):
        present = [c for c in range(columns) if rng.random() < 0.85]
        rows.append(
            [
                (c, [rng.choice([0.0, rng.uniform(0, 3), rng.uniform(0, 40)]) for _n in range(k)])
                for c in present
                if (k := rng.choice([1, 1, 1, 2, 4])) or True
            ]
        )
    pad = rng.choice([0.48, 0.26])
    least = [rng.uniform(0.3, 2.5) for _unused in range(columns)]
    want = [low + rng.uniform(0, 12) for low in least]
    given = [rng.uniform(1, 8) for _unused in range(columns)]
    total = min(rng.uniform(15, 26), max(sum(given), sum(want)))
    total = max(total, sum(least))
    lines = word._Lines(columns)
    for row in rows:
        lines.rows += 1
        for column, cell in row:
            lines.add(column, cell)
    assert word._share(least, want, given, lines, total, pad) == _old_share(
        least, want, given, rows, total, pad
    )
