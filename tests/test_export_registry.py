"""Exports as a registry: every export the command line offers, each refusing what it can't
write, and privacy warnings that come with every export, not once per process."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from kwali.cli import cli
from kwali.cli.exporting import export as export_command
from kwali.errors import ExportError
from kwali.export import EXPORTERS, ExportResult, QuoteOptions, export
from kwali.model import Code, Codebook
from kwali.store import Project

from helpers import add_coded_answer

EVERY_FORMAT = sorted({fmt for exporter in EXPORTERS.values() for fmt in exporter.formats})
UNIQUE = "de toeschrijving (klantmanager, man) hoort bij maar 1 interview "


@pytest.fixture
def study_file(tmp_path):
    """Three interviews; the only klantmanager is recognisable by role and gender."""
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        project.set_codebook(Codebook("t", (Code("dwang", "Dwang"),)))
        add_coded_answer(project, "een", {"rol": "werkzoekende", "geslacht": "vrouw"})
        add_coded_answer(project, "twee", {"rol": "werkzoekende", "geslacht": "vrouw"})
        add_coded_answer(project, "drie", {"rol": "klantmanager", "geslacht": "man"})
    return path


def test_a_second_export_in_the_same_process_warns_again(study_file, tmp_path):
    with Project.open(study_file, readonly=True) as project:
        first = export(project, "quotes", tmp_path / "a.csv")
        second = export(project, "quotes", tmp_path / "b.xlsx")
    assert isinstance(first, ExportResult) and first.path == tmp_path / "a.csv"
    for result in (first, second):
        (warning,) = result.warnings
        assert warning.startswith(UNIQUE)


def test_the_command_prints_the_warning_on_every_export(study_file, tmp_path):
    for name in ("a.csv", "b.csv"):
        result = CliRunner().invoke(
            cli, ["export", "quotes", "-p", str(study_file), "-o", str(tmp_path / name)]
        )
        assert result.exit_code == 0, result.output
        assert f"kwali: waarschuwing: {UNIQUE}" in result.stderr
        assert result.stdout == f"Geschreven: {tmp_path / name}\n"


@pytest.mark.parametrize("what", list(EXPORTERS))
def test_each_export_refuses_a_format_it_does_not_write(what, study_file, tmp_path):
    exporter = EXPORTERS[what]
    refused = [fmt for fmt in EVERY_FORMAT if fmt not in exporter.formats]
    if what == "qdpx":
        assert refused == ["csv", "docx", "jsonl", "png", "qdc", "svg", "xlsx", "yaml"]
    with Project.open(study_file, readonly=True) as project:
        for fmt in refused:
            out = tmp_path / "uit.bestand"
            with pytest.raises(ExportError) as error:
                export(project, what, out, fmt=fmt)
            line = error.value.one_line()
            assert (
                line
                == f"{out}: kan niet als {fmt} geschreven worden (kies {', '.join(exporter.formats)})"
            )
            assert not out.exists()


def test_the_command_refuses_a_format_in_one_line(study_file, tmp_path):
    out = tmp_path / "p.qdpx"
    result = CliRunner().invoke(
        cli, ["export", "qdpx", "-p", str(study_file), "-o", str(out), "--format", "csv"]
    )
    assert result.exit_code == 1 and not out.exists()
    assert (
        result.output.strip()
        == f"kwali: fout: {out}: kan niet als csv geschreven worden (kies qdpx)"
    )


def test_the_command_offers_exactly_the_registry():
    params = {param.name: param for param in export_command.params}
    assert tuple(params["what"].type.choices) == tuple(EXPORTERS)
    assert sorted(params["fmt"].type.choices) == EVERY_FORMAT
    help_text = CliRunner().invoke(cli, ["export", "--help"]).output
    for exporter in EXPORTERS.values():
        assert f"{exporter.name:<13} {exporter.summary}" in help_text
        # every option an export has, the command can set by the flag of that name
        assert set(exporter.option_names()) <= set(params), exporter.name


def test_each_export_takes_only_its_own_options(study_file, tmp_path):
    assert "by" not in EXPORTERS["quotes"].option_names()
    assert EXPORTERS["qdpx"].option_names() == ("line_endings", "unique_names")
    with Project.open(study_file, readonly=True) as project:
        with pytest.raises(ExportError) as error:
            export(project, "codebook", tmp_path / "c.csv", by="aanpak")
        assert error.value.one_line() == (
            "de export codebook heeft geen optie by (wel: title, sep)"
        )
        with pytest.raises(ExportError, match="neemt MatrixOptions, niet QuoteOptions"):
            export(project, "matrix", tmp_path / "m.csv", options=QuoteOptions())
        with pytest.raises(ExportError, match="onbekende export 'citaten'"):
            export(project, "citaten", tmp_path / "c.csv")
        options = QuoteOptions(attribution=("rol",))  # the keyword is laid over the object
        result = export(project, "quotes", tmp_path / "q.csv", options=options, sort="respondent")
    table = pd.read_csv(result.path, encoding="utf-8-sig")
    assert list(table["respondent"]) == ["klantmanager", "werkzoekende", "werkzoekende"]
    (warning,) = result.warnings  # role alone still points at the one klantmanager
    assert warning.startswith("de toeschrijving (klantmanager) hoort bij maar 1 interview ")
    assert not tmp_path.joinpath("c.csv").exists() and not tmp_path.joinpath("m.csv").exists()
