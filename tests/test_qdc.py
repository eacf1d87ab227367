"""REFI-QDA codebook exchange: .qdc in and out, and the codebook of a .qdpx project."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwali.errors import CodebookError, ExportError
from kwali.io import qdc
from kwali.io.qdc import read_codebook_from_qdpx, read_qdc, write_qdc
from kwali.io.refi import CODEBOOK_NS, PROJECT_NS
from kwali.model import Code, Codebook, Signals

from helpers import SHARED  # tests using ../shared skip when it is absent

REFI = SHARED / "refi"


def study_codebook(name: str = "tegenprestatie") -> Codebook:
    """A small codebook in tree order that uses every field a code has."""
    return Codebook(
        name=name,
        codes=(
            Code(
                key="verplichting",
                label="Verplichting",
                kind="category",
                colour="#AA3300",
                definition="Alles over de plicht om onbetaald werk te doen.",
            ),
            Code(
                key="moeten_werken",
                label="Moeten werken",
                parent="verplichting",
                colour="#00ff00",
                definition="De klant beschrijft de tegenprestatie als dwang.\nOok indirect.",
                include="Uitspraken over sancties of korting.",
                exclude="Vrijwillig gekozen werk.",
                examples=("ik moet daar 20 uur per week zitten", '"anders word je gekort"'),
                signals=Signals(
                    lemmas=("moeten", "verplichten"),
                    compounds=("werkverplichting",),
                    phrases=("geen keus",),
                    regex=(r"\bkort(ing|en)\b",),
                    exclude=("mogen",),
                ),
            ),
            Code(
                key="ontheffing",
                label="Ontheffing",
                parent="verplichting",
                definition="Vrijstelling van de tegenprestatie.",
                examples=("medische ontheffing",),
            ),
            Code(key="ervaring", label="Ervaring", kind="category"),
            Code(
                key="zinvol", label="Zinvol", parent="ervaring", signals=Signals(stems=("zinvol",))
            ),
            Code(
                key="ervaring_ontheffing",
                label="Ontheffing",
                parent="ervaring",
                definition="Wel: hoe de ontheffing werd beleefd",
            ),
            Code(key="klantmanager", label="Klantmanager Één", parent="ervaring"),
        ),
    )


def test_round_trip_keeps_every_field(tmp_path):
    codebook = study_codebook()
    path = tmp_path / "tegenprestatie.qdc"
    assert write_qdc(codebook, path) == ()
    back = read_qdc(path)
    assert back.name == "tegenprestatie"
    assert back.codes == codebook.codes


def test_written_file_is_a_codebook_other_tools_can_read(tmp_path):
    path = tmp_path / "c.qdc"
    write_qdc(study_codebook(), path)
    data = path.read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(data)
    assert root.tag == f"{{{CODEBOOK_NS}}}CodeBook" and root.get("origin", "").startswith("kwali ")
    top = root.findall(f"{{{CODEBOOK_NS}}}Codes/{{{CODEBOOK_NS}}}Code")
    assert [c.get("name") for c in top] == ["Verplichting", "Ervaring"]
    assert [c.get("isCodable") for c in top] == ["false", "false"]
    description = root.find(
        f".//{{{CODEBOOK_NS}}}Code[@name='Moeten werken']/{{{CODEBOOK_NS}}}Description"
    )
    assert description.text.startswith("De klant beschrijft")
    assert (
        "\n\n[kwali]\nWel: Uitspraken" in description.text
        and "\nNiet: Vrijwillig" in description.text
    )


def test_guids_are_the_same_on_every_export(tmp_path):
    write_qdc(study_codebook(), tmp_path / "a.qdc")
    write_qdc(study_codebook(), tmp_path / "b.qdc")
    assert (tmp_path / "a.qdc").read_bytes() == (tmp_path / "b.qdc").read_bytes()


def _as_project(qdc_bytes: bytes) -> str:
    """The .qdc's Codes moved into a minimal Project, to validate against the project XSD."""
    body = qdc_bytes.decode("utf-8").split("<Codes>", 1)[1].rsplit("</Codes>", 1)[0]
    return (
        f'<Project xmlns="{PROJECT_NS}" name="check"><CodeBook><Codes>{body}</Codes>'
        "</CodeBook></Project>"
    )


def test_codes_validate_against_the_refi_schema(tmp_path):
    xsd = REFI / "Project-mrt2019.xsd"
    if not xsd.exists():
        pytest.skip("../shared/refi/Project-mrt2019.xsd is not available")
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(xsd))
    path = tmp_path / "c.qdc"
    write_qdc(study_codebook(), path)
    schema.validate(_as_project(path.read_bytes()))
    broken = _as_project(path.read_bytes()).replace('isCodable="true"', 'isCodable="ja"', 1)
    assert not schema.is_valid(broken)  # the check itself can fail


def test_same_names_under_different_parents_get_distinct_keys(tmp_path):
    path = tmp_path / "nvivo.qdc"
    path.write_text(
        f'<CodeBook xmlns="{CODEBOOK_NS}"><Codes>'
        '<Code guid="34653336-3766-3235-6466-363134396437" name="Competenties" isCodable="true">'
        '<Code guid="36636563-3863-6264-3638-303637613863" name="Programmeren" isCodable="true"/></Code>'
        '<Code guid="31366536-3938-3831-6231-633830313036" name="Praktijk" isCodable="true">'
        '<Code guid="33323333-6536-3839-6665-643535383163" name="Programmeren" isCodable="true"/></Code>'
        "</Codes></CodeBook>",
        encoding="utf-8",
    )
    codebook = read_qdc(path)
    first, second = (c for c in codebook if c.label == "Programmeren")
    assert first.key != second.key
    assert (first.parent, second.parent) == ("competenties", "praktijk")
    assert first.key.endswith("competenties") and second.key.endswith("praktijk")


def test_codes_without_namespace_are_read_too(tmp_path):
    path = tmp_path / "plain.qdc"
    path.write_text(
        '<CodeBook><Codes><Code guid="34653336-3766-3235-6466-363134396437" '
        'name="Werk" isCodable="true"/></Codes></CodeBook>',
        encoding="utf-8",
    )
    assert read_qdc(path).keys() == ["werk"]


def test_billion_laughs_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "lol.qdc"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lollollol">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        f'<CodeBook xmlns="{CODEBOOK_NS}"><Codes><Code guid="34653336-3766-3235-6466-363134396437" '
        'name="&c;" isCodable="true"/></Codes></CodeBook>',
        encoding="utf-8",
    )
    with pytest.raises(CodebookError) as info:
        read_qdc(path)
    assert "lol.qdc" in str(info.value) and "DTD" in str(info.value)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"Code;Omschrijving\nwerk;Werk\n", "geen geldige XML"),
        (b"", "geen geldige XML"),
        (b"<Project xmlns='urn:QDA-XML:project:1.0' name='p'/>", "zonder codeboek"),
        (b"<html><body/></html>", "geen REFI-QDA-codeboek"),
        (b"<CodeBook/>", "zonder <Codes>"),
    ],
)
def test_wrong_files_give_a_one_line_error(tmp_path, content, problem):
    path = tmp_path / "wrong.qdc"
    path.write_bytes(content)
    with pytest.raises(CodebookError, match=problem) as info:
        read_qdc(path)
    message = str(info.value)
    assert "wrong.qdc" in message and "\n" not in message


def test_missing_file_is_a_codebook_error(tmp_path):
    with pytest.raises(CodebookError, match="kan niet gelezen worden"):
        read_qdc(tmp_path / "nope.qdc")


def test_export_refuses_what_it_cannot_write(tmp_path):
    with pytest.raises(ExportError, match="geen codes"):
        write_qdc(Codebook(name="leeg", codes=()), tmp_path / "x.qdc")
    orphan = Codebook(name="x", codes=(Code(key="a", label="A", parent="weg"),))
    with pytest.raises(ExportError, match="onbekende bovenliggende code"):
        write_qdc(orphan, tmp_path / "x.qdc")
    with pytest.raises(ExportError, match="kan niet geschreven worden"):
        write_qdc(study_codebook(), tmp_path / "no-such-dir" / "x.qdc")
    assert list(tmp_path.iterdir()) == []


def test_export_warns_about_what_a_qdc_cannot_hold(tmp_path):
    codebook = Codebook(name="x", version="2", codes=(Code(key="a", label="A", colour="rood"),))
    warnings = write_qdc(codebook, tmp_path / "x.qdc")
    assert any("versie" in w for w in warnings) and any("rood" in w for w in warnings)


# --- .qdpx ----------------------------------------------------------------------------------


def make_qdpx(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def project_xml(codes: bytes) -> bytes:
    return (
        (
            f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{PROJECT_NS}" name="Trial">'
            "<CodeBook><Codes>"
        ).encode()
        + codes
        + b"</Codes></CodeBook></Project>"
    )


def test_codebook_is_taken_from_a_qdpx_whatever_the_qde_is_called(tmp_path):
    codes = (
        b'<Code guid="A182CD3A-D83C-4D8C-BC80-26D9103EC6D6" name="Werk" isCodable="true">'
        b'<Code guid="2D2466F0-D77F-4F8C-BDF9-628966B6B74D" name="Loon" isCodable="true"/></Code>'
    )
    path = make_qdpx(
        tmp_path / "trial.qdpx",
        {"Trial.qde": b"\xef\xbb\xbf" + project_xml(codes), "sources/x.txt": b"tekst"},
    )
    codebook = read_codebook_from_qdpx(path)
    assert codebook.name == "Trial"
    assert [(c.key, c.parent) for c in codebook] == [("werk", None), ("loon", "werk")]


def test_a_kwali_codebook_survives_a_trip_through_a_project(tmp_path):
    write_qdc(study_codebook(), tmp_path / "c.qdc")
    body = (tmp_path / "c.qdc").read_bytes().split(b"<Codes>", 1)[1].rsplit(b"</Codes>", 1)[0]
    path = make_qdpx(tmp_path / "p.qdpx", {"project.qde": project_xml(body)})
    assert read_codebook_from_qdpx(path).codes == study_codebook().codes


@pytest.mark.parametrize(
    ("members", "problem"),
    [
        ({"../evil": b"x", "project.qde": project_xml(b"")}, "onveilige onderdeelnaam"),
        ({"/etc/evil": b"x", "project.qde": project_xml(b"")}, "onveilige onderdeelnaam"),
        ({"project.qde": project_xml(b"") + b" " * 20_000_000}, "zip-bom"),
        ({"sources/a.txt": b"x"}, "geen .qde"),
        ({"a.qde": b"<Project/>", "b.qde": b"<Project/>"}, "2 .qde-bestanden"),
        ({"project.qde": b"<CodeBook/>"}, "geen REFI-QDA-project"),
        ({"project.qde": b'<!DOCTYPE p [<!ENTITY e "x">]><Project name="&e;"/>'}, "DTD"),
    ],
)
def test_hostile_or_wrong_qdpx_is_refused(tmp_path, members, problem):
    path = make_qdpx(tmp_path / "bad.qdpx", members)
    with pytest.raises(CodebookError, match=problem) as info:
        read_codebook_from_qdpx(path)
    assert "bad.qdpx" in str(info.value) and "\n" not in str(info.value)


def test_qdpx_that_unpacks_too_large_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(qdc, "MAX_QDPX_BYTES", 1000)
    path = make_qdpx(
        tmp_path / "big.qdpx",
        {"project.qde": project_xml(b""), "sources/a.txt": bytes(range(256)) * 8},
    )
    with pytest.raises(CodebookError, match="meer dan"):
        read_codebook_from_qdpx(path)


def test_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "fake.qdpx"
    path.write_text("hallo")
    with pytest.raises(CodebookError, match="fake.qdpx"):
        read_codebook_from_qdpx(path)


def test_read_qdc_given_a_project_reads_its_codebook(tmp_path):
    codes = b'<Code guid="A182CD3A-D83C-4D8C-BC80-26D9103EC6D6" name="Werk" isCodable="true"/>'
    assert read_qdc(make_qdpx(tmp_path / "p.qdpx", {"project.qde": project_xml(codes)})).keys() == [
        "werk"
    ]
    (tmp_path / "p.qde").write_bytes(project_xml(codes))
    assert read_qdc(tmp_path / "p.qde").keys() == ["werk"]


# --- Real files from other tools -------------------------------------------------------------


def _fixture(name: str) -> Path:
    path = REFI / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


def _code_elements(path: Path) -> list[ET.Element]:
    with zipfile.ZipFile(path) as archive:
        qde = next(n for n in archive.namelist() if n.endswith(".qde"))
        root = ET.fromstring(archive.read(qde))  # trusted fixture; kwali itself uses defusedxml
    book = next(e for e in root.iter() if e.tag.endswith("}CodeBook"))
    return [e for e in book.iter() if e.tag.endswith("}Code")]


@pytest.mark.parametrize(
    "name",
    [
        "nvivo12-win_hungarian-comments.qdpx",
        "nvivo15-mac_nested-codes.qdpx",
        "atlasti23-win_codebook-only.qdpx",
        "qc132_line-selections.qdpx",
    ],
)
def test_real_project_codebooks(tmp_path, name):
    path = _fixture(name)
    codebook = read_codebook_from_qdpx(path)
    elements = _code_elements(path)
    assert len(codebook) == len(elements) > 0
    assert len(set(codebook.keys())) == len(codebook)
    assert sorted(c.label for c in codebook) == sorted(e.get("name") for e in elements)
    for code in codebook:
        assert code.parent is None or codebook.get(code.parent) is not None
    # Whatever came in goes out and back unchanged.
    write_qdc(codebook, tmp_path / "again.qdc")
    assert read_qdc(tmp_path / "again.qdc").codes == codebook.codes


def test_nvivo12_codebook_has_its_152_nested_codes_and_descriptions():
    codebook = read_codebook_from_qdpx(_fixture("nvivo12-win_hungarian-comments.qdpx"))
    assert len(codebook) == 152
    assert any(c.parent for c in codebook) and any(c.definition for c in codebook)
    tipus = next(c for c in codebook if c.label == "1. Oltás típusa")
    assert tipus.definition == "COVID vay nem COVID"
    assert [c.label for c in codebook.children(tipus.key)] == ["COVID", "Nem COVID"]


def test_nvivo15_duplicate_names_under_different_parents():
    codebook = read_codebook_from_qdpx(_fixture("nvivo15-mac_nested-codes.qdpx"))
    same = [c for c in codebook if c.label == "programming"]
    assert len(same) == 2
    assert len({c.key for c in same}) == 2 and len({c.parent for c in same}) == 2
    assert max(len(codebook.path(c.key)) for c in codebook) >= 3


# --- Any codebook survives the trip ------------------------------------------------------------

_chars = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(
    ["\t", "\n", '"', "Wel: "]
)
_text = st.lists(_chars, max_size=10).map("".join)


@st.composite
def codebooks(draw) -> Codebook:
    keys = draw(
        st.lists(
            st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True),
            min_size=1,
            max_size=8,
            unique=True,
        )
    )
    codes = []
    for index, key in enumerate(keys):
        parent = draw(st.none() | st.integers(0, index - 1)) if index else None
        codes.append(
            Code(
                key=key,
                label=draw(_text | st.sampled_from(["Werk", "werk", "Wérk"])),
                parent=keys[parent] if parent is not None else None,
                kind=draw(st.sampled_from(["code", "category"])),
                definition=draw(_text).strip(),
                include=draw(_text).strip(),
                examples=tuple(draw(st.lists(_text, max_size=2))),
                colour=draw(st.sampled_from(["", "#A1B2C3", "#abcdef"])),
                signals=Signals(lemmas=tuple(draw(st.lists(_text, max_size=2)))),
            )
        )
    by_key = {code.key: code for code in codes}
    ordered = []  # tree order, as a codebook read back from a file is

    def visit(parent):
        for code in codes:
            if code.parent == parent:
                ordered.append(by_key[code.key])
                visit(code.key)

    visit(None)
    return Codebook(name="random", codes=tuple(ordered))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(codebook=codebooks())
def test_any_codebook_round_trips(tmp_path, codebook):
    path = tmp_path / "random.qdc"
    write_qdc(codebook, path)
    assert read_qdc(path).codes == codebook.codes


def test_written_codebooks_are_private(tmp_path):
    import stat

    from kwali.io.codebook import save_codebook
    from kwali.model import Code, Codebook

    codebook = Codebook("t", (Code("dwang", "Dwang"),))
    write_qdc(codebook, tmp_path / "c.qdc")
    save_codebook(codebook, tmp_path / "c.yaml")
    for name in ("c.qdc", "c.yaml"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
