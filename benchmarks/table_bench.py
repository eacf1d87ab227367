"""Time the code tables at study scale (issue 14): on 1,000 transcripts × 10,000 words with
100,000 codings a table should answer in under a second.

Builds the same generated project as benchmarks/query_bench.py (100 codes under 10
categories, two attributes, three coders), then times, best of three each: code × document,
code × attribute, code × two attributes crossed, the same with --where and --coder, the
co-occurrence table (each with every row and column total, as shown), and listing one
cell's quotes. Reports ``table_s``: the slowest of them.

Run: .venv/bin/python benchmarks/table_bench.py [--documents 1000] [--words 10000]
     [--codings 100000] [--keep FILE.kwali]
The last line is the figures as JSON (as benchmarks/steps.py prints them).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from corpus import best_of
from query_bench import build

from kwali.analysis.table_quotes import cell_quotes
from kwali.analysis.tables import CodeTable, code_table, cooccurrence_table
from kwali.store import Project


def _with_totals(table: CodeTable) -> CodeTable:
    """What the CLI and the screen show besides the cells: every row's and column's total."""
    for row in table.rows:
        table.row_total(row.key)
    if not table.pairs:
        for column in table.columns:
            table.column_total(column)
        table.grand_total()
    return table


def measure(path: Path) -> dict[str, float]:
    """Seconds per table (best of three) and ``table_s``, the slowest."""
    figures: dict[str, float] = {}
    with Project.open(path, readonly=True) as project:
        cases = {
            "by_document": lambda: code_table(project, "document"),
            "by_attribute": lambda: code_table(project, "aanpak", count="documents"),
            "by_two": lambda: code_table(project, ("aanpak", "geslacht")),
            "filtered": lambda: code_table(
                project, "geslacht", where=(("aanpak", "Meedoen010"),), coders=("anna",)
            ),
            "cooccurrence": lambda: cooccurrence_table(project),
        }
        for name, make in cases.items():
            figures[f"{name}_s"] = best_of(3, lambda make=make: _with_totals(make()))
            table = make()
            print(
                f"{name:<14} {figures[f'{name}_s'] * 1000:8.1f} ms  "
                f"{len(table.rows)} rows × {len(table.columns)} columns, "
                f"{table.grand_total():,} {table.count}"
            )
        table = code_table(project, "aanpak")
        row, column = table.rows[1].key, table.columns[0]
        figures["cell_quotes_s"] = best_of(3, lambda: cell_quotes(project, table, row, column))
        n = len(cell_quotes(project, table, row, column))
        print(f"{'cell_quotes':<14} {figures['cell_quotes_s'] * 1000:8.1f} ms  {n} quotes")
    figures["table_s"] = max(figures.values())
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the project here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "tables.kwali"
        built = 0.0 if path.exists() else build(path, args.documents, args.words, args.codings)
        with Project.open(path, readonly=True) as project:
            counts = project.counts()
            n_codings = project.db.execute("SELECT COUNT(*) FROM codings").fetchone()[0]
        print(
            f"project: {counts['documents']} documents, {n_codings:,} codings "
            f"(built in {built:.1f} s)"
        )
        figures = measure(path)
    print(f"table_s {figures['table_s']:.3f} (slowest table; target: under 1 s)")
    print(json.dumps({k: round(v, 4) for k, v in figures.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
