"""The CLI's commands: thin adapters that parse arguments, call core managers and print."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mcdesk.cli.output import Output
from mcdesk.errors import Cancelled, McdeskError, PackError, TrustError
from mcdesk.home import Home
from mcdesk.keys import load_private_key, load_public_key, new_key_pair, short_id
from mcdesk.packs.install import PackManager, scan_for_packs
from mcdesk.packs.trust import ORIGIN_LABELS
from mcdesk.store.db import open_store

PASSPHRASE_ENV = "MCDESK_KEY_PASSPHRASE"


@contextmanager
def manager_for(args: argparse.Namespace) -> Iterator[PackManager]:
    home = Home.open(args.home)
    store = open_store(home)
    try:
        yield PackManager(home, store)
    finally:
        store.close()


def _passphrase(confirm: bool) -> str:
    value = os.environ.get(PASSPHRASE_ENV)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise TrustError("No passphrase: there is no terminal to ask on.",
                         f"Set {PASSPHRASE_ENV} to the key's passphrase.")
    first = getpass.getpass("Key passphrase: ")
    if confirm and getpass.getpass("Repeat the passphrase: ") != first:
        raise TrustError("The two passphrases differ.", "Nothing was written; try again.")
    return first


# --- keys ----------------------------------------------------------------------------------


def keys_new(args: argparse.Namespace, out: Output) -> int:
    files = new_key_pair(Path(args.out), args.name, _passphrase(confirm=True))
    if out.json_mode:
        out.json({"private_key": str(files.private), "public_key": str(files.public), "key_id": files.key_id})
        return 0
    out.line(f"Private key: {files.private}  (keep it secret, keep a backup)")
    out.line(f"Public key:  {files.public}  (give this to technicians)")
    out.line(f"Key id:      {files.key_id}")
    return 0


# --- pack ----------------------------------------------------------------------------------


def pack_build(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.packs.build import build_pack

    key_path = Path(args.key)
    try:
        key = load_private_key(key_path, None)
    except TrustError as exc:
        if "encrypted" not in exc.message:
            raise
        key = load_private_key(key_path, _passphrase(confirm=False))
    reporter = out.reporter()
    result = build_pack(Path(args.src), key, Path(args.output) if args.output else None, reporter)
    reporter.close()
    for warning in result.warnings:
        out.note(f"warning: {warning}")
    if out.json_mode:
        out.json(result.as_json())
        return 0
    m = result.manifest
    out.line(f"Built {result.path}")
    out.line(f"  {m.title} ({m.id}) version {m.version} ({m.display_version}), {len(m.files)} files, "
             f"{result.size_bytes:,} bytes")
    out.line(f"  signed with key {short_id(result.key_id)}; sha256 {result.sha256}")
    return 0


def pack_verify(args: argparse.Namespace, out: Output) -> int:
    with manager_for(args) as manager:
        reporter = out.reporter()
        report = manager.verify(Path(args.file), reporter)
        reporter.close()
    if out.json_mode:
        out.json(report.as_json())
    else:
        if report.pack_id:
            out.line(f"{report.title} — {report.pack_id} version {report.version} ({report.display_version})")
            out.line(f"  publisher: {report.publisher}; signed by key {short_id(report.key_id or '')}"
                     + (f", trusted as {report.trusted_as!r}" if report.trusted_as else ", NOT trusted here"))
        for check in report.checks:
            out.line(f"  [{'ok' if check.ok else 'FAIL'}] {check.name}: {check.detail}")
        out.line("Verdict: " + ("ready to install." if report.ok else "do not install (see FAIL above)."))
    return 0 if report.ok else 1


def pack_install(args: argparse.Namespace, out: Output) -> int:
    if not args.paths and not args.samples:
        raise PackError("Nothing to install.", "Give .mcpack files or folders, or --samples.")
    results, failures = [], []
    with manager_for(args) as manager:
        reporter = out.reporter()
        if args.samples:
            from mcdesk.packs.samples import install_samples

            done = install_samples(manager.home, manager, reporter)
            results.extend({"path": "(samples)", "ok": True, **r.as_json()} for r in done)
            if not done:
                out.note("The sample packs are already installed.")
        paths = scan_for_packs(Path(p) for p in args.paths)
        if args.paths and not paths:
            raise PackError("No .mcpack files were found there.", "Check the folder or USB stick.")
        for path in paths:
            try:
                result = manager.install(path, reporter, force_downgrade=args.force_downgrade)
            except Cancelled:
                raise
            except McdeskError as exc:
                failures.append({"path": str(path), "ok": False, "error": exc.message, "hint": exc.hint})
                if not out.json_mode:
                    reporter.close()
                    out.note(f"mcdesk: refused {path.name}: {exc.message}")
                    if exc.hint:
                        out.note(f"  {exc.hint}")
                continue
            results.append({"path": str(path), "ok": True, **result.as_json()})
        reporter.close()
    if out.json_mode:
        out.json(results + failures)
    else:
        for r in results:
            before = f" (was {r['previous_version']})" if r["previous_version"] is not None else ""
            out.line(f"{r['action']}: {r['title']} {r['display_version']} — version {r['version']}{before}, "
                     f"{r['file_count']} files")
        if failures:
            out.line(f"{len(failures)} of {len(failures) + len(results)} packs were refused.")
    return 1 if failures else 0


def pack_list(args: argparse.Namespace, out: Output) -> int:
    with manager_for(args) as manager:
        packs = manager.list()
    if out.json_mode:
        out.json([p.as_json() for p in packs])
        return 0
    if not packs:
        out.line("No packs are installed. Install some with `mcdesk pack install PATH` or --samples.")
    for p in packs:
        out.line(f"{p.id:45} v{p.version:<4} {p.display_version:10} {p.title}  ({p.size_bytes / 1e6:.1f} MB)")
    return 0


def pack_remove(args: argparse.Namespace, out: Output) -> int:
    with manager_for(args) as manager:
        removed = manager.remove(args.pack_id)
    if out.json_mode:
        out.json({"ok": True, "removed": removed.as_json()})
    else:
        out.line(f"Removed {removed.title} ({removed.id}) version {removed.version}. "
                 "Learners' progress is kept and returns if the pack is installed again.")
    return 0


# --- trust ---------------------------------------------------------------------------------


def trust_add(args: argparse.Namespace, out: Output) -> int:
    key = load_public_key(args.pubkey)
    with manager_for(args) as manager:
        trusted = manager.trust.add(key, args.name)
    if out.json_mode:
        out.json(trusted.as_json())
    else:
        out.line(f"Trusted {trusted.name!r}: key {trusted.key_id}")
    return 0


def trust_list(args: argparse.Namespace, out: Output) -> int:
    with manager_for(args) as manager:
        keys = manager.trust.list()
    if out.json_mode:
        out.json([k.as_json() for k in keys])
        return 0
    if not keys:
        out.line("No publisher keys are trusted yet. Add one with `mcdesk trust add FILE --name NAME`.")
    for k in keys:
        out.line(f"{short_id(k.key_id)}  {k.name}  ({ORIGIN_LABELS.get(k.origin, k.origin)}, added {k.added_at})")
    return 0


def trust_remove(args: argparse.Namespace, out: Output) -> int:
    with manager_for(args) as manager:
        removed = manager.trust.remove(args.key_id)
    if out.json_mode:
        out.json({"ok": True, "removed": removed.as_json()})
    else:
        out.line(f"No longer trusted: {removed.name!r} ({short_id(removed.key_id)}). Installed packs stay; "
                 "new packs signed with this key will be refused.")
    return 0


# --- bench ---------------------------------------------------------------------------------


def bench(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.bench import run_bench
    from mcdesk.bench_report import machine, summary, verdict_lines

    rows = run_bench(quick=args.quick, only=args.only, log=out.note)
    result = summary(rows, partial=bool(args.only))
    if out.json_mode:
        out.json({"machine": machine(), "quick": bool(args.quick), "rows": [row.as_json() for row in rows],
                  "summary": result})
        return 0
    width = max([len("row"), *(len(row.name) for row in rows)])
    out.line(f"{'row':{width}} {'value':>10} {'floor':>10} {'unit':6} {'ratio':>6}  {'goal':8} ok")
    for row in rows:
        met = ("yes" if row.ok else "NO") if row.measured else "not measured"
        out.line(f"{row.name:{width}} {row.value:>10.2f} {row.floor:>10.2f} {row.unit:6} "
                 f"{row.ratio:>6.2f}  {row.goal:8} {met}")
        if row.budget:
            out.line(f"    budget: {row.budget.text}: {'held' if row.budget.held else 'NOT HELD'}")
        if row.note:
            out.line(f"    note: {row.note}")
    out.line("")
    for line in verdict_lines(result):
        out.line(line)
    if args.quick:
        out.line("(A quick run: small sizes, for a smoke test; do not judge the laptop by it.)")
    return 0
