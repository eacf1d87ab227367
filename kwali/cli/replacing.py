"""Replace a transcript by a corrected version, and check what moved: ``kwali documents
replace|review|place``. The rules live in kwali.app.replacing and the store."""

from __future__ import annotations

from pathlib import Path

import click

from kwali.cli.documents import coder_option, documents
from kwali.cli.options import project_option
from kwali.cli.project import visible
from kwali.errors import InputError
from kwali.model import Segment
from kwali.store import Project

COMMANDS: list = []  # the commands join the documents group
LINE = 79
"""Lines listing codings fit a terminal 80 columns wide."""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@documents.command()
@project_option
@click.argument("document")
@click.argument("new_file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would happen; change nothing.")
@click.option(
    "--encoding", help="Text encoding of a .txt file, when kwali cannot tell (e.g. cp1252)."
)
@click.option("--model", help="A trained spaCy pipeline to segment with (e.g. nl_core_news_sm).")
@coder_option
def replace(
    project_path: Path,
    document: str,
    new_file: Path,
    dry_run: bool,
    encoding: str | None,
    model: str | None,
    coder: str,
) -> None:
    """Replace the text of DOCUMENT (its number or name) by NEW_FILE, a corrected version,
    keeping every coding, memo and review.

    Codings whose text is unchanged stay as they are; those whose text changed move to where
    it went and are flagged; those whose text is gone wait, not placed, until you place them
    (kwali documents review lists both). One action: undo reverses it completely.

    Example: kwali documents replace -p studie.kwali 3 interview3-gecorrigeerd.docx --dry-run
    """
    from kwali.app.replace_review import around_change, shorten
    from kwali.app.replacing import replace_document

    with Project.open(project_path, readonly=dry_run) as project:
        report = replace_document(
            project,
            document,
            new_file,
            coder=coder,
            dry_run=dry_run,
            encoding=encoding,
            model=model,
        )
        labels = project.codebook().labels()
    doc = report.document
    for warning in report.warnings:
        click.echo(visible(f"{new_file}: {warning}"), err=True)
    if dry_run:
        click.echo("Dry run: nothing changed.")
    done = "would be replaced" if dry_run else "replaced"
    click.echo(visible(f"Document {doc.number}: {doc.name}: text {done} by {new_file.name}."))
    for kind, title in (("coding", "Codings"), ("memo", "Sentence memos")):
        exact, moved, gone = (report.count(kind, p) for p in ("exact", "moved", "gone"))
        if exact + moved + gone or kind == "coding":
            click.echo(
                f"{title}: {exact} carried over exactly, {moved} moved and flagged, "
                f"{gone} not placed."
            )
    exact, moved, gone = (report.count("link", p) for p in ("exact", "moved", "gone"))
    if exact + moved + gone:
        click.echo(
            f"Links: {exact + moved} follow their quotations, {gone} removed "
            "(the text of an end is gone; undo brings them back)."
        )
    click.echo(
        f"Sentences: {report.sentences_before} before, {report.sentences_after} now, "
        f"{report.sentences_kept} unchanged (same id)."
    )
    if report.reviews_kept or report.reviews_dropped:
        click.echo(
            f"Suggestion reviews: {report.reviews_kept} kept, "
            f"{report.reviews_dropped} dropped (their sentence is gone)."
        )
    for item in report.listed():
        if item.kind == "link" and item.placement == "moved":
            continue  # a link has no flag to check: it follows its ends
        what = "moved" if item.placement == "moved" else "not placed"
        if item.kind == "link":
            what = "removed"
        name = labels.get(item.code_key, item.code_key) if item.kind == "coding" else item.kind
        if item.kind == "link":
            name = f"link {item.code_key}"
        head = f"  {what:<10} {item.reference:<7} {name} ({item.coder}): "
        width = max(24, LINE - len(head) - 2)  # the quotes
        text = (
            around_change(item.old_text, item.new_text, width)[0]
            if item.placement == "moved"
            else shorten(item.old_text, width)
        )
        click.echo(visible(f"{head}\u201c{text}\u201d"))
    if report.listed() and not dry_run:
        click.echo(f"Check them with: kwali documents review -p {project_path} {doc.number}")


@documents.command()
@project_option
@click.argument("document", required=False)
def review(project_path: Path, document: str | None) -> None:
    """List what a replace left to check: moved codings and memos (c12, m4) and what is not
    placed (u3), of DOCUMENT or of all documents.

    Example: kwali documents review -p studie.kwali 3
    """
    from kwali.app.replace_review import around_change, review_items, shorten

    with Project.open(project_path, readonly=True) as project:
        doc_id = project.find_document(document).id if document else None
        items = review_items(project, doc_id)
    for it in items:
        head = f"{it.item:<6} {it.state:<10}  {it.reference:<9}  {it.what} ({it.coder})"
        if it.state == "moved":
            old, new = around_change(it.old_text, it.new_text)
            click.echo(visible(f"{head}  was \u201c{old}\u201d, now \u201c{new}\u201d"))
        else:
            click.echo(visible(f"{head}  \u201c{shorten(it.old_text)}\u201d"))
    click.echo(
        f"{_plural(len(items), 'item')} to check."
        + (" Settle one with: kwali documents place -p P ITEM [--sentence T.S]" if items else "")
    )


@documents.command()
@project_option
@click.argument("item")
@click.option(
    "--sentence",
    metavar="TURN.SENTENCE",
    help="Put it on this sentence of its document (e.g. 12.3); without it, a moved coding "
    "or memo stays where it is and its flag goes.",
)
@coder_option
def place(project_path: Path, item: str, sentence: str | None, coder: str) -> None:
    """Settle ITEM from kwali documents review: c12 or m4 (moved: confirm its place, or move
    it with --sentence) or u3 (not placed: place it with --sentence). Undoable.

    Example: kwali documents place -p studie.kwali u3 --sentence 12.3
    """
    kind, number = item[:1].lower(), item[1:]
    if kind not in ("c", "m", "u") or not number.isdigit():
        raise InputError(f"{item!r} is not an item of kwali documents review (c12, m4, u3)")
    with Project.open(project_path) as project:
        if kind == "u":
            waiting = next((w for w in project.unplaced() if w.id == int(number)), None)
            if waiting is None:
                raise InputError(f"nothing waits to be placed as {item}", path=project_path)
            if not sentence:
                raise InputError(f"{item} is not placed: say where with --sentence TURN.SENTENCE")
            target = _sentence(project, waiting.document_id, sentence)
            project.place_unplaced(
                waiting.id, coder, span=(target.start, target.end), segment_id=target.id
            )
            click.echo(visible(f"Placed {item} on {target.reference(_number(project, target))}."))
            return
        what = "coding" if kind == "c" else "memo"
        if sentence and kind == "c":
            coding = project.require_coding(int(number))
            target = _sentence(project, coding.document_id, sentence)
            project.move_coding(coding.id, target.start, target.end, coder)
            click.echo(visible(f"Moved {item} to {target.reference(_number(project, target))}."))
            return
        if sentence:
            raise InputError("a moved memo is confirmed where it is (no --sentence)")
        project.confirm_moved(what, int(number), coder)
        click.echo(f"The new place of {item} is confirmed.")


def _number(project: Project, segment: Segment) -> int:
    return project.require_document(segment.document_id).number


def _sentence(project: Project, document_id: int, ref: str) -> Segment:
    """The sentence TURN.SENTENCE (or N:TURN.SENTENCE) of a document; one line if none."""
    turn, _, number = ref.rpartition(":")[2].partition(".")
    for segment in project.segments(document_id):
        if f"{segment.turn_number}" == turn and f"{segment.sentence_number}" == number:
            return segment
    raise InputError(f"document has no sentence {ref!r} (give TURN.SENTENCE, e.g. 12.3)")
