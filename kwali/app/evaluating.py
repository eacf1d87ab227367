"""Measure the suggester against a coder's own confirmed codings in a project.

The labelled texts are what the coder read (:func:`kwali.app.suggesting.document_examples`):
respondent sentences with the codes the coder confirmed on them, and those read and left
uncoded. The rules need no training, so they are scored on all of them; the learned part is
cross-validated by document, so no sentence is scored by a model that saw its interview.
The same texts are what ``kwali export gold`` writes for sharing.
"""

from __future__ import annotations

from collections.abc import Iterable

from kwali.app.suggesting import document_examples, rules_suggester
from kwali.errors import InputError, ProjectError
from kwali.i18n import _
from kwali.model import MIN_CODINGS
from kwali.store import Project
from kwali.tagging.evaluate import Evaluation, cross_validate, evaluate
from kwali.tagging.gold import GoldItem


def project_gold(
    project: Project, coders: Iterable[str] | None = None
) -> list[tuple[int, GoldItem]]:
    """(document id, labelled text) for every sentence the coders read, in document order.

    ``coders`` none: everyone's codings, pooled per sentence. A coder without confirmed
    codings is one line naming them.
    """
    chosen = list(coders) if coders is not None else None
    known = set(project.coder_counts())
    missing = sorted(set(chosen or ()) - known)
    if missing or not known:
        raise ProjectError(
            _("heeft geen bevestigde coderingen van {coders}").format(
                coders=", ".join(missing) or _("wie dan ook")
            ),
            path=project.location,
            hint=_("codeurs met coderingen: {coders}").format(coders=", ".join(sorted(known)))
            if known
            else "",
        )
    return [
        (document, GoldItem(example.text, tuple(sorted(example.codes)), number))
        for number, (document, example) in enumerate(document_examples(project, chosen), start=1)
    ]


def evaluate_project(
    project: Project,
    coder: str,
    *,
    folds: int | None = None,
    model: str | None = None,
    k: int = 3,
    threshold: float = 0.5,
    min_codings: int = MIN_CODINGS,
) -> Evaluation:
    """Score the suggester against ``coder``'s confirmed codings: the rules alone, or with
    ``folds`` the rules plus a model learned from the other folds' documents (a code learned
    once it has ``min_codings`` codings there, as ``kwali suggest --learn`` does)."""
    labelled = project_gold(project, [coder])
    items = [item for _document, item in labelled]
    suggester = rules_suggester(
        project, model, hint=_("laad een codeboek met kwali codebook import")
    )
    codebook = suggester.codebook
    if folds is None:
        return evaluate(items, codebook, suggester, k=k, threshold=threshold)
    try:
        return cross_validate(
            items,
            codebook,
            suggester,
            folds=folds,
            k=k,
            threshold=threshold,
            groups=[document for document, _item in labelled],
            min_codings=min_codings,
        )
    except InputError as exc:
        raise ProjectError(
            exc.message, path=project.location, hint=_("kies minder delen")
        ) from None
