"""The `mcdesk catalog list` and `mcdesk pack fetch` commands: packs from the institution's signed catalog."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from mcdesk.cli.common import opened

if TYPE_CHECKING:
    from mcdesk.cli.output import Output
    from mcdesk.packs.install import PackManager


def add_parsers(sub: Any) -> None:
    """Add this family's parsers to sub (a _CommonSubparsers); commands are "catalog:<function>"."""
    catalog = sub.add_parser("catalog", help="the institution's signed catalog of packs",
                             description="Packs the institution offers to this laptop (it must be enrolled). "
                             "Download one with `mcdesk pack fetch PACK_ID`.")
    actions = type(sub)(catalog.add_subparsers(dest="catalog_command", metavar="ACTION", required=True), sub.common)
    p = actions.add_parser("list", help="fetch and verify the catalog; list its packs against what is installed")
    p.add_argument("--json", action="store_true", help="print the catalog as JSON")
    p.set_defaults(func="catalog:catalog_list")


@contextmanager
def _manager(args: argparse.Namespace) -> Iterator[PackManager]:
    from mcdesk.packs.install import PackManager

    with opened(args) as (home, store):
        yield PackManager(home, store)


def catalog_list(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.sync.catalog import list_catalog

    with _manager(args) as manager:
        catalog, rows = list_catalog(manager.home, manager.store, manager)
    if out.json_mode:
        out.json({**catalog.as_json(), "packs": rows})
        return 0
    state = "EXPIRED — no new downloads until the institution renews it" if catalog.expired() else "valid"
    out.line(f"Catalog version {catalog.version} from {catalog.institution_id}, issued {catalog.issued}, "
             f"expires {catalog.expires} ({state}).")
    if not rows:
        out.line("It lists no packs.")
    for row in rows:
        installed = f"installed {row['installed_version']}" if row["installed_version"] else "not installed"
        out.line(f"  {row['id']:32} {row['version']:>5} ({row['display_version']})  {row['length']:>12,} bytes  "
                 f"{row['state']:15} {installed}  {row['title']}")
    return 0


def pack_fetch(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.sync.catalog import fetch_pack

    with _manager(args) as manager:
        reporter = out.reporter()
        try:
            result = fetch_pack(manager.home, manager.store, manager, args.pack_id, reporter)
        finally:
            reporter.close()
    if out.json_mode:
        out.json(result.as_json())
        return 0
    if result.install is None:
        out.line(f"{args.pack_id} version {result.version} is already installed; nothing to fetch.")
        return 0
    how = f"resumed at {result.resumed_from:,} bytes" if result.resumed_from else "downloaded"
    if result.restarted:
        how += ", restarted because the pack changed at the hub"
    done = result.install
    verb = {"update": "Updated", "downgrade": "Rolled back", "reinstall": "Reinstalled"}.get(done.action, "Installed")
    out.line(f"{verb} {done.title} {done.display_version} (version {done.version}) from the "
             f"institution's catalog ({how}; {result.downloaded:,} bytes transferred).")
    return 0
