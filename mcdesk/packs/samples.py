"""The bundled sample packs: built and signed on this laptop with a key made for this installation."""

from __future__ import annotations

import shutil
import tempfile
from importlib import resources
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.errors import PackError
from mcdesk.home import Home
from mcdesk.keys import key_id, load_private_key, new_key_pair
from mcdesk.packs.build import build_pack
from mcdesk.packs.install import InstallResult, PackManager
from mcdesk.packs.manifest import MANIFEST_NAME, load_json
from mcdesk.packs.trust import ORIGIN_LOCAL_SAMPLE
from mcdesk.progress import NullReporter, Reporter, check_cancel

SAMPLE_KEY_NAME = "sample-publisher"
SAMPLE_PUBLISHER = "Local sample publisher"


def sample_sources() -> list[Path]:
    """The author source folders of the bundled samples, in a stable order."""
    root = Path(str(resources.files("mcdesk.content_packs")))
    folders = sorted(p for p in root.iterdir() if p.is_dir() and (p / MANIFEST_NAME).is_file())
    if not folders:
        raise PackError(f"No sample packs were found in {root}.", "Reinstall mcdesk.")
    return folders


def sample_key(home: Home, manager: PackManager) -> Ed25519PrivateKey:
    """This installation's sample-signing key, made on first use and trusted as the local sample publisher."""
    path = home.keys / f"{SAMPLE_KEY_NAME}.key.pem"
    if not path.exists():
        new_key_pair(home.keys, SAMPLE_KEY_NAME, passphrase=None)
    key = load_private_key(path, None)
    if manager.trust.get(key_id(key.public_key())) is None:
        manager.trust.add(key.public_key(), SAMPLE_PUBLISHER, origin=ORIGIN_LOCAL_SAMPLE)
    return key


def install_samples(home: Home, manager: PackManager, reporter: Reporter | None = None
                    ) -> list[InstallResult]:
    """Build and install every sample not installed yet (or installed at a lower version)."""
    reporter = reporter or NullReporter()
    key = sample_key(home, manager)
    results = []
    work = Path(tempfile.mkdtemp(prefix="samples-", dir=home.root))
    try:
        for src in sample_sources():
            check_cancel(reporter)
            raw = load_json((src / MANIFEST_NAME).read_bytes(), f"{src.name}/{MANIFEST_NAME}")
            installed = manager.get(raw.get("id")) if isinstance(raw, dict) else None
            if installed is not None and installed.version >= raw.get("version", 0):
                continue
            built = build_pack(src, key, work / f"{src.name}.mcpack", reporter)
            results.append(manager.install(built.path, reporter))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def ensure_samples(home: Home, manager: PackManager, reporter: Reporter | None = None) -> list[InstallResult]:
    """At start-up: with no pack installed, install the samples so a new user sees real content."""
    if manager.list():
        return []
    return install_samples(home, manager, reporter)
