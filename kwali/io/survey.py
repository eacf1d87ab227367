"""Read a survey file (.csv, .xlsx, .sav) into a plain :class:`SurveyTable`.

Every cell becomes a string (an empty one for a missing value); numbers are written without a
needless ``.0`` (SPSS stores ``1`` as ``1.0``), dates as ISO. What SPSS knows about a column
comes along: its variable label (the question) and its value labels (``1`` → ``Prestatie010``).
A column's kind (text, number, date) is what its cells hold: SPSS says it, an Excel cell has a
type, and a CSV column is a number or a date when every filled cell reads as one.

Hostile input is refused in one line naming the file (an :class:`~kwali.errors.InputError`):
a file too large, a workbook that unpacks to more than a transcript reader accepts, a .sav that
is not one, a NUL in a cell. No pickle: pyreadstat parses the SPSS format itself.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Literal

from kwali.errors import InputError
from kwali.i18n import ENV_VAR, _, language, ngettext
from kwali.io.encoding import decode_text
from kwali.io.limits import MAX_FILE_BYTES, MAX_TEXT_CHARS, MAX_XML_BYTES

ColumnKind = Literal["text", "number", "date"]
SURVEY_SUFFIXES = (".csv", ".xlsx", ".sav")

# A survey far larger than any real one (the 2020 telephone survey had 505 respondents and
# about 150 questions); past these the file is refused, never cut short.
MAX_SURVEY_ROWS = 1_000_000
MAX_SURVEY_COLUMNS = 10_000

_NUMBER = re.compile(r"[+-]?(\d{1,3}(\.\d{3})+,\d+|\d+([.,]\d+)?)")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}")
_BAD_CHAR = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class SurveyColumn:
    """A column: its name (the header, the SPSS variable), its label (the question as asked;
    the name when the file has none), its value labels and the kind of its values."""

    name: str
    label: str
    kind: ColumnKind = "text"
    value_labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SurveyTable:
    """A survey as read: one row per respondent, every cell a string, in the file's order."""

    source_name: str
    sha256: str  # of the file's bytes: the same file imported twice is recognised by it
    columns: tuple[SurveyColumn, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> SurveyColumn:
        return self.columns[self.names.index(name)]

    def values(self, name: str) -> list[str]:
        """The column's cells as shown: a value label where SPSS has one."""
        index = self.names.index(name)
        labels = self.columns[index].value_labels
        return [labels.get(row[index], row[index]) for row in self.rows]


def read_survey(path: Path, encoding: str | None = None) -> SurveyTable:
    """The survey in ``path`` (by suffix: .csv, .xlsx or .sav); ``encoding`` for a CSV that
    kwali cannot decode by itself."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SURVEY_SUFFIXES:
        raise InputError(
            _("is geen enquêtebestand dat kwali leest ({suffixes})").format(
                suffixes=", ".join(SURVEY_SUFFIXES)
            ),
            path=path,
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _unreadable(exc, path) from exc
    if size > MAX_FILE_BYTES:
        raise InputError(
            _("is {size} bytes, meer dan kwali leest ({most})").format(
                size=f"{size:,}", most=f"{MAX_FILE_BYTES:,}"
            ),
            path=path,
        )
    if size == 0:
        raise InputError(_("het bestand is leeg"), path=path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(exc, path) from exc
    sha = hashlib.sha256(data).hexdigest()
    if suffix == ".csv":
        columns, rows = _read_csv(data, path, encoding)
    elif suffix == ".xlsx":
        columns, rows = _read_xlsx(data, path)
    else:
        columns, rows = _read_sav(path)
    return _checked(path, sha, columns, rows)


def file_sha256(path: Path) -> str:
    """The sha256 of the file's bytes (what recognises a survey imported before)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(2**20), b""):
                digest.update(block)
    except OSError as exc:
        raise _unreadable(exc, path) from exc
    return digest.hexdigest()


def _unreadable(exc: OSError, path: Path) -> InputError:
    return InputError(
        _("kan niet gelezen worden ({error})").format(error=exc.strerror or exc), path=path
    )


def _checked(
    path: Path, sha: str, columns: list[SurveyColumn], rows: list[list[str]]
) -> SurveyTable:
    """Names present and unique, rows as wide as the header, no character SQLite can't keep."""
    names = [c.name for c in columns]
    if not names:
        raise InputError(_("heeft geen kolommen"), path=path)
    seen: set[str] = set()
    for number, name in enumerate(names, 1):
        if not name:
            raise InputError(_("kolom {number} heeft geen naam").format(number=number), path=path)
        if name in seen:
            raise InputError(
                _("heeft twee kolommen met de naam {name}").format(name=repr(name)), path=path
            )
        seen.add(name)
    width = len(names)
    kept: list[tuple[str, ...]] = []
    chars = 0
    for number, row in enumerate(rows, 2):  # row 1 is the header
        if len(row) > width and any(cell for cell in row[width:]):
            raise InputError(
                ngettext(
                    "rij {row} heeft {cells} cellen, maar de kopregel noemt {columns} kolom",
                    "rij {row} heeft {cells} cellen, maar de kopregel noemt {columns} kolommen",
                    width,
                ).format(row=number, cells=len(row), columns=width),
                path=path,
            )
        cells = tuple((list(row[:width]) + [""] * width)[:width])
        if not any(cells):
            continue  # a blank line, Excel's trailing rows
        for index, cell in enumerate(cells):
            bad = _BAD_CHAR.search(cell)
            if bad:
                raise InputError(
                    _(
                        "rij {row}, kolom {column} bevat een teken dat kwali niet kan bewaren "
                        "(een NUL of een kapotte UTF-16-surrogaat)"
                    ).format(row=number, column=repr(names[index])),
                    path=path,
                )
            chars += len(cell)
        if chars > MAX_TEXT_CHARS:
            raise InputError(
                _("bevat meer dan {most} tekens; is het echt een enquête?").format(
                    most=f"{MAX_TEXT_CHARS:,}"
                ),
                path=path,
            )
        kept.append(cells)
    if not kept:
        raise InputError(_("heeft een kopregel maar geen respondenten"), path=path)
    return SurveyTable(path.name, sha, tuple(columns), tuple(kept))


def _limit_rows(count: int, path: Path) -> None:
    if count > MAX_SURVEY_ROWS:
        raise InputError(
            _("heeft meer dan {most} rijen").format(most=f"{MAX_SURVEY_ROWS:,}"), path=path
        )


def _limit_columns(count: int, path: Path) -> None:
    if count > MAX_SURVEY_COLUMNS:
        raise InputError(
            _("heeft meer dan {most} kolommen").format(most=f"{MAX_SURVEY_COLUMNS:,}"), path=path
        )


def _kind(values: Iterable[str]) -> ColumnKind:
    """A CSV column's kind: number or date when every filled cell reads as one."""
    filled = [v.strip() for v in values if v.strip()]
    if not filled:
        return "text"
    if all(_NUMBER.fullmatch(v.replace(" ", "")) for v in filled):
        return "number"
    if all(_DATE.fullmatch(v) for v in filled):
        return "date"
    return "text"


# -- CSV --------------------------------------------------------------------------------------
def _delimiter(text: str) -> str:
    """``;`` (Dutch Excel), ``,`` or a tab: the one the header line holds most of, outside
    quotes."""
    header = text.split("\n", 1)[0]
    header = re.sub(r'"[^"]*"', "", header)
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(
    data: bytes, path: Path, encoding: str | None
) -> tuple[list[SurveyColumn], list[list[str]]]:
    text, _encoding = decode_text(data, path, encoding)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
        header = next(reader, None)
        if header is None:
            raise InputError(_("het bestand is leeg"), path=path)
        _limit_columns(len(header), path)
        rows: list[list[str]] = []
        for row in reader:
            rows.append([cell.strip() for cell in row])
            _limit_rows(len(rows), path)
    except csv.Error as exc:
        raise InputError(
            _("kan niet als CSV gelezen worden ({error})").format(error=exc), path=path
        ) from exc
    names = [h.strip() for h in header]
    if names and names[0].startswith("\ufeff"):
        names[0] = names[0][1:]
    names, rows = _drop_blank_columns(names, rows)
    columns = [
        SurveyColumn(name, name, _kind(r[i] if i < len(r) else "" for r in rows))
        for i, name in enumerate(names)
    ]
    return columns, rows


def _drop_blank_columns(
    names: list[str], rows: list[list[str]]
) -> tuple[list[str], list[list[str]]]:
    """Columns with neither a name nor a value (Excel's trailing ``;;;``) are no column."""
    keep = [i for i, name in enumerate(names) if name or any(i < len(r) and r[i] for r in rows)]
    if len(keep) == len(names):
        return names, rows
    extra = range(len(names), max((len(r) for r in rows), default=0))
    return [names[i] for i in keep], [
        [r[i] if i < len(r) else "" for i in [*keep, *extra]] for r in rows
    ]


# -- Excel ------------------------------------------------------------------------------------
def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _float(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        return ""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"


def _excel_kind(values: Sequence[Any]) -> ColumnKind:
    filled = [v for v in values if v is not None and v != ""]
    if not filled:
        return "text"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in filled):
        return "number"
    if all(isinstance(v, date) for v in filled):  # datetime is a date
        return "date"
    return _kind(_cell(v) for v in filled)


def _read_xlsx(data: bytes, path: Path) -> tuple[list[SurveyColumn], list[list[str]]]:
    """The first sheet, read streaming; the zip's members are sized before anything unpacks
    (a workbook of a few kB can ask for gigabytes)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception as exc:  # BadZipFile, NotImplementedError (an odd zip version), ...
        raise InputError(_("is geen Excel-werkmap (.xlsx)"), path=path) from exc
    if unpacked > 4 * MAX_XML_BYTES:
        raise InputError(
            _("pakt uit tot {size} bytes, meer dan kwali leest ({most})").format(
                size=f"{unpacked:,}", most=f"{4 * MAX_XML_BYTES:,}"
            ),
            path=path,
        )
    from openpyxl import load_workbook  # with defusedxml installed, openpyxl parses safely

    raw: list[list[Any]] = []
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not book.worksheets:
                raise InputError(_("heeft geen werkbladen"), path=path)
            for row in book.worksheets[0].iter_rows(values_only=True):
                raw.append(list(row))
                _limit_rows(len(raw), path)
                _limit_columns(len(row), path)
        finally:
            book.close()
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise InputError(
            _("kan niet als Excel-werkmap gelezen worden ({error})").format(
                error=exc.__class__.__name__
            ),
            path=path,
        ) from exc
    if not raw:
        raise InputError(_("het eerste werkblad is leeg"), path=path)
    header = [_cell(v) for v in raw[0]]
    body = raw[1:]
    rows = [[_cell(v) for v in r] for r in body]
    names, rows = _drop_blank_columns(header, rows)
    index = {i for i, name in enumerate(header) if name or any(i < len(r) and r[i] for r in rows)}
    kinds = [_excel_kind([r[i] if i < len(r) else None for r in body]) for i in sorted(index)]
    return [SurveyColumn(n, n, k) for n, k in zip(names, kinds, strict=False)], rows


# -- SPSS -------------------------------------------------------------------------------------
SAV_SECONDS = 600  # a 64 MB .sav reads in well under a minute


def _read_sav(path: Path) -> tuple[list[SurveyColumn], list[list[str]]]:
    """The .sav is parsed in a child process: ReadStat (pyreadstat's C parser) can crash the
    whole process on a damaged or hostile file, and a crash must be one line, not kwali gone.
    The child answers in JSON (never pickle)."""
    import json
    import os
    import subprocess
    import sys

    try:
        done = subprocess.run(
            [sys.executable, "-m", "kwali.io.survey", str(path)],
            capture_output=True,
            timeout=SAV_SECONDS,
            check=False,
            env={**os.environ, ENV_VAR: language()},  # the child's message in our language
        )
    except subprocess.TimeoutExpired as exc:
        raise InputError(
            _("lezen als SPSS-bestand (.sav) duurde langer dan {seconds} s").format(
                seconds=SAV_SECONDS
            ),
            path=path,
        ) from exc
    except OSError as exc:
        raise _unreadable(exc, path) from exc
    if done.returncode < 0 or not done.stdout.strip():
        raise InputError(
            _(
                "is geen SPSS-bestand (.sav) dat kwali kan lezen (de SPSS-lezer liep erop vast: "
                "een beschadigd bestand?)"
            ),
            path=path,
        )
    try:
        found = json.loads(done.stdout)
        if "error" in found:
            raise InputError(str(found["error"]), path=path)
        columns = [
            SurveyColumn(c["name"], c["label"], c["kind"], dict(c["value_labels"]))
            for c in found["columns"]
        ]
        rows = [[str(cell) for cell in row] for row in found["rows"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(_("is geen SPSS-bestand (.sav) dat kwali kan lezen"), path=path) from exc
    return columns, rows


def _sav_in_child(path: Path) -> dict[str, object]:
    """What the child process prints: the columns and rows, or the error in one line."""
    try:
        columns, rows = _parse_sav(path)
    except InputError as exc:
        return {"error": exc.message}
    return {
        "columns": [
            {"name": c.name, "label": c.label, "kind": c.kind, "value_labels": c.value_labels}
            for c in columns
        ],
        "rows": rows,
    }


def _parse_sav(path: Path) -> tuple[list[SurveyColumn], list[list[str]]]:
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(str(path), user_missing=False)
    except Exception as exc:  # ReadstatError, PyreadstatError, and what a hostile file causes
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        raise InputError(
            _("is geen SPSS-bestand (.sav) dat kwali kan lezen ({reason})").format(reason=reason),
            path=path,
        ) from exc
    names = [str(n) for n in meta.column_names]
    _limit_columns(len(names), path)
    _limit_rows(len(frame), path)
    labels = meta.column_names_to_labels or {}
    value_labels = meta.variable_value_labels or {}
    types = meta.readstat_variable_types or {}
    formats = meta.original_variable_types or {}
    columns: list[SurveyColumn] = []
    data: list[list[str]] = []
    for name in names:
        values = frame[name].tolist()
        cells = [_sav_cell(v) for v in values]
        shown = {_sav_cell(k): str(v) for k, v in value_labels.get(name, {}).items()}
        if shown:
            kind: ColumnKind = "text"
        elif types.get(name) == "string":
            kind = "text"
        elif _is_date_format(formats.get(name) or "") or any(isinstance(v, date) for v in values):
            kind = "date"
        else:
            kind = "number"
        label = str(labels.get(name) or "").strip() or name
        columns.append(SurveyColumn(name, label, kind, shown))
        data.append(cells)
    rows = [list(r) for r in zip(*data, strict=True)] if data else []
    return columns, rows


def _is_date_format(spss_format: str) -> bool:
    return spss_format.upper().startswith(("DATE", "ADATE", "EDATE", "SDATE", "JDATE"))


def _sav_cell(value: Any) -> str:
    if value is None:
        return ""
    try:  # NaN, pandas' NaT: a missing value
        if value != value:
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, int | datetime | date):
        return _cell(value)
    return str(value).strip()


if __name__ == "__main__":  # the child process of _read_sav
    import json
    import sys

    print(json.dumps(_sav_in_child(Path(sys.argv[1]))))
