"""Bring REFI-QDA Sets and Links into a project, as groups and links (part of an import).

A Set's sources become a document group, its codes a code group (a Set holding both gives
one of each, with the same name). A Link between two selections becomes a link between the
spans kwali placed them on. What cannot be resolved (a member naming nothing in the file, a
source whose text was not imported, a link to a code or a note) is left out and said in one
line per Set, and one line for the links; nothing is guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from kwali.app.exchange_plan import Plan, Skipped
from kwali.app.exchange_report import ExchangeReport
from kwali.i18n import _, ngettext
from kwali.io.qdc import QdcContents, read_qdc_contents
from kwali.io.refi_sets import RefiLink, RefiSet
from kwali.store import Project, Verb, content_hash
from kwali.store.groups import Group, GroupCounts, Link, Span


def summary(counts: GroupCounts, sets: int, links: int | None = None) -> str:
    """One line: what of the file's Sets (and Links) came in."""
    said = _(
        "Sets: {sets} gelezen, {groups} nieuwe groepen, {members} lidmaatschappen toegevoegd"
    ).format(sets=sets, groups=counts.groups, members=counts.members)
    if links is None:
        return said
    return (
        said
        + "; "
        + _("links: {links} gelezen, {added} toegevoegd").format(links=links, added=counts.links)
    )


def with_sets(report: ExchangeReport, project: Project, plan: Plan, coder: str) -> ExchangeReport:
    """Write the plan's Sets and Links (inside the import's action); the report gains a line
    saying what came in, and a warning for whatever was left out."""
    refi = plan.refi
    if not refi.sets and not refi.links:
        return report
    warnings: list[str] = []
    groups, links = _resolve(project, plan, warnings, stored=True)
    counts = project.import_groups(groups, links, coder, refi.path.name)
    said = summary(counts, len(refi.sets), len(refi.links))
    return replace(report, groups=said, warnings=(*report.warnings, *warnings))


def preview_sets(report: ExchangeReport, project: Project, plan: Plan) -> ExchangeReport:
    """``--dry-run``: what of the plan's Sets and Links would come in; nothing is written."""
    refi = plan.refi
    if not refi.sets and not refi.links:
        return report
    warnings: list[str] = []
    groups, links = _resolve(project, plan, warnings, stored=False)
    said = _(
        "Sets: {sets} gelezen, zou {groups} groepen geven met {members} lidmaatschappen; "
        "links: {links} gelezen, {placed} met beide uiteinden geplaatst"
    ).format(
        sets=len(refi.sets),
        groups=len(groups),
        members=sum(len(g.members) for g in groups),
        links=len(refi.links),
        placed=len(links),
    )
    return replace(report, groups=said, warnings=(*report.warnings, *warnings))


def _resolve(
    project: Project, plan: Plan, warnings: list[str], *, stored: bool
) -> tuple[list[Group], list[Link]]:
    """The plan's Sets and Links on the project's documents and codes; before the import
    (not ``stored``) a source stands for its document by its place in the plan."""
    refi = plan.refi
    documents: dict[str, int] = {}
    spans: dict[str, Span] = {}
    skipped: set[str] = set()
    for index, doc in enumerate(plan.docs):
        if isinstance(doc, Skipped):
            skipped.add(doc.source.guid)
            continue
        found = project.find_document_by_hash(content_hash(doc.transcript.text))
        if stored and found is None:  # not stored: nothing can point at it
            skipped.add(doc.source.guid)
            continue
        document_id = found.id if found is not None else -1 - index
        documents[doc.source.guid] = document_id
        spans[doc.source.guid] = (document_id, 0, len(doc.transcript.text))
        for placed in doc.placed.placed:
            if placed.start is not None and placed.end is not None:
                guid = doc.source.selections[placed.index].guid
                spans[guid] = (document_id, placed.start, placed.end)
    keys = plan.merge.keys if plan.merge is not None else {}  # file key -> project key
    codes = {g: keys.get(k, k) for g, k in refi.code_keys.items()}
    if stored:
        codes = {g: k for g, k in codes.items() if project.code(k) is not None}
    groups = resolve_sets(refi.sets, documents, codes, skipped, warnings, empty_kind="document")
    return groups, resolve_links(refi.links, spans, warnings)


def import_code_sets(
    project: Project, contents: QdcContents, keys: Mapping[str, str], coder: str, source: str
) -> tuple[str, tuple[str, ...]]:
    """A codebook file's code groups, after its codes were merged (``keys``: file key to
    project key); one IMPORT_CODEBOOK action of its own. Returns the line saying what came
    in (empty when the file has no Sets) and the warnings."""
    if not contents.sets:
        return "", ()
    codes = {g: keys.get(k, k) for g, k in contents.keys.items()}
    codes = {g: k for g, k in codes.items() if project.code(k) is not None}
    warnings: list[str] = []
    groups = resolve_sets(contents.sets, {}, codes, (), warnings, empty_kind="code")
    counts = project.import_groups(groups, (), coder, source, verb=Verb.IMPORT_CODEBOOK)
    return summary(counts, len(contents.sets)), tuple(warnings)


def resolve_sets(
    sets: Sequence[RefiSet],
    documents: Mapping[str, int],
    codes: Mapping[str, str],
    skipped: Iterable[str],
    warnings: list[str],
    *,
    empty_kind: str,
) -> list[Group]:
    """Groups for ``sets``; ``documents`` maps source GUIDs to document ids, ``codes`` code
    GUIDs to keys; ``skipped`` are sources whose text did not come in. An empty Set becomes
    a group of ``empty_kind`` (REFI-QDA does not say what it groups)."""
    skipped = set(skipped)
    groups: list[Group] = []
    for refi_set in sets:
        sources = [documents[g] for g in refi_set.sources if g in documents]
        keys = [codes[g] for g in refi_set.codes if g in codes]
        lost = Counter(
            "skipped" if g in skipped else "no_source"
            for g in refi_set.sources
            if g not in documents
        )
        lost.update("no_code" for g in refi_set.codes if g not in codes)
        if refi_set.notes:
            lost["notes"] += len(refi_set.notes)
        if lost:
            said = "; ".join(_lost_members(why, n) for why, n in sorted(lost.items()))
            warnings.append(
                _("set {name!r}: {said}: weggelaten").format(name=refi_set.name, said=said)
            )
        if sources or (not keys and not refi_set.codes and empty_kind == "document"):
            groups.append(Group("document", refi_set.name, refi_set.description, tuple(sources)))
        if keys or (not sources and not refi_set.sources and empty_kind == "code"):
            groups.append(Group("code", refi_set.name, refi_set.description, tuple(keys)))
    return groups


def _lost_members(why: str, n: int) -> str:
    """``3 leden die geen bron noemen``: members of a Set that did not come in, and why."""
    if why == "skipped":
        return ngettext(
            "{n} lid uit een niet geïmporteerde bron",
            "{n} leden uit niet geïmporteerde bronnen",
            n,
        ).format(n=n)
    if why == "no_source":
        return ngettext("{n} lid dat geen bron noemt", "{n} leden die geen bron noemen", n).format(
            n=n
        )
    if why == "no_code":
        return ngettext("{n} lid dat geen code noemt", "{n} leden die geen code noemen", n).format(
            n=n
        )
    return ngettext(
        "{n} lid dat een notitie is (kwali groepeert documenten en codes)",
        "{n} leden die notities zijn (kwali groepeert documenten en codes)",
        n,
    ).format(n=n)


def resolve_links(
    links: Sequence[RefiLink], spans: Mapping[str, Span], warnings: list[str]
) -> list[Link]:
    """Links whose both ends are a selection (or a source) kwali placed."""
    found: list[Link] = []
    lost = notes = 0
    for link in links:
        origin, target = spans.get(link.origin), spans.get(link.target)
        if origin is None or target is None:
            lost += 1
            continue
        notes += bool(link.notes)
        found.append(Link(origin, target, link.name, link.direction, link.colour))
    if lost:
        warnings.append(
            ngettext(
                "{n} link weggelaten: een uiteinde is geen selectie of bron die kwali "
                "importeerde (kwali verbindt citaten)",
                "{n} links weggelaten: een uiteinde is geen selectie of bron die kwali "
                "importeerde (kwali verbindt citaten)",
                lost,
            ).format(n=lost)
        )
    if notes:
        warnings.append(
            ngettext(
                "de notities van {n} link zijn weggelaten",
                "de notities van {n} links zijn weggelaten",
                notes,
            ).format(n=notes)
        )
    return found


def import_file_code_groups(
    project: Project, path: Path, keys: Mapping[str, str], coder: str
) -> tuple[str, ...]:
    """The code groups of a REFI-QDA codebook file (``kwali codebook import``), after its
    codes were merged; a YAML codebook has none. Returns the lines to print."""
    if Path(path).suffix.lower() not in (".qdc", ".qdpx", ".qde"):
        return ()
    said, warnings = import_code_sets(
        project, read_qdc_contents(path), keys, coder, Path(path).name
    )
    if not said:
        return ()
    return (said, *(_("kwali: waarschuwing: {warning}").format(warning=w) for w in warnings))
