"""Writing .mcpack archives by hand, so a test can put exactly one defect into a valid pack.

``zipfile`` refuses to write most of the things an attacker would put into an archive (lying sizes,
links, odd compression methods, duplicate names without a warning), so the archive is written here
byte by byte: local headers, data, central directory, end record. Everything else is real: the
manifest is serialised with :func:`mcdesk.packs.manifest.serialise` and signed with a real Ed25519
key by :func:`mcdesk.packs.signature.make_signature`.
"""

from __future__ import annotations

import hashlib
import json
import stat
import struct
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.packs.manifest import MANIFEST_NAME, SIGNATURE_NAME, serialise
from mcdesk.packs.signature import make_signature
from tests.conftest import minimal_source

STORED = 0
DEFLATED = 8
REGULAR = (stat.S_IFREG | 0o644) << 16
DOS_DATE_1980 = (1 << 5) | 1  # 1980-01-01
UTF8_FLAG = 0x800


@dataclass
class Entry:
    """One archive entry, honest unless a field says otherwise."""

    name: str
    data: bytes
    method: int = DEFLATED
    payload: bytes | None = (
        None  # the stored (compressed) bytes; default: ``data`` compressed by ``method``
    )
    crc: int | None = None  # default: crc32 of ``data``
    file_size: int | None = None  # the uncompressed size the headers claim; default: len(data)
    flags: int = UTF8_FLAG
    create_system: int = 3
    external_attr: int = REGULAR

    def compressed(self) -> bytes:
        if self.payload is not None:
            return self.payload
        if self.method == DEFLATED:
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            return c.compress(self.data) + c.flush()
        return self.data


def write_zip(path: Path, entries: list[Entry]) -> Path:
    out = bytearray()
    central = bytearray()
    for e in entries:
        name = e.name.encode("utf-8")
        payload = e.compressed()
        crc = zlib.crc32(e.data) if e.crc is None else e.crc
        size = len(e.data) if e.file_size is None else e.file_size
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            e.flags,
            e.method,
            0,
            DOS_DATE_1980,
            crc,
            len(payload),
            size,
            len(name),
            0,
        )
        out += name + payload
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            (e.create_system << 8) | 20,
            20,
            e.flags,
            e.method,
            0,
            DOS_DATE_1980,
            crc,
            len(payload),
            size,
            len(name),
            0,
            0,
            0,
            0,
            e.external_attr,
            offset,
        )
        central += name
    cd_offset = len(out)
    out += central
    out += struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), cd_offset, 0
    )
    path.write_bytes(bytes(out))
    return path


def listing(files: dict[str, bytes]) -> dict[str, dict[str, Any]]:
    return {
        p: {"length": len(d), "sha256": hashlib.sha256(d).hexdigest()}
        for p, d in sorted(files.items())
    }


@dataclass
class Craft:
    """The parts of a valid pack (author manifest, files, key) that a test bends one way."""

    author: dict[str, Any]
    files: dict[str, bytes]
    key: Ed25519PrivateKey
    listed: dict[str, bytes] | None = (
        None  # what the manifest lists, when it differs from ``files``
    )
    extra_entries: list[Entry] = field(default_factory=list)

    @classmethod
    def from_source(cls, folder: Path, key: Ed25519PrivateKey, **kwargs: Any) -> Craft:
        src = minimal_source(folder, **kwargs)
        author = json.loads((src / MANIFEST_NAME).read_text(encoding="utf-8"))
        files = {
            p.relative_to(src).as_posix(): p.read_bytes()
            for p in sorted(src.rglob("*"))
            if p.is_file() and p.name != MANIFEST_NAME
        }
        return cls(author, files, key)

    def manifest_dict(self) -> dict[str, Any]:
        return {**self.author, "files": listing(self.files if self.listed is None else self.listed)}

    def manifest_bytes(self) -> bytes:
        return serialise(self.manifest_dict())

    def entries(
        self, manifest_bytes: bytes | None = None, signed_bytes: bytes | None = None
    ) -> list[Entry]:
        """manifest.json, manifest.sig (over ``signed_bytes``, default the manifest), then files."""
        mb = self.manifest_bytes() if manifest_bytes is None else manifest_bytes
        sig = make_signature(mb if signed_bytes is None else signed_bytes, self.key)
        return (
            [Entry(MANIFEST_NAME, mb), Entry(SIGNATURE_NAME, sig, STORED)]
            + [Entry(p, d) for p, d in sorted(self.files.items())]
            + list(self.extra_entries)
        )

    def write(self, path: Path, entries: list[Entry] | None = None) -> Path:
        return write_zip(path, self.entries() if entries is None else entries)


def with_entry(entries: list[Entry], name: str, **changes: Any) -> list[Entry]:
    """``entries`` with the one named ``name`` changed."""
    assert any(e.name == name for e in entries), name
    return [replace(e, **changes) if e.name == name else e for e in entries]
