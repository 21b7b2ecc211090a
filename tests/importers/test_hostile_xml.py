"""Hostile XML: entity tricks and external DTDs are refused before parsing."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import trackgen
from walkwell.importers import gpx, tcx
from walkwell.importers.base import ImportRefused, Refused
from walkwell.importers.dispatch import iter_path

MARKER = "walkwell-private-marker-7731"


def _gpx_with(prolog: str, point_text: str = "") -> bytes:
    body = trackgen.gpx_text(3).replace(
        "<name>Generated walk</name>", f"<name>{point_text}</name>"
    )
    return body.replace("<gpx ", prolog + "<gpx ", 1).encode()


def _refusal(data: bytes) -> str:
    with pytest.raises(ImportRefused) as refused:
        gpx.parse(io.BytesIO(data))
    return refused.value.reason


def test_an_external_entity_is_refused_and_the_file_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(MARKER)
    attack = _gpx_with(f'<!DOCTYPE gpx [<!ENTITY x SYSTEM "file://{secret}">]>', "&x;")
    (tmp_path / "walk.gpx").write_bytes(attack)
    items = list(iter_path(tmp_path / "walk.gpx"))
    assert len(items) == 1
    assert isinstance(items[0], Refused)
    assert "declares XML entities" in items[0].reason
    assert MARKER not in repr(items)


def test_etc_passwd_is_not_read_through_an_entity() -> None:
    reason = _refusal(
        _gpx_with('<!DOCTYPE gpx [<!ENTITY p SYSTEM "file:///etc/passwd">]>', "&p;")
    )
    assert "known attack" in reason


def test_billion_laughs_is_refused_before_any_expansion() -> None:
    levels = "".join(
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    attack = _gpx_with(f'<!DOCTYPE gpx [<!ENTITY l0 "ha">{levels}]>', "&l9;")
    assert "declares XML entities" in _refusal(attack)


def test_billion_laughs_stays_in_bounded_memory() -> None:
    """Run in a child so its peak memory (VmHWM, reset by exec) is its own."""
    code = (
        "import io\n"
        "from walkwell.importers import gpx\n"
        'lv=\'\'.join(f\'<!ENTITY l{i} "{("&l"+str(i-1)+";")*10}">\' for i in range(1,10))\n'
        "data=(f'<!DOCTYPE gpx [<!ENTITY l0 \"ha\">{lv}]><gpx><trk><name>&l9;</name>'\n"
        "      '</trk></gpx>').encode()\n"
        "try: gpx.parse(io.BytesIO(data))\n"
        "except Exception as e: print(type(e).__name__)\n"
        "hwm=[x for x in open('/proc/self/status') if x.startswith('VmHWM')][0]\n"
        "print(int(hwm.split()[1]) // 1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    verdict, peak_mb = out.stdout.split()
    assert verdict == "ImportRefused"
    assert int(peak_mb) < 100


def test_an_external_dtd_is_refused() -> None:
    reason = _refusal(_gpx_with('<!DOCTYPE gpx SYSTEM "http://example.com/evil.dtd">'))
    assert "external DTD" in reason


def test_a_bare_doctype_is_stripped_and_the_walk_imports() -> None:
    assert len(gpx.parse(io.BytesIO(_gpx_with("<!DOCTYPE gpx>"))).points) == 3


def test_an_undeclared_entity_is_not_well_formed() -> None:
    assert _refusal(_gpx_with("", "&undeclared;")).startswith("not well-formed XML")


def test_a_doctype_in_a_tcx_is_refused_too() -> None:
    text = trackgen.tcx_text(3).replace(
        "<TrainingCenterDatabase",
        '<!DOCTYPE t [<!ENTITY e "x">]><TrainingCenterDatabase',
        1,
    )
    with pytest.raises(ImportRefused, match="declares XML entities"):
        tcx.parse(io.BytesIO(text.encode()))


def test_absurdly_deep_nesting_is_refused() -> None:
    """libxml2 stops at 256 levels while huge_tree is off; a real GPX nests 5."""
    deep = "<a>" * 3000 + "</a>" * 3000
    text = trackgen.gpx_text(2).replace("<name>Generated walk</name>", deep)
    assert "Excessive depth" in _refusal(text.encode())


def test_a_small_gzip_of_millions_of_points_is_refused_early_in_bounded_memory(
    tmp_path: Path,
) -> None:
    """2.7 MB of gzip holding three million GPX points (700 MB inside): refused
    for its compression ratio after the first megabytes, in a child whose peak
    memory (VmHWM) stays under the importer's 100 MB bound."""
    bomb = trackgen.write_identical_gpx_gz(tmp_path / "walk.gpx.gz", 3_000_000)
    assert 2_000_000 < bomb.stat().st_size < 3_000_000
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from walkwell.importers import dispatch\n"
        "(item,) = dispatch.iter_path(Path(sys.argv[1]))\n"
        "print(type(item).__name__, getattr(item, 'reason', ''))\n"
        "hwm=[x for x in open('/proc/self/status') if x.startswith('VmHWM')][0]\n"
        "print(int(hwm.split()[1]) // 1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(bomb)],
        capture_output=True,
        text=True,
        check=True,
    )
    verdict, peak_mb = out.stdout.strip().splitlines()
    assert verdict.startswith("Refused it decompresses to more than 200 times its size")
    assert "WALKWELL_IMPORT_MAX_COMPRESSION_RATIO" in verdict
    assert int(peak_mb) < 100
