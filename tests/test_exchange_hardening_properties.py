"""Properties of the REFI-QDA readers (.qdc, .qdpx) on any input (issue #11).

Random bytes, random zips, and valid files mangled at random (elements deleted and doubled,
attributes dropped or replaced by any text or huge numbers, names in any script): a reader
returns what it read or refuses with one KwaliError line naming the file, never another
exception and never a hang. A .qdpx that reads is also planned for import (offsets
reconciled), which must hold to the same rule. A .qdc codebook that reads round-trips. The
``slow`` variants run many more examples.
"""

from __future__ import annotations

import copy
import io
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwali.app.exchange_plan import make_plan
from kwali.errors import KwaliError
from kwali.io.qdc import read_qdc, write_qdc
from kwali.io.qdpx import read_qdpx
from kwali.model import Code, Codebook

from helpers import within

SECONDS_PER_EXAMPLE = 10  # inputs are a few KB: anything near this is a hang
FEW = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
MANY = settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
GUID = "{:08x}-0000-4000-8000-000000000000".format
TEXT = "I: Hoe gaat het met u?\nR: Ik moet van de gemeente werken. 😀 Bij de kringloop.\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("refi")


def refused_or(path: Path, read: Callable[[Path], object]) -> object | None:
    """``read(path)``, or None when it refused in one line naming the file."""
    try:
        with within(SECONDS_PER_EXAMPLE):
            return read(path)
    except KwaliError as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith(str(path)), message
        return None


# -- mangling valid XML ---------------------------------------------------------------------------
NAMES = st.text(st.characters(codec="utf-8"), max_size=12)
NUMBERS = st.integers(-(10**30), 10**30).map(str) | st.sampled_from(
    ["", "-1", "0", "1", "99999999999999999999", "1e9", "NaN", " 7 ", "0x10", "٣"]
)
GUIDS = st.sampled_from([GUID(1), GUID(2), GUID(3), "{" + GUID(4).upper() + "}", "", "x"])
VALUES = NAMES | NUMBERS | GUIDS
ATTRIBUTES = [
    "guid",
    "name",
    "startPosition",
    "endPosition",
    "targetGUID",
    "plainTextPath",
    "richTextPath",
    "isCodable",
    "color",
    "creatingUser",
    "creationDateTime",
    "typeOfVariable",
]


def mangle(draw: st.DrawFn, root: ET.Element) -> None:
    """Apply a few random edits to the tree (never to the root element itself)."""
    for _ in range(draw(st.integers(1, 8))):
        parents = {child: parent for parent in root.iter() for child in parent}
        element = draw(st.sampled_from(list(root.iter())))
        operation = draw(
            st.sampled_from(["delete", "double", "drop", "set", "text", "empty", "number"])
        )
        parent = parents.get(element)
        if operation == "delete" and parent is not None:
            parent.remove(element)
        elif operation == "double" and parent is not None:
            parent.insert(list(parent).index(element), copy.deepcopy(element))
        elif operation == "drop" and element.attrib:
            del element.attrib[draw(st.sampled_from(sorted(element.attrib)))]
        elif operation == "set":
            element.set(draw(st.sampled_from(sorted(element.attrib) + ATTRIBUTES)), draw(VALUES))
        elif operation == "text":
            element.text = draw(NAMES)
        elif operation == "empty":
            element.clear()
        elif element.get("startPosition") is not None:  # "number": huge offsets
            element.set(draw(st.sampled_from(["startPosition", "endPosition"])), draw(NUMBERS))


# -- .qdc -------------------------------------------------------------------------------------------


@st.composite
def codebooks(draw: st.DrawFn) -> Codebook:
    count = draw(st.integers(1, 6))
    codes = []
    for index in range(count):
        parent = draw(st.none() | st.integers(0, index - 1)) if index else None
        codes.append(
            Code(
                key=f"c{index}",
                label=draw(NAMES.filter(str.strip)),
                parent=f"c{parent}" if parent is not None else None,
                kind=draw(st.sampled_from(["code", "category"])),
                definition=draw(NAMES).strip(),
            )
        )
    ordered: list[Code] = []
    stack = [c for c in reversed(codes) if c.parent is None]
    while stack:
        code = stack.pop()
        ordered.append(code)
        stack += [c for c in reversed(codes) if c.parent == code.key]
    return Codebook("random", tuple(ordered))


def qdc_bytes(codebook: Codebook) -> bytes:
    with tempfile.TemporaryDirectory() as folder:  # write_qdc writes a file
        target = Path(folder) / "c.qdc"
        write_qdc(codebook, target)
        return target.read_bytes()


@st.composite
def mangled_qdc(draw: st.DrawFn) -> bytes:
    root = ET.fromstring(qdc_bytes(draw(codebooks())))
    mangle(draw, root)
    return ET.tostring(root, encoding="utf-8")


def check_qdc(folder: Path, data: bytes) -> None:
    path = folder / "codeboek.qdc"
    path.write_bytes(data)
    codebook = refused_or(path, read_qdc)
    if isinstance(codebook, Codebook):  # what reads, writes and reads back the same
        again = folder / "opnieuw.qdc"
        write_qdc(codebook, again)
        assert read_qdc(again).codes == codebook.codes


@FEW
@given(data=st.binary(max_size=2000))
def test_random_bytes_as_qdc_are_read_or_refused(folder, data):
    check_qdc(folder, data)


@FEW
@given(data=mangled_qdc())
def test_mangled_qdc_is_read_or_refused(folder, data):
    check_qdc(folder, data)


@pytest.mark.slow
@MANY
@given(data=mangled_qdc() | st.binary(max_size=4000))
def test_mangled_qdc_is_read_or_refused_many(folder, data):
    check_qdc(folder, data)


# -- .qdpx ------------------------------------------------------------------------------------------
PROJECT = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="NVivo"
 creatingUserGUID="{GUID(90)}">
<Users><User guid="{GUID(90)}" name="anna"/></Users>
<CodeBook><Codes>
 <Code guid="{GUID(1)}" name="Werk" isCodable="false" color="#112233">
  <Description>Definitie: alles over werk</Description>
  <Code guid="{GUID(2)}" name="Kringloop" isCodable="true"/>
 </Code>
 <Code guid="{GUID(3)}" name="Dwang" isCodable="true"/>
</Codes></CodeBook>
<Variables><Variable guid="{GUID(70)}" name="rol" typeOfVariable="Text"/></Variables>
<Cases><Case guid="{GUID(80)}" name="anna">
 <VariableValue><VariableRef targetGUID="{GUID(70)}"/><TextValue>werkzoekende</TextValue>
 </VariableValue><SourceRef targetGUID="{GUID(10)}"/></Case></Cases>
<Sources>
 <TextSource guid="{GUID(10)}" name="int01" plainTextPath="internal://{GUID(10)}.txt">
  <PlainTextSelection guid="{GUID(11)}" name="Ik moet" startPosition="26" endPosition="55"
   creatingUser="{GUID(90)}">
   <Description>memo</Description>
   <Coding guid="{GUID(12)}" creatingUser="{GUID(90)}"><CodeRef targetGUID="{GUID(2)}"/></Coding>
   <NoteRef targetGUID="{GUID(60)}"/>
  </PlainTextSelection>
  <PlainTextSelection guid="{GUID(13)}" startPosition="58" endPosition="70">
   <Coding guid="{GUID(14)}"><CodeRef targetGUID="{GUID(3)}"/></Coding>
  </PlainTextSelection>
  <VariableValue><VariableRef targetGUID="{GUID(70)}"/><TextValue>x</TextValue></VariableValue>
 </TextSource>
 <TextSource guid="{GUID(20)}" name="int02">
  <PlainTextContent>{TEXT}</PlainTextContent>
  <PlainTextSelection guid="{GUID(21)}" startPosition="0" endPosition="22">
   <Coding guid="{GUID(22)}"><CodeRef targetGUID="{GUID(1)}"/></Coding>
  </PlainTextSelection>
 </TextSource>
</Sources>
<Notes><Note guid="{GUID(60)}" name="memo"><PlainTextContent>mooi</PlainTextContent></Note></Notes>
</Project>"""


def qdpx_bytes(qde: bytes, members: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        for name, data in (members or {f"sources/{GUID(10)}.txt": TEXT.encode()}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


@st.composite
def mangled_qdpx(draw: st.DrawFn) -> bytes:
    root = ET.fromstring(PROJECT)
    mangle(draw, root)
    return qdpx_bytes(ET.tostring(root, encoding="utf-8"))


def read_and_plan(path: Path) -> object:
    return make_plan(read_qdpx(path))


def check_qdpx(folder: Path, data: bytes) -> None:
    path = folder / "project.qdpx"
    path.write_bytes(data)
    refused_or(path, read_and_plan)


def test_the_unmangled_project_reads_and_plans(folder):
    path = folder / "gaaf.qdpx"
    path.write_bytes(qdpx_bytes(PROJECT.encode()))
    plan = make_plan(read_qdpx(path))
    assert [s.name for s in plan.refi.sources] == ["int01", "int02"]
    assert len(plan.refi.codes) == 3 and not plan.warnings


@FEW
@given(data=st.binary(max_size=2000))
def test_random_bytes_as_qdpx_are_read_or_refused(folder, data):
    check_qdpx(folder, data)


@FEW
@given(
    members=st.dictionaries(
        st.sampled_from(["project.qde", "a.qde", "sources/a.txt", f"sources/{GUID(10)}.txt"])
        # zipfile cuts a member name at NUL (an empty one then crashes the writer, not kwali)
        | NAMES.filter(lambda name: bool(name) and "\x00" not in name),
        st.binary(max_size=300) | st.just(PROJECT.encode()),
        max_size=4,
    )
)
def test_random_zips_are_read_or_refused(folder, members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    check_qdpx(folder, buffer.getvalue())


@FEW
@given(data=mangled_qdpx())
def test_mangled_qdpx_is_read_or_refused(folder, data):
    check_qdpx(folder, data)


@pytest.mark.slow
@MANY
@given(data=mangled_qdpx())
def test_mangled_qdpx_is_read_or_refused_many(folder, data):
    check_qdpx(folder, data)


@st.composite
def damaged_zips(draw: st.DrawFn) -> bytes:
    """A valid .qdpx with a few bytes changed, cut out or put in: its headers lie at random."""
    data = bytearray(qdpx_bytes(PROJECT.encode()))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        operation = draw(st.sampled_from(["set", "cut", "put"]))
        if operation == "set":
            data[at] = draw(st.integers(0, 255))
        elif operation == "cut":
            del data[at : at + draw(st.integers(1, 8))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
    return bytes(data)


@FEW
@given(data=damaged_zips())
def test_damaged_zips_are_read_or_refused(folder, data):
    check_qdpx(folder, data)


@pytest.mark.slow
@MANY
@given(data=damaged_zips())
def test_damaged_zips_are_read_or_refused_many(folder, data):
    check_qdpx(folder, data)
