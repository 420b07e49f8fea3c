"""Reading ZIP containers before acceptance: entries, decompressed bytes against a budget, lying sizes."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from onematter_material.adapters.containers import inspect_container
from onematter_material.domain.media import ContainerFacts, ContainerLimits

MIB = 1024 * 1024
LIMITS = ContainerLimits(max_entries=20, max_expanded_bytes=4 * MIB)


def _zip(path: Path, entries: dict[str, int]) -> Path:
    """A deflated ZIP whose entries hold the given numbers of zero bytes, written 1 MiB at a time."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, size in entries.items():
            with archive.open(name, "w", force_zip64=size > 2**31) as entry:
                for start in range(0, size, MIB):
                    entry.write(bytes(min(MIB, size - start)))
    return path


async def test_an_ofd_within_the_limits_is_read_to_the_end(tmp_path: Path) -> None:
    path = _zip(tmp_path / "a.ofd", {"OFD.xml": 300, "Doc_0/Document.xml": 2 * MIB})
    facts = await inspect_container(path, LIMITS)
    assert facts == ContainerFacts(entries=2, expanded_bytes=2 * MIB + 300, has_ofd_root=True)


async def test_ofd_xml_below_the_root_does_not_count(tmp_path: Path) -> None:
    facts = await inspect_container(_zip(tmp_path / "b.zip", {"dir/OFD.xml": 10}), LIMITS)
    assert not facts.has_ofd_root


async def test_a_bomb_that_declares_its_size_is_not_inflated(tmp_path: Path) -> None:
    path = _zip(tmp_path / "bomb.ofd", {"OFD.xml": 10, "Doc_0/big.bin": 64 * MIB})
    assert path.stat().st_size < MIB  # zeros compress ~1000:1

    facts = await inspect_container(path, LIMITS)

    assert facts.entries == 2 and facts.expanded_bytes == 64 * MIB + 10


async def test_too_many_entries_are_counted_without_reading_them(tmp_path: Path) -> None:
    path = _zip(tmp_path / "many.ofd", {"OFD.xml": 1, **{f"p/{i}.xml": 1 for i in range(30)}})
    facts = await inspect_container(path, LIMITS)
    assert (facts.entries, facts.expanded_bytes) == (31, 0)


async def test_an_archive_whose_directory_understates_an_entry_is_unreadable(tmp_path: Path) -> None:
    path = _zip(tmp_path / "liar.ofd", {"OFD.xml": 8 * MIB})
    data = bytearray(path.read_bytes())
    # Uncompressed size: local header offset 22, central directory entry offset 24 (APPNOTE 4.3.7, 4.3.12).
    struct.pack_into("<I", data, 22, 1024)
    central = data.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 1024)
    path.write_bytes(bytes(data))

    facts = await inspect_container(path, LIMITS)

    assert not facts.readable


async def test_bytes_that_are_no_zip_are_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "fake.ofd"
    path.write_bytes(b"PK\x03\x04" + bytes(100))
    assert not (await inspect_container(path, LIMITS)).readable
