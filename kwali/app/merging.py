"""Merge two copies of a project that coders coded blind: ``kwali merge A.kwali B.kwali -o M.kwali``.

Documents are matched by content hash (the stored text), never by name: a document both
copies hold is one document in the result, with both copies' codings. Everything is read
and checked before the new file is made, and the new file is written in one transaction;
on any refusal or error nothing is left behind.

Refused, with one line naming both files:

* a document with the same name but a different text in the two copies;
* a coder name in both copies with different codings (rename one with ``rename_coders``,
  which maps coder names of the *second* project to new names);
* a copy with codings or memos that wait to be placed after a replaced transcript (they are
  placed first, with ``kwali documents review`` and ``place``, so none is left behind).

A coding moved by a replace and not checked yet keeps its flag in the merged project.

Suggestions and their reviews are not copied: run ``kwali suggest`` on the merged file.
Document groups, code groups and links of both copies are (:mod:`kwali.app.merging_groups`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from kwali.app.merging_groups import carry_groups
from kwali.errors import ProjectError
from kwali.i18n import _, ngettext
from kwali.model import Code, Codebook, Coding, Document, Memo, Segment, Transcript, Turn
from kwali.store import Project, Verb
from kwali.store.groups import Group, Link

_CODE_FIELDS = ("label", "parent", "kind", "definition", "include", "exclude")


@dataclass(frozen=True)
class MergeReport:
    path: Path
    documents: int
    documents_in_both: int
    codes: int
    codings: int
    memos: int
    coders: tuple[str, ...]
    warnings: tuple[str, ...] = ()


@dataclass
class _Copy:
    """Everything read from one project, with coder names already renamed."""

    path: Path
    documents: list[tuple[Document, list[Turn], list[Segment]]]
    codebook: Codebook
    codings: list[Coding]
    memos: list[Memo]
    moved: dict[int, str]  # coding id -> its text before a replace, until a coder checks it
    waiting: int  # codings and memos not placed after a replace
    groups: list[Group] = field(default_factory=list)  # document and code groups
    links: list[Link] = field(default_factory=list)

    def sha(self, document_id: int) -> str:
        return next(d.sha256 for d, _turns, _segments in self.documents if d.id == document_id)


def _read(path: Path, rename: Mapping[str, str]) -> _Copy:
    with Project.open(path, readonly=True) as project:
        documents = []
        for summary in project.document_summaries():
            document = project.require_document(summary.id)
            documents.append(
                (document, project.turns(document.id), project.segments(document.id, kind=None))
            )
        codings = [replace(c, coder=rename.get(c.coder, c.coder)) for c in project.codings()]
        memos = [replace(m, coder=rename.get(m.coder, m.coder)) for m in project.memos()]
        moved = {coding.id: text for coding, text in project.moved_codings()}
        waiting = len(project.unplaced())
        return _Copy(
            path,
            documents,
            project.codebook(),
            codings,
            memos,
            moved,
            waiting,
            project.groups(),
            project.links(),
        )


def _layer(copy: _Copy, coder: str) -> set[tuple]:
    shas = {d.id: d.sha256 for d, _turns, _segments in copy.documents}
    return {
        (shas[c.document_id], c.start, c.end, c.code_key) for c in copy.codings if c.coder == coder
    }


def _check(a: _Copy, b: _Copy) -> None:
    for copy in (a, b):
        if copy.waiting:
            raise ProjectError(
                ngettext(
                    "kan {a} en {b} niet samenvoegen: {n} codering of memo in {copy} wacht "
                    "op een plaats na een vervangen transcript (zie kwali documents review "
                    "-p {copy}; plaats ze eerst)",
                    "kan {a} en {b} niet samenvoegen: {n} coderingen of memo's in {copy} wachten "
                    "op een plaats na een vervangen transcript (zie kwali documents review "
                    "-p {copy}; plaats ze eerst)",
                    copy.waiting,
                ).format(a=a.path.name, b=b.path.name, n=copy.waiting, copy=copy.path.name)
            )
    names_a = {d.name: d.sha256 for d, _turns, _segments in a.documents}
    for document, _turns, _segments in b.documents:
        if names_a.get(document.name, document.sha256) != document.sha256:
            raise ProjectError(
                _(
                    "kan {a} en {b} niet samenvoegen: document {name!r} heeft in elk een andere "
                    "tekst (alleen kopieën van dezelfde transcripten zijn samen te voegen)"
                ).format(a=a.path.name, b=b.path.name, name=document.name)
            )
    for coder in sorted({c.coder for c in a.codings} & {c.coder for c in b.codings}):
        if _layer(a, coder) != _layer(b, coder):
            raise ProjectError(
                _(
                    "kan {a} en {b} niet samenvoegen: coder {coder!r} heeft in elk andere "
                    "coderingen (hernoem er een: --rename-coders {coder}={coder}2)"
                ).format(a=a.path.name, b=b.path.name, coder=coder)
            )


def _codebook(a: Codebook, b: Codebook) -> tuple[Codebook, list[str]]:
    codes: list[Code] = list(a.codes)
    known = {c.key: c for c in a.codes}
    warnings = []
    for code in b.codes:
        mine = known.get(code.key)
        if mine is None:
            codes.append(code)
            known[code.key] = code
        elif any(getattr(mine, f) != getattr(code, f) for f in _CODE_FIELDS):
            warnings.append(
                _(
                    "code {key!r} verschilt tussen de projecten; die van het eerste is gehouden"
                ).format(key=code.key)
            )
    return Codebook(
        a.name or b.name, tuple(codes), a.version or b.version, a.description or b.description
    ), warnings


def _write(out: Project, a: _Copy, b: _Copy, codebook: Codebook) -> tuple[int, int, int, list[str]]:
    warnings: list[str] = []
    out.set_codebook(codebook, "kwali")
    new_ids: dict[str, int] = {}  # sha → document id in the merged project
    documents = shared = 0
    for copy in (a, b):
        for document, turns, segments in copy.documents:
            if document.sha256 in new_ids:
                shared += 1
                target = out.require_document(new_ids[document.sha256])
                for key, value in document.attributes.items():
                    if key not in target.attributes:
                        out.set_attribute(target.id, key, value)
                    elif target.attributes[key] != value:
                        warnings.append(
                            _("document {name!r}: {key} verschilt; {kept!r} is gehouden").format(
                                name=document.name, key=key, kept=target.attributes[key]
                            )
                        )
                continue
            transcript = Transcript(
                document.text,
                tuple(turns),
                document.source_name,
                document.format,
                document.encoding,
                document.removed_cr,
            )
            stored, _unused = out.add_document(
                transcript,
                lambda doc_id, uid, segs=segments: [replace(s, document_id=doc_id) for s in segs],
                name=document.name,
                attributes=dict(document.attributes),
            )
            new_ids[document.sha256] = stored.id
            documents += 1
    memos = 0
    seen_memos: set[tuple[str, str, str, str]] = set()
    for copy in (a, b):
        coding_ids: dict[int, int] = {}
        for coding in copy.codings:
            if coding.status != "confirmed":
                continue
            made = out.add_coding(
                new_ids[copy.sha(coding.document_id)],
                coding.start,
                coding.end,
                coding.code_key,
                coding.coder,
                memo=coding.memo,
                origin=coding.origin,
                created=coding.created,
            )
            coding_ids[coding.id] = made.id
            if coding.id in copy.moved:
                out.flag_moved(made.id, copy.moved[coding.id])
        for memo in copy.memos:
            target_id = memo.target_id
            if memo.target_kind == "document":
                target_id = str(new_ids[copy.sha(int(target_id))])
            elif memo.target_kind == "coding":
                if int(target_id) not in coding_ids:
                    continue
                target_id = str(coding_ids[int(target_id)])
            same = (memo.target_kind, target_id, memo.coder, memo.text)
            if same not in seen_memos:
                seen_memos.add(same)
                out.add_memo(
                    memo.target_kind, target_id, memo.text, memo.coder, created=memo.created
                )
                memos += 1
    return documents, shared, memos, warnings


def merge_projects(
    a_path: str | Path,
    b_path: str | Path,
    out_path: str | Path,
    *,
    rename_coders: Mapping[str, str] | None = None,
) -> MergeReport:
    """Combine two project copies into a new ``out_path`` (mode 0600); see the module doc."""
    a_path, b_path, out_path = Path(a_path), Path(b_path), Path(out_path)
    if out_path.exists():
        raise ProjectError(
            _("bestaat al"),
            path=out_path,
            hint=_("kies een andere naam voor het samengevoegde project"),
        )
    a = _read(a_path, {})
    b = _read(b_path, dict(rename_coders or {}))
    _check(a, b)
    codebook, warnings = _codebook(a.codebook, b.codebook)
    out = Project.create(out_path)
    try:
        with out.action("kwali", Verb.MERGE_PROJECTS, a_path.name, b_path.name, undoable=False):
            documents, shared, memos, more = _write(out, a, b, codebook)
            carry_groups(out, [(c.groups, c.links, c.sha) for c in (a, b)])
        codings = len(out.codings())
    except BaseException:
        out.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{out_path}{suffix}").unlink(missing_ok=True)
        raise
    coders = tuple(out.coders())
    out.close()
    return MergeReport(
        out_path,
        documents,
        shared,
        len(codebook.codes),
        codings,
        memos,
        coders,
        tuple(warnings + more),
    )
