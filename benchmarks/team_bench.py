"""A team coding at once on one PostgreSQL project (issue 19): N client processes code the same
interviews for T seconds; afterwards every write a client was told of is looked for.

    .venv/bin/python benchmarks/team_bench.py [URL] [--clients 2 4] [--seconds 5] [--record]

URL is a libpq address of a server (default ``KWALI_TEST_POSTGRES``, as ``.ci/postgres start``
writes it); the bench makes a database of its own on it for each N and drops it afterwards.
Each client is a process of its own (this file, ``client``) with its own ``Project.open(url)``
and coder name; it codes whole sentences (where the clients meet: the same sentence and code
as another coder) and spans inside them, and logs each coding only after ``add_coding``
returned, with the time that call took. Per N it prints (``team_clients_N_...``):

    writes         codings acknowledged as new rows
    found, lost    of those, found in the database as acknowledged / not found (goal 0)
    duplicates     a coder's identical coding stored twice (goal 0)
    unacknowledged rows of the clients' no client was told of (goal 0)
    audit_missing  acknowledged writes without their own audited ``code`` action (goal 0)
    audit_extra    the clients' actions that are not one such action of one write (goal 0)
    shared         codings on a sentence and code another client coded too (both kept)
    edits          code definitions changed (a tenth of the actions edit one, from the code
                   as seen a moment before, as the codebook screen does)
    edit_conflicts edits refused because another client changed the code since it was seen
    edits_overwritten  saved edits made on a definition that was no longer current (goal 0)
    repeats        calls that returned the coder's own identical coding (no new row)
    writes_per_s   writes per second, all clients together
    write_ms_p50, write_ms_p95, write_ms_max   one ``add_coding`` call (a write), end to end

``--ui N`` adds the UI on PostgreSQL (the issue's keypress latency "against the local server
at 1,000 transcripts"): benchmarks/ui_bench.py's fully coded project of N transcripts (built
once and cached in ``--work``: ~3 min at N = 1,000, 0.5 GB) pushed into a fresh database (~1
min) and opened by anna and by bert coding blind: ``tui_open_pg_s``, ``tui_keypress_pg_ms``
(median of every key), ``tui_keypress_documents_pg_ms``, ``tui_keypress_coding_pg_ms``,
``tui_keypress_max_pg_ms`` (bert's end in ``_pg_blind``), the same on the file in the same run
(``_file``), and ``tui_pg_push_s``. ``--clients`` with no number runs the UI alone.

``--record`` merges them into benchmarks/latest.json (``--out``) under ``"team"``, with the
date, commit and load (the UI's own as ``tui_pg_date``, …); the rest of the file stays as it is,
and so do the earlier figures of the part not run now (the ``tui_`` ones or the others).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CLIENTS = (2, 4)
SECONDS = 5.0
DOCUMENTS, SENTENCES = 2, 30  # per project: small, so the clients meet often
CODES = ("dwang", "plezier", "brief")
EDITS = 0.1  # the share of a client's actions that edit a code's definition
URL_VARIABLE = "KWALI_TEAM_BENCH_URL"  # how a client is given the address: never in argv


# -- a client -------------------------------------------------------------------------------------
def client(coder: str, seed: int, seconds: float, log_path: str, go: str) -> None:
    """Code until ``seconds`` after the file ``go`` appears; one line per acknowledged call:
    ``new|again ID DOCUMENT START END CODE MS``."""
    from kwali.store import Project

    rng = random.Random(seed)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    project = Project.open(os.environ[URL_VARIABLE])
    sentences = [s for d in project.document_ids() for s in project.segments(d)]
    os.write(log, b"ready\n")
    while not os.path.exists(go):
        time.sleep(0.005)
    mine: set[int] = set()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        s = rng.choice(sentences)
        start, end = s.start, s.end
        if rng.random() < 0.5:  # a span inside the sentence: nearly always a new row
            start = rng.randrange(s.start, s.end)
            end = rng.randrange(start, s.end) + 1
        key = rng.choice(CODES)
        if rng.random() < EDITS:
            edit(project, coder, key, rng, log)
            continue
        began = time.perf_counter()
        coding = project.add_coding(s.document_id, start, end, key, coder)
        ms = (time.perf_counter() - began) * 1000
        kind = "again" if coding.id in mine else "new"
        mine.add(coding.id)
        line = f"{kind} {coding.id} {s.document_id} {start} {end} {key} {ms:.3f}\n"
        os.write(log, line.encode())
    project.close()
    os.write(log, b"done\n")


def edit(project: object, coder: str, key: str, rng: random.Random, log: int) -> None:
    """Change a code's definition as the codebook screen does: from the code as seen a moment
    ago (the editor typing), so that another client's edit in between is a conflict. Logs
    ``edit KEY SEEN NEW`` (saved) or ``conflict KEY``."""
    from kwali.errors import ProjectError

    looked = project.require_code(key)  # type: ignore[attr-defined]
    # KWALI_TEAM_BENCH_UNVERSIONED=1 edits without the version seen: a check of the check,
    # which then finds edits made over others'
    seen = None if os.environ.get("KWALI_TEAM_BENCH_UNVERSIONED") else looked
    time.sleep(rng.uniform(0, 0.01))
    wanted = f"{coder}-{secrets.token_hex(4)}"
    try:
        project.update_code(key, coder, seen=seen, definition=wanted)  # type: ignore[attr-defined]
    except ProjectError as exc:
        if exc.reason != "conflict":
            raise
        os.write(log, f"conflict {key}\n".encode())
        return
    os.write(log, f"edit {key} {_word(looked.definition)} {wanted}\n".encode())


def _word(text: str) -> str:
    """A definition as one word of a log line."""
    return text.replace(" ", "_") or "-"


# -- a database of its own ------------------------------------------------------------------------
def database_url(server: str, name: str) -> str:
    """The address of database ``name`` on the server ``server`` names (a URL or key=value)."""
    from urllib.parse import urlencode, urlsplit

    from psycopg.conninfo import conninfo_to_dict

    if server.startswith(("postgresql://", "postgres://")):
        return urlsplit(server)._replace(path=f"/{name}").geturl()
    params = {k: v for k, v in conninfo_to_dict(server).items() if k != "dbname"}
    return f"postgresql:///{name}?{urlencode(params)}"


def build(url: str) -> None:
    """DOCUMENTS interviews of SENTENCES hand-segmented sentences, the agreement codebook."""
    sys.path.insert(0, str(ROOT / "tests"))
    from kwali.store import Project

    from helpers import AGREEMENT_CODEBOOK, add_interview

    words = ("gemeente", "buurthuis", "brief", "korting", "klantmanager", "rug", "werk")
    with Project.create(url) as project:
        project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
        for number in range(1, DOCUMENTS + 1):
            sentences = [
                f"Zin {i} gaat over de {words[i % len(words)]} en de {words[(i * 3) % len(words)]}."
                for i in range(SENTENCES)
            ]
            add_interview(project, f"interview {number}", sentences)


# -- one run at N clients -------------------------------------------------------------------------
def lines(log: Path) -> list[list[str]]:
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    return [line.split() for line in text[: text.rfind("\n") + 1].splitlines()]


def run_clients(url: str, clients: int, seconds: float, folder: Path) -> dict[str, list]:
    """Start the clients, let them code together, and return each one's log lines."""
    go = folder / "go"
    coders = [f"coder{i}" for i in range(clients)]
    logs = {c: folder / f"{c}.log" for c in coders}
    env = dict(os.environ, PYTHONPATH=str(ROOT), **{URL_VARIABLE: url})
    command = [sys.executable, str(Path(__file__).resolve()), "client"]
    processes = {
        c: subprocess.Popen(
            [*command, c, str(100 + i), str(seconds), str(logs[c]), str(go)],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
        )
        for i, c in enumerate(coders)
    }
    try:
        deadline = time.monotonic() + 120
        while not all(["ready"] in lines(logs[c]) for c in coders):
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes.values()):
                raise SystemExit("a client did not start: " + failures(processes))
            time.sleep(0.02)
        go.touch()
        for process in processes.values():
            process.wait(timeout=seconds + 120)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    if any(p.returncode for p in processes.values()):
        raise SystemExit("a client failed: " + failures(processes))
    return {c: lines(logs[c]) for c in coders}


def failures(processes: dict[str, subprocess.Popen]) -> str:
    return "; ".join(
        f"{c}: {p.returncode} {p.stderr.read().decode()[-2000:] if p.stderr else ''}"
        for c, p in processes.items()
        if p.poll() is not None and p.returncode
    )


def check(url: str, logs: dict[str, list], seconds: float) -> dict[str, float | int]:
    """What the clients were told against what the database holds."""
    import psycopg

    new: dict[int, tuple] = {}  # coding id -> (coder, document, start, end, code)
    repeats = 0
    ms: list[float] = []
    for coder, words in logs.items():
        for kind, *fields in (w for w in words if len(w) == 7):
            i, document, start, end, key, took = fields
            if kind == "new":
                new[int(i)] = (coder, int(document), int(start), int(end), key)
                ms.append(float(took))
            else:
                repeats += 1
    with psycopg.connect(url, autocommit=True) as pg:
        stored = {
            i: (coder, document, start, end, key)
            for i, coder, document, start, end, key in pg.execute(
                'SELECT id, coder, document_id, start, "end", code_key FROM codings '
                "WHERE status = 'confirmed'"
            )
        }
        actions = pg.execute(
            "SELECT a.verb, array_agg(u.tbl), array_agg(u.row_key) FROM actions a "
            "LEFT JOIN audit u ON u.action_id = a.id WHERE a.coder = ANY(%s) GROUP BY a.id",
            (list(logs),),
        ).fetchall()
    # one ``code`` action per write, holding the one audit row of its coding
    audited = {
        int(json.loads(keys[0])[0])
        for verb, tables, keys in actions
        if verb == "code" and tables == ["codings"]
    }
    # every saved edit was made on the definition then current: in the order they were saved
    # (the audit's), each one's "seen" is the one saved before it (goal: none overwritten)
    saved = {
        (key, new_definition): seen
        for words in logs.values()
        for kind, key, seen, new_definition in (w for w in words if w[0] == "edit")
    }
    conflicts = sum(1 for words in logs.values() for w in words if w[0] == "conflict")
    overwritten = 0
    with psycopg.connect(url, autocommit=True) as pg:
        history = pg.execute(
            "SELECT u.row_key, u.after FROM audit u JOIN actions a ON a.id = u.action_id "
            "WHERE u.tbl = 'codes' AND a.verb = 'change_code' ORDER BY a.id"
        ).fetchall()
    last: dict[str, str] = {}
    for row_key, after in history:
        key, definition = json.loads(row_key)[0], json.loads(after)["definition"]
        seen = saved.get((key, definition))
        if key in last and seen != _word(last[key]):
            overwritten += 1
        last[key] = definition
    found = sum(1 for i, row in new.items() if stored.get(i) == row)
    rows = Counter(stored.values())
    coders: dict[tuple, set[str]] = {}
    for coder, *span in stored.values():
        coders.setdefault(tuple(span), set()).add(coder)
    return {
        "writes": len(new),
        "found": found,
        "lost": len(new) - found,
        "duplicates": sum(n - 1 for n in rows.values() if n > 1),
        "unacknowledged": len(set(stored) - set(new)),
        "audit_missing": len(set(new) - audited),
        "audit_extra": sum(1 for a in actions if a[0] == "code") - len(audited & set(new)),
        "shared": sum(len(c) - 1 for c in coders.values()),
        "edits": len(history),
        "edit_conflicts": conflicts,
        "edits_overwritten": overwritten,
        "repeats": repeats,
        "writes_per_s": round(len(new) / seconds, 1),
        "write_ms_p50": round(statistics.median(ms), 2) if ms else None,
        "write_ms_p95": round(statistics.quantiles(ms, n=20)[18], 2) if len(ms) > 1 else None,
        "write_ms_max": round(max(ms), 2) if ms else None,
    }


@contextmanager
def fresh_database(server: str, prefix: str = "kwali_bench_team") -> Iterator[str]:
    """The address of a new, empty database on ``server``, dropped afterwards."""
    import psycopg
    from psycopg import sql

    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                sql.Identifier(name)
            )
        )
    try:
        yield database_url(server, name)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def run(server: str, clients: int, seconds: float) -> dict[str, float | int]:
    """One run at ``clients`` clients in a fresh database, dropped afterwards."""
    with fresh_database(server) as url:
        build(url)
        with tempfile.TemporaryDirectory(prefix=f"kwali-bench-team-{clients}-") as folder:
            logs = run_clients(url, clients, seconds, Path(folder))
        return check(url, logs, seconds)


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT)
    return done.stdout.strip()


def head() -> dict[str, object]:
    """When, on which commit and under what load the figures were made."""
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": git("rev-parse", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--", "kwali")),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    if sys.argv[1:2] == ["client"]:
        coder, seed, seconds, log, go = sys.argv[2:]
        client(coder, int(seed), float(seconds), log, go)
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "url", nargs="?", default=os.environ.get("KWALI_TEST_POSTGRES", ""), help="the server"
    )
    parser.add_argument(
        "--clients", type=int, nargs="*", default=list(CLIENTS), help="none: the UI alone"
    )
    parser.add_argument("--seconds", type=float, default=SECONDS, help="each run codes this long")
    parser.add_argument(
        "--ui",
        type=int,
        default=0,
        metavar="N",
        help="also the UI on PostgreSQL at N fully coded transcripts (N = 1000: ~3 minutes, "
        "~6 with the build)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "kwali-bench-team-ui",
        help="with --ui: the folder the UI's project file is built in, kept for the next run",
    )
    parser.add_argument("--presses", type=int, default=20, help="with --ui: presses per key")
    parser.add_argument("--record", action="store_true", help='merge into --out under "team"')
    parser.add_argument("--out", type=Path, default=HERE / "latest.json")
    args = parser.parse_args()
    if not args.url:
        raise SystemExit("no server: give a postgresql:// address or set KWALI_TEST_POSTGRES")
    if not args.clients and not args.ui:
        raise SystemExit("nothing to run: give --clients N… or --ui N")
    figures: dict[str, object] = {}
    for clients in args.clients:
        started = time.perf_counter()
        for key, value in run(args.url, clients, args.seconds).items():
            figures[f"team_clients_{clients}_{key}"] = value
        print(f"  {clients} clients {time.perf_counter() - started:6.1f} s", file=sys.stderr)
    if args.clients:
        figures = {**head(), "seconds": args.seconds, "clients": args.clients, **figures}
    if args.ui:
        import ui_bench

        started = time.perf_counter()
        ui = ui_bench.run_postgres(args.work, args.ui, args.url, args.presses)
        figures.update({f"tui_pg_{key}": value for key, value in head().items()})
        figures.update(tui_pg_presses=args.presses, **ui)
        print(f"  UI at N={args.ui} {time.perf_counter() - started:6.1f} s", file=sys.stderr)
    print(json.dumps(figures, indent=2))
    if args.record:
        # read the record only now: it may have been rewritten while the clients ran
        data = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
        # the earlier figures of the part not run now stay: the UI's all begin with "tui_"
        kept = {
            key: value
            for key, value in data.get("team", {}).items()
            if (key.startswith("tui_") and not args.ui)
            or (not key.startswith("tui_") and not args.clients)
        }
        data["team"] = {**kept, **figures}
        args.out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote team into {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
