"""Building an author's source folder into a signed, deterministic .mcpack."""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.errors import PackError
from mcdesk.keys import key_id
from mcdesk.packs.archive import CHUNK, LIMITS
from mcdesk.packs.content import check_lesson, resolve
from mcdesk.packs.manifest import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    Manifest,
    load_json,
    manifest_from_dict,
    path_problem,
    serialise,
)
from mcdesk.packs.quiz import parse_quiz
from mcdesk.packs.signature import make_signature
from mcdesk.progress import NullReporter, Reporter, check_cancel

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
DEFLATE_LEVEL = 6
MIN_SAVING = 0.10


@dataclass
class BuildResult:
    path: Path
    manifest: Manifest
    key_id: str
    size_bytes: int
    sha256: str
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "path": str(self.path), "pack_id": self.manifest.id, "version": self.manifest.version,
            "display_version": self.manifest.display_version, "files": len(self.manifest.files),
            "key_id": self.key_id, "size_bytes": self.size_bytes, "sha256": self.sha256,
            "warnings": self.warnings,
        }


@dataclass(frozen=True)
class _SourceFile:
    path: str
    disk: Path
    length: int
    sha256: str
    deflate: bool


def source_files(src: Path) -> dict[str, Path]:
    """Every file an author's folder contributes, by pack path; refuses links and odd names."""
    found: dict[str, Path] = {}
    folded: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
        base = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        for d in dirnames:
            if (base / d).is_symlink():
                raise PackError(f"{base / d} is a symbolic link.", "Packs hold real files only; copy the folder in.")
        for name in sorted(filenames):
            disk = base / name
            rel = disk.relative_to(src).as_posix()
            if name.startswith(".") or rel == MANIFEST_NAME:
                continue
            mode = disk.lstat().st_mode
            if stat.S_ISLNK(mode) or not stat.S_ISREG(mode):
                raise PackError(f"{disk} is not a regular file (a link or a special file).",
                                "Packs hold real files only; replace it with a copy.")
            if rel == SIGNATURE_NAME:
                raise PackError(f"{disk}: {SIGNATURE_NAME} is written by the builder.",
                                "Delete it from the source folder.")
            problem = path_problem(rel)
            if problem:
                raise PackError(f"{disk}: this file name cannot go into a pack: {problem}.",
                                "Rename it using letters, digits, '.', '_', '-' and spaces.")
            if rel.casefold() in folded:
                raise PackError(f"{disk} and {folded[rel.casefold()]} differ only in letter case.",
                                "Rename one: they would collide on Windows and macOS.")
            folded[rel.casefold()] = rel
            found[rel] = disk
    return found


def build_pack(src: Path, key: Ed25519PrivateKey, out: Path | None = None,
               reporter: Reporter | None = None) -> BuildResult:
    """Check ``src`` like an installer would, then write a signed .mcpack (same input, same bytes)."""
    reporter = reporter or NullReporter()
    src = Path(src)
    manifest_path = src / MANIFEST_NAME
    if not src.is_dir():
        raise PackError(f"{src} is not a folder.", "Give the pack's source folder.")
    if not manifest_path.is_file():
        raise PackError(f"{src} has no {MANIFEST_NAME}.", "Every pack source folder starts with a manifest.json.")
    author = load_json(manifest_path.read_bytes(), f"{src.name}/{MANIFEST_NAME}")
    warnings: list[str] = []
    if isinstance(author, dict) and "files" in author:
        warnings.append("manifest.json lists 'files'; the builder replaced it with what the folder holds.")
        author = {k: v for k, v in author.items() if k != "files"}
    # Validate the author's part first, so a typo is reported before any hashing.
    manifest_from_dict(author, source=f"{src.name}/{MANIFEST_NAME}", require_files=False)

    disk_files = source_files(src)
    reporter.stage("Reading files", len(disk_files))
    files: dict[str, _SourceFile] = {}
    for rel, disk in disk_files.items():
        check_cancel(reporter)
        files[rel] = _measure(rel, disk)
        reporter.advance(1)
    raw = dict(author)
    raw["files"] = {f.path: {"length": f.length, "sha256": f.sha256} for f in files.values()}
    manifest_bytes = serialise(raw)
    if len(manifest_bytes) > LIMITS.max_manifest:
        raise PackError(f"The manifest would be {len(manifest_bytes)} bytes; the limit is {LIMITS.max_manifest}.")
    manifest = manifest_from_dict(load_json(manifest_bytes, MANIFEST_NAME), source=f"{src.name}/{MANIFEST_NAME}")

    referenced = _check_content(manifest, files)
    for rel in sorted(set(files) - referenced):
        warnings.append(f"{rel} is not used by any lesson or module (it is packed anyway).")
    _check_limits(files)

    out = Path(out) if out else Path.cwd() / f"{manifest.id}-{manifest.version}.mcpack"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    reporter.stage(f"Writing {out.name}", sum(f.length for f in files.values()))
    try:
        _write_zip(tmp, manifest_bytes, make_signature(manifest_bytes, key), files, reporter)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    digest = hashlib.sha256()
    with open(out, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return BuildResult(out, manifest, key_id(key.public_key()), out.stat().st_size, digest.hexdigest(), warnings)


def _measure(rel: str, disk: Path) -> _SourceFile:
    """Length, sha256 and whether deflate saves at least 10%, in one streaming read."""
    digest = hashlib.sha256()
    compressor = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
    length = compressed = 0
    try:
        with open(disk, "rb") as fh:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                length += len(chunk)
                digest.update(chunk)
                compressed += len(compressor.compress(chunk))
    except OSError as exc:
        raise PackError(f"{disk} cannot be read ({exc.strerror}).") from exc
    compressed += len(compressor.flush())
    return _SourceFile(rel, disk, length, digest.hexdigest(), compressed <= length * (1 - MIN_SAVING))


def _check_content(manifest: Manifest, files: dict[str, _SourceFile]) -> set[str]:
    """Lessons readable with every link and image inside the pack; quizzes valid. Returns used paths."""
    used: set[str] = set()
    names = set(files)
    for item in manifest.items():
        used.add(item.path)
        data = files[item.path].disk.read_bytes()
        if item.type == "lesson":
            for ref in check_lesson(item.path, data, names):
                target = resolve(item.path, ref.target)
                if target:
                    used.add(target)
        else:
            if len(data) > LIMITS.max_quiz:
                raise PackError(f"{item.path}: a quiz file may be at most {LIMITS.max_quiz} bytes.")
            parse_quiz(data, path=item.path, expected_id=item.id)
    return used


def _check_limits(files: dict[str, _SourceFile]) -> None:
    if len(files) + 2 > LIMITS.max_entries:
        raise PackError(f"The pack would hold {len(files) + 2} files; the limit is {LIMITS.max_entries}.")
    for f in files.values():
        if f.length > LIMITS.max_file:
            raise PackError(f"{f.path} is larger than {LIMITS.max_file // (1024 * 1024)} MiB.",
                            "Split large media into smaller files.")
    if sum(f.length for f in files.values()) > LIMITS.max_total:
        raise PackError("The pack would be larger than the 4 GiB limit.", "Split it into several packs.")


def _zip_info(name: str, deflate: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.create_system = 3
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    return info


def _write_zip(target: Path, manifest_bytes: bytes, sig_bytes: bytes, files: dict[str, _SourceFile],
               reporter: Reporter) -> None:
    with zipfile.ZipFile(target, "w", allowZip64=True, compresslevel=DEFLATE_LEVEL) as zf:
        zf.writestr(_zip_info(MANIFEST_NAME, True), manifest_bytes, compresslevel=DEFLATE_LEVEL)
        zf.writestr(_zip_info(SIGNATURE_NAME, False), sig_bytes)
        for rel in sorted(files):
            f = files[rel]
            info = _zip_info(rel, f.deflate)
            info.file_size = f.length
            digest = hashlib.sha256()
            with open(f.disk, "rb") as src, zf.open(info, "w", force_zip64=f.length > 2**31) as dst:
                for chunk in iter(lambda src=src: src.read(CHUNK), b""):
                    check_cancel(reporter)
                    digest.update(chunk)
                    dst.write(chunk)
                    reporter.advance(len(chunk))
            if digest.hexdigest() != f.sha256:
                raise PackError(f"{f.disk} changed while the pack was being built.", "Build again.")
