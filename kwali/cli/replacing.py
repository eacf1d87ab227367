"""Replace a transcript by a corrected version, and check what moved: ``kwali documents
replace|review|place``. The rules live in kwali.app.replacing and the store."""

from __future__ import annotations

from pathlib import Path

import click

from kwali.cli.documents import coder_option, documents
from kwali.cli.options import described, project_option
from kwali.cli.project import visible
from kwali.errors import InputError
from kwali.i18n import _, ngettext
from kwali.model import Segment
from kwali.store import Project

COMMANDS: list = []  # the commands join the documents group
LINE = 79
"""Lines listing codings fit a terminal 80 columns wide."""


@documents.command(
    help=described(
        _(
            "Vervang de tekst van DOCUMENT (het nummer of de naam) door NIEUW_BESTAND, een "
            "verbeterde versie, met behoud van elke codering, memo en beoordeling.\n\n"
            "Coderingen waarvan de tekst niet veranderde, blijven zoals ze zijn; die waarvan de "
            "tekst veranderde, gaan mee naar waar die tekst nu staat en krijgen een vlag; die "
            "waarvan de tekst weg is, wachten, niet geplaatst, tot u ze plaatst (kwali documents "
            "review toont beide). Eén actie: ongedaan maken draait alles terug."
        ),
        "kwali documents replace -p studie.kwali 3 interview3-gecorrigeerd.docx --dry-run",
    )
)
@project_option
@click.argument("document", metavar=_("DOCUMENT"))
@click.argument("new_file", metavar=_("NIEUW_BESTAND"), type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help=_("Toon wat er zou gebeuren; verander niets."))
@click.option(
    "--encoding",
    help=_("Tekencodering van een .txt-bestand, als kwali die niet kan bepalen (bijv. cp1252)."),
)
@click.option(
    "--model",
    help=_("Een getrainde spaCy-pipeline om mee in zinnen te delen (bijv. nl_core_news_sm)."),
)
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
        click.echo(_("Proefdraai: er is niets veranderd."))
        done = _("Document {number}: {name}: de tekst zou vervangen worden door {file}.")
    else:
        done = _("Document {number}: {name}: de tekst is vervangen door {file}.")
    click.echo(visible(done.format(number=doc.number, name=doc.name, file=new_file.name)))
    for kind in ("coding", "memo"):
        exact, moved, gone = (report.count(kind, p) for p in ("exact", "moved", "gone"))
        if exact + moved + gone or kind == "coding":
            line = (
                _(
                    "Coderingen: {exact} precies overgenomen, {moved} verplaatst met een vlag, "
                    "{gone} niet geplaatst."
                )
                if kind == "coding"
                else _(
                    "Memo's bij zinnen: {exact} precies overgenomen, {moved} verplaatst met "
                    "een vlag, {gone} niet geplaatst."
                )
            )
            click.echo(line.format(exact=exact, moved=moved, gone=gone))
    exact, moved, gone = (report.count("link", p) for p in ("exact", "moved", "gone"))
    if exact + moved + gone:
        click.echo(
            _(
                "Koppelingen: {kept} volgen hun citaten, {gone} verwijderd (de tekst van een "
                "uiteinde is weg; ongedaan maken brengt ze terug)."
            ).format(kept=exact + moved, gone=gone)
        )
    click.echo(
        _("Zinnen: {before} eerst, {after} nu, {kept} onveranderd (zelfde id).").format(
            before=report.sentences_before,
            after=report.sentences_after,
            kept=report.sentences_kept,
        )
    )
    if report.reviews_kept or report.reviews_dropped:
        click.echo(
            _(
                "Beoordelingen van suggesties: {kept} bewaard, {dropped} vervallen (hun zin "
                "is weg)."
            ).format(kept=report.reviews_kept, dropped=report.reviews_dropped)
        )
    for item in report.listed():
        if item.kind == "link" and item.placement == "moved":
            continue  # a link has no flag to check: it follows its ends
        what = _("verplaatst") if item.placement == "moved" else _("niet geplaatst")
        if item.kind == "link":
            what = _("verwijderd")
        name = labels.get(item.code_key, item.code_key) if item.kind == "coding" else _("memo")
        if item.kind == "link":
            name = _("koppeling {name}").format(name=item.code_key)
        head = f"  {what:<14} {item.reference:<7} {name} ({item.coder}): "
        width = max(24, LINE - len(head) - 2)  # the quotes
        text = (
            around_change(item.old_text, item.new_text, width)[0]
            if item.placement == "moved"
            else shorten(item.old_text, width)
        )
        click.echo(visible(f"{head}\u201c{text}\u201d"))
    if report.listed() and not dry_run:
        click.echo(
            _("Controleer ze met: kwali documents review -p {project} {number}").format(
                project=project_path, number=doc.number
            )
        )


@documents.command(
    help=described(
        _(
            "Toon wat een vervanging te controleren liet: verplaatste coderingen en memo's "
            "(c12, m4) en wat niet geplaatst is (u3), van DOCUMENT of van alle documenten."
        ),
        "kwali documents review -p studie.kwali 3",
    )
)
@project_option
@click.argument("document", metavar=_("[DOCUMENT]"), required=False)
def review(project_path: Path, document: str | None) -> None:
    from kwali.app.replace_review import around_change, review_items, shorten

    with Project.open(project_path, readonly=True) as project:
        doc_id = project.find_document(document).id if document else None
        items = review_items(project, doc_id)
    for it in items:
        moved = not it.item.startswith("u")  # c12, m4: moved; u3: not placed
        state = _("verplaatst") if moved else _("niet geplaatst")
        head = f"{it.item:<6} {state:<14}  {it.reference:<9}  {it.what} ({it.coder})"
        if moved:
            old, new = around_change(it.old_text, it.new_text)
            was = _("was \u201c{old}\u201d, nu \u201c{new}\u201d").format(old=old, new=new)
            click.echo(visible(f"{head}  {was}"))
        else:
            click.echo(visible(f"{head}  \u201c{shorten(it.old_text)}\u201d"))
    count = ngettext("{n} item te controleren.", "{n} items te controleren.", len(items))
    click.echo(
        count.format(n=len(items))
        + (
            " " + _("Handel er een af met: kwali documents place -p P ITEM [--sentence B.Z]")
            if items
            else ""
        )
    )


@documents.command(
    help=described(
        _(
            "Handel ITEM uit kwali documents review af: c12 of m4 (verplaatst: bevestig de "
            "plaats, of verplaats het met --sentence) of u3 (niet geplaatst: plaats het met "
            "--sentence). Ongedaan te maken."
        ),
        "kwali documents place -p studie.kwali u3 --sentence 12.3",
    )
)
@project_option
@click.argument("item", metavar=_("ITEM"))
@click.option(
    "--sentence",
    metavar=_("BEURT.ZIN"),
    help=_(
        "Zet het op deze zin van zijn document (bijv. 12.3); zonder deze optie blijft een "
        "verplaatste codering of memo waar hij is en verdwijnt de vlag."
    ),
)
@coder_option
def place(project_path: Path, item: str, sentence: str | None, coder: str) -> None:
    kind, number = item[:1].lower(), item[1:]
    if kind not in ("c", "m", "u") or not number.isdigit():
        raise InputError(
            _("{item} is geen item van kwali documents review (c12, m4, u3)").format(
                item=repr(item)
            )
        )
    with Project.open(project_path) as project:
        if kind == "u":
            waiting = next((w for w in project.unplaced() if w.id == int(number)), None)
            if waiting is None:
                raise InputError(
                    _("er wacht niets om geplaatst te worden als {item}").format(item=item),
                    path=project_path,
                )
            if not sentence:
                raise InputError(
                    _("{item} is niet geplaatst: zeg waar met --sentence BEURT.ZIN").format(
                        item=item
                    )
                )
            target = _sentence(project, waiting.document_id, sentence)
            project.place_unplaced(
                waiting.id, coder, span=(target.start, target.end), segment_id=target.id
            )
            where = target.reference(_number(project, target))
            click.echo(visible(_("{item} geplaatst op {where}.").format(item=item, where=where)))
            return
        what = "coding" if kind == "c" else "memo"
        if sentence and kind == "c":
            coding = project.require_coding(int(number))
            target = _sentence(project, coding.document_id, sentence)
            project.move_coding(coding.id, target.start, target.end, coder)
            where = target.reference(_number(project, target))
            click.echo(visible(_("{item} verplaatst naar {where}.").format(item=item, where=where)))
            return
        if sentence:
            raise InputError(
                _("een verplaatste memo wordt bevestigd waar hij is (geen --sentence)")
            )
        project.confirm_moved(what, int(number), coder)
        click.echo(_("De nieuwe plaats van {item} is bevestigd.").format(item=item))


def _number(project: Project, segment: Segment) -> int:
    return project.require_document(segment.document_id).number


def _sentence(project: Project, document_id: int, ref: str) -> Segment:
    """The sentence TURN.SENTENCE (or N:TURN.SENTENCE) of a document; one line if none."""
    turn, _dot, number = ref.rpartition(":")[2].partition(".")
    for segment in project.segments(document_id):
        if f"{segment.turn_number}" == turn and f"{segment.sentence_number}" == number:
            return segment
    raise InputError(
        _("het document heeft geen zin {ref} (geef BEURT.ZIN, bijv. 12.3)").format(ref=repr(ref))
    )
