"""What every export has: a name, the formats it writes, its own options, and a result.

An exporter checks what it is asked for (the format, its options, the target file) before any
work, so a wrong request fails at once with one line; then :meth:`Exporter.run` writes the
file and returns an :class:`ExportResult` whose warnings the caller shows every time (a Python
warning would show once per process, and a notebook's second export would go unwarned).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from kwali.errors import ExportError
from kwali.export.files import check_target, format_for
from kwali.i18n import _

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from kwali.store import Project

OptionsT = TypeVar("OptionsT", bound="DataclassInstance")


@dataclass(frozen=True)
class ExportResult:
    """The file written, what the user should know about it, and what went in."""

    path: Path
    warnings: tuple[str, ...] = ()  # e.g. an attribution that identifies a respondent
    counts: Mapping[str, int] = field(default_factory=dict)  # e.g. {"documents": 12}


class Exporter(Generic[OptionsT]):
    """One export. Subclasses set the class attributes and implement :meth:`run`."""

    name: ClassVar[str]
    formats: ClassVar[tuple[str, ...]]
    options_type: type[OptionsT]  # its own dataclass, with only the fields it uses
    summary: ClassVar[str]  # one line for `kwali export --help`

    def write(
        self,
        project: Project,
        out: str | Path,
        *,
        fmt: str | None = None,
        force: bool = False,
        options: OptionsT | None = None,
        **fields: Any,
    ) -> ExportResult:
        """Write ``out`` in ``fmt`` (default: by its extension); refuses an existing file
        unless ``force``. Options come as this exporter's options object, or as its fields."""
        out = Path(out)
        chosen = self.format_for(out, fmt)
        opts = self.make_options(options, fields)
        check_target(out, force)  # before the work, so a bad path fails at once
        return self.run(project, out, chosen, force, opts)

    def run(
        self, project: Project, out: Path, fmt: str, force: bool, options: OptionsT
    ) -> ExportResult:
        raise NotImplementedError

    def format_for(self, out: Path, fmt: str | None) -> str:
        return format_for(out, fmt, self.formats)

    def option_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(self.options_type))

    def make_options(self, options: OptionsT | None, fields: Mapping[str, Any]) -> OptionsT:
        """``options`` (or the defaults) with ``fields`` replaced; refuses what isn't ours."""
        if options is None:
            options = self.options_type()
        elif not isinstance(options, self.options_type):
            raise ExportError(
                _("de export {name} neemt {wanted}, niet {given}").format(
                    name=self.name,
                    wanted=self.options_type.__name__,
                    given=type(options).__name__,
                )
            )
        unknown = sorted(set(fields) - set(self.option_names()))
        if unknown:
            raise ExportError(
                _("de export {name} heeft geen optie {unknown} (wel: {known})").format(
                    name=self.name,
                    unknown=", ".join(unknown),
                    known=", ".join(self.option_names()) or _("geen"),
                )
            )
        return dataclasses.replace(options, **fields)

    def options_from(self, values: Mapping[str, Any]) -> OptionsT:
        """This export's options from a larger set (the command line's flags): the rest is
        not for this export and is left out."""
        names = self.option_names()
        return self.make_options(None, {k: v for k, v in values.items() if k in names})
