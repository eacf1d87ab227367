"""`kwali export gold`: a coder's confirmed codings as labelled texts, for sharing.

JSON Lines, one ``{"text": ..., "themes": [code keys]}`` per sentence the coders read (those
read and left uncoded with no themes): what ``kwali evaluate --gold`` reads, so a team can
measure a suggester, or another tool, on its own coding without handing over the project.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kwali.errors import ExportError
from kwali.export.base import Exporter, ExportResult
from kwali.export.files import write_bytes
from kwali.i18n import _

if TYPE_CHECKING:
    from kwali.store import Project


@dataclass(frozen=True)
class GoldOptions:
    coders: Sequence[str] = ()  # none: everyone's codings, pooled per sentence
    anonymize: bool = False


class GoldExporter(Exporter[GoldOptions]):
    name = "gold"
    formats = ("jsonl",)
    options_type = GoldOptions
    summary = _("gelabelde zinnen (JSON Lines) om suggesties aan te toetsen: kwali evaluate")
    refuses_unknown_coders = True  # one line of its own names the coder without codings

    def run(
        self, project: Project, out: Path, fmt: str, force: bool, options: GoldOptions
    ) -> ExportResult:
        from kwali.app.evaluating import project_gold
        from kwali.errors import ProjectError
        from kwali.export.exporters import _cleaner

        try:
            labelled = project_gold(project, list(options.coders) or None)
        except ProjectError as exc:  # an export's failure is an ExportError, one line
            raise ExportError(exc.message, path=project.location, hint=exc.hint) from None
        clean = _cleaner(project, options.anonymize)
        lines = [
            json.dumps(
                {"text": clean(item.text) if clean else item.text, "themes": list(item.themes)},
                ensure_ascii=False,
            )
            for _document, item in labelled
        ]
        data = ("\n".join(lines) + "\n").encode("utf-8")
        path = write_bytes(out, lambda: data, force=force)  # 0600, atomic
        documents = len({document for document, _item in labelled})
        return ExportResult(path, counts={"sentences": len(lines), "documents": documents})
