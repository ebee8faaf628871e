"""Reading a .mcpack without trusting it: central-directory checks, limits, byte-limited streams."""

from __future__ import annotations

import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mcdesk.errors import PackError
from mcdesk.packs.manifest import MANIFEST_NAME, SIGNATURE_NAME, Manifest, path_problem

MiB = 1024 * 1024
CHUNK = MiB

# Everything that can go wrong inside zipfile on hostile bytes; always turned into PackError.
ZIP_ERRORS = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error, EOFError, ValueError,
    OverflowError, NotImplementedError, UnicodeDecodeError, KeyError, IndexError, RuntimeError,
    OSError,
)


@dataclass(frozen=True)
class Limits:
    """The caps documented in docs/pack-format.md (section 5)."""

    max_entries: int = 10_000
    max_file: int = 512 * MiB
    max_total: int = 4096 * MiB
    max_manifest: int = 4 * MiB
    max_signature: int = 4096
    max_ratio: int = 200
    ratio_min_size: int = 64 * 1024
    max_lesson: int = 4 * MiB
    max_quiz: int = 1 * MiB
    disk_margin: int = 64 * MiB


LIMITS = Limits()


class PackArchive:
    """An opened .mcpack whose central directory passed every structural check.

    Nothing here trusts the archive: entry names, kinds, sizes and ratios are checked before any
    byte of content is read, and every read is limited to the length the caller expects.
    """

    def __init__(self, path: Path, zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo]) -> None:
        self.path = path
        self.zf = zf
        self.infos = infos

    @classmethod
    def open(cls, path: Path, limits: Limits = LIMITS) -> PackArchive:
        name = path.name
        try:
            st = path.stat()
        except OSError as exc:
            raise PackError(f"{path} cannot be read ({exc.strerror or exc}).",
                            "Check the path and that the USB stick is still plugged in.") from exc
        if not stat.S_ISREG(st.st_mode):
            raise PackError(f"{path} is not a regular file.", "Give the path of a .mcpack file.")
        try:
            zf = zipfile.ZipFile(path)
        except ZIP_ERRORS as exc:
            raise PackError(f"{name} is not a readable pack archive ({_why(exc)}).",
                            "The file is damaged or is not an .mcpack; get a fresh copy.") from exc
        try:
            infos = _check_directory(name, zf, limits)
        except BaseException:
            zf.close()
            raise
        return cls(path, zf, infos)

    def close(self) -> None:
        self.zf.close()

    def __enter__(self) -> PackArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read_small(self, name: str, limit: int) -> bytes:
        info = self.infos[name]
        if info.file_size > limit:
            raise PackError(f"{self.path.name}: {name} is {info.file_size} bytes; the limit is {limit}.")
        return b"".join(self.stream(name, info.file_size))

    def stream(self, name: str, length: int) -> Iterator[bytes]:
        """The bytes of one entry, refusing it as soon as it yields more or fewer than ``length``."""
        info = self.infos[name]
        seen = 0
        try:
            with self.zf.open(info) as fh:
                while True:
                    chunk = fh.read(min(CHUNK, length - seen + 1))
                    if not chunk:
                        break
                    seen += len(chunk)
                    if seen > length:
                        raise PackError(
                            f"{self.path.name}: {name} holds more bytes than the manifest lists "
                            f"({length}).", "The pack was altered or is damaged; do not use it.")
                    yield chunk
        except ZIP_ERRORS as exc:
            raise PackError(f"{self.path.name}: {name} cannot be read ({_why(exc)}).",
                            "The pack is damaged; get a fresh copy.") from exc
        if seen != length:
            raise PackError(f"{self.path.name}: {name} holds {seen} bytes, but the manifest lists {length}.",
                            "The pack was altered or is damaged; do not use it.")

    def check_listing(self, manifest: Manifest) -> None:
        """The archive holds exactly the manifest's files, each with the listed length."""
        listed = set(manifest.files)
        present = set(self.infos) - {MANIFEST_NAME, SIGNATURE_NAME}
        extra = sorted(present - listed)
        if extra:
            raise PackError(f"{self.path.name}: {extra[0]} is in the archive but not in the manifest"
                            + (f" (and {len(extra) - 1} more)" if len(extra) > 1 else "") + ".",
                            "Unlisted files are never installed; the pack was altered. Do not use it.")
        missing = sorted(listed - present)
        if missing:
            raise PackError(f"{self.path.name}: {missing[0]} is listed in the manifest but missing from "
                            "the archive" + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "") + ".",
                            "The pack is incomplete; get a fresh copy.")
        for path, entry in manifest.files.items():
            if self.infos[path].file_size != entry.length:
                raise PackError(f"{self.path.name}: {path} is {self.infos[path].file_size} bytes in the "
                                f"archive but {entry.length} in the manifest.",
                                "The pack was altered or is damaged; do not use it.")


def _why(exc: BaseException) -> str:
    text = str(exc).strip()
    return text[:200] if text else type(exc).__name__


def _size(n: int) -> str:
    """Whole MiB when it is, else exact bytes: "4097 MiB" rounded down would read as within 4096 MiB."""
    return f"{n // MiB} MiB" if n >= MiB and n % MiB == 0 else f"{n:,} bytes"


def _check_directory(name: str, zf: zipfile.ZipFile, limits: Limits) -> dict[str, zipfile.ZipInfo]:
    entries = zf.infolist()
    if len(entries) > limits.max_entries:
        raise PackError(f"{name} has {len(entries)} entries; a pack may have at most {limits.max_entries}.",
                        "This is not a pack mcdesk will install.")
    infos: dict[str, zipfile.ZipInfo] = {}
    folded: dict[str, str] = {}
    total = 0
    for info in entries:
        entry = info.filename
        shown = repr(entry[:120])
        if entry in infos:
            raise PackError(f"{name}: the entry {shown} appears twice.",
                            "A pack with duplicate entries is refused; the file was crafted or damaged.")
        if entry.endswith("/") or info.is_dir():
            raise PackError(f"{name}: the entry {shown} is a folder entry; packs hold files only.",
                            "Rebuild the pack with `mcdesk pack build`.")
        problem = path_problem(entry)
        if problem:
            raise PackError(f"{name}: the entry {shown} is refused: {problem}.",
                            "The pack could write outside its folder; do not use it.")
        key = entry.casefold()
        if key in folded:
            raise PackError(f"{name}: the entries {folded[key]!r} and {shown} differ only in letter case.",
                            "Such a pack would overwrite its own files on Windows or macOS.")
        folded[key] = entry
        mode = info.external_attr >> 16
        if info.create_system == 3 and stat.S_IFMT(mode) and not stat.S_ISREG(mode):
            kind = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
            raise PackError(f"{name}: the entry {shown} is {kind}.",
                            "Packs hold regular files only; do not use this one.")
        if info.flag_bits & 0x1:
            raise PackError(f"{name}: the entry {shown} is encrypted.", "Packs are never encrypted.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackError(f"{name}: the entry {shown} uses compression method {info.compress_type}.",
                            "Packs use only stored or deflated entries; rebuild with `mcdesk pack build`.")
        if info.file_size > limits.max_file:
            raise PackError(f"{name}: the entry {shown} is {info.file_size} bytes; one file may be at most "
                            f"{_size(limits.max_file)}.", "Split large media into smaller files.")
        if info.file_size >= limits.ratio_min_size:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise PackError(f"{name}: the entry {shown} expands {ratio:.0f} times; the limit is "
                                f"{limits.max_ratio}.", "This looks like a zip bomb; do not use the file.")
        total += info.file_size
        infos[entry] = info
    if total > limits.max_total:
        raise PackError(f"{name} would unpack to {_size(total)}; a pack may be at most "
                        f"{_size(limits.max_total)}.", "This is not a pack mcdesk will install.")
    for required in (MANIFEST_NAME, SIGNATURE_NAME):
        if required not in infos:
            raise PackError(f"{name} has no {required}.",
                            "It is not a built pack; build it with `mcdesk pack build`.")
    return infos
