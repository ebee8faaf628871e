"""The `mcdesk` command: technician and author commands, and the desktop app when run bare."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mcdesk import __version__
from mcdesk.errors import Cancelled, McdeskError

if TYPE_CHECKING:  # argparse and the output helpers load only when a command line needs parsing
    import argparse

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_CANCELLED = 130


class _CommonSubparsers:
    """Adds the shared options (``--home``) to every subcommand parser it makes."""

    def __init__(self, action: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
        self.action, self.common = action, common

    def add_parser(self, name: str, **kwargs: object) -> argparse.ArgumentParser:
        return self.action.add_parser(name, parents=[self.common], **kwargs)  # type: ignore[arg-type]


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="mcdesk",
        description="Offline-first micro-credentials. Run without a command to open the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"mcdesk {__version__}")
    parser.add_argument("--home", metavar="DIR",
                        help="data folder to use (default: MCDESK_HOME, else the user data folder)")
    # --home is accepted before the command and after it (`mcdesk pack list --home DIR`).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home", metavar="DIR", default=argparse.SUPPRESS,
                        help="data folder to use (default: MCDESK_HOME, else the user data folder)")
    sub = _CommonSubparsers(parser.add_subparsers(dest="command", metavar="COMMAND"), common)

    # keys
    keys = sub.add_parser("keys", help="publisher key pairs (authors)")
    keys_sub = _CommonSubparsers(keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True), common)
    p = keys_sub.add_parser("new", help="make a publisher key pair",
                            description="Make an Ed25519 publisher key pair. The private key is encrypted with "
                            "a passphrase read from MCDESK_KEY_PASSPHRASE or asked for at a prompt.")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write NAME.key.pem and NAME.pub.pem into")
    p.add_argument("--name", default="publisher", help="file name stem (default: publisher)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func="keys_new")

    # pack
    pack = sub.add_parser("pack", help="build, verify, install, list and remove content packs")
    pack_sub = _CommonSubparsers(pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True), common)
    p = pack_sub.add_parser("build", help="build and sign a pack from an author's source folder",
                            description="Check a source folder (lessons, images, quizzes, ids) and write a "
                            "signed, deterministic .mcpack.")
    p.add_argument("src", metavar="SRC_DIR")
    p.add_argument("--key", required=True, metavar="KEY", help="the publisher's private key (.key.pem)")
    p.add_argument("-o", "--output", metavar="FILE", help="where to write the pack (default: ID-VERSION.mcpack)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func="pack_build")

    p = pack_sub.add_parser("verify", help="check a pack and report; installs nothing",
                            description="The technician's report: publisher and trust, signature, every "
                            "file's hash, version against the installed one, disk space, compatibility.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func="pack_verify")

    p = pack_sub.add_parser("install", help="install packs from files or folders (a USB stick)",
                            description="Install .mcpack files; folders are searched for *.mcpack.")
    p.add_argument("paths", metavar="PATH", nargs="*")
    p.add_argument("--samples", action="store_true", help="build and install the bundled sample packs")
    p.add_argument("--force-downgrade", action="store_true",
                   help="allow installing an equal or older version (an intended rollback)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(func="pack_install")

    p = pack_sub.add_parser("list", help="list installed packs")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func="pack_list")

    p = pack_sub.add_parser("remove", help="remove an installed pack (learner progress is kept)")
    p.add_argument("pack_id", metavar="PACK_ID")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func="pack_remove")

    p = pack_sub.add_parser("fetch", help="download a pack from the institution's catalog and install it",
                            description="Download a pack the institution's signed catalog lists (resuming an "
                            "interrupted download), check it against the catalog, and install it like any "
                            "pack: its publisher must be trusted here.")
    p.add_argument("pack_id", metavar="PACK_ID", help="the pack's id, as `mcdesk catalog list` shows it")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func="catalog:pack_fetch")

    # trust
    trust = sub.add_parser("trust", help="publisher keys trusted to sign packs (technicians)")
    trust_sub = _CommonSubparsers(trust.add_subparsers(dest="trust_command", metavar="ACTION", required=True), common)
    p = trust_sub.add_parser("add", help="trust a publisher's public key")
    p.add_argument("pubkey", metavar="PUBKEY", help="the publisher's .pub.pem file (or base64url raw key)")
    p.add_argument("--name", required=True, help="the publisher's name, as you want to see it")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func="trust_add")
    p = trust_sub.add_parser("list", help="list trusted publisher keys")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func="trust_list")
    p = trust_sub.add_parser("remove", help="stop trusting a key")
    p.add_argument("key_id", metavar="KEY_ID", help="the key id, or its first 8+ characters")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func="trust_remove")

    # bench
    p = sub.add_parser("bench", help="measure speed against plain tools on this machine",
                       description="Run the benchmark rows; each is a ratio to a floor measured in the same run.")
    p.add_argument("--json", action="store_true", help="print rows as JSON")
    p.add_argument("--quick", action="store_true", help="small sizes, for a smoke test (not for judging)")
    p.add_argument("--only", metavar="NAME", action="append", help="run only rows whose name contains NAME")
    p.set_defaults(func="bench")

    # Families of commands kept in their own modules (mcdesk/cli/<family>.py). Each module's
    # ``add_parsers(sub)`` adds its parsers and must import nothing heavy at module level; its
    # commands are named "<family>:<function>" in ``func``.
    import importlib

    for family in COMMAND_FAMILIES:
        importlib.import_module(f"mcdesk.cli.{family}").add_parsers(sub)
    return parser


COMMAND_FAMILIES: tuple[str, ...] = ("evidence", "sync", "hub", "catalog", "credential", "selftest")


def _command(func: str):  # noqa: ANN202 - returns a command function
    """``"name"`` is a function of mcdesk.cli.commands; ``"family:name"`` one of mcdesk.cli.<family>."""
    import importlib

    module, _, name = func.rpartition(":")
    return getattr(importlib.import_module(f"mcdesk.cli.{module or 'commands'}"), name)


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if getattr(sys, "frozen", False) and words[:1] == ["-m"] and len(words) > 1:
        # In the PyInstaller bundle sys.executable is this program: `mcdesk -m MODULE ARGS` stands in for
        # `python -m MODULE ARGS`, which the bench's desktop probes use.
        import runpy

        sys.argv = [words[1], *words[2:]]
        runpy.run_module(words[1], run_name="__main__", alter_sys=True)
        return EXIT_OK
    if not words:  # plain `mcdesk`: the desktop app, without building the whole command line
        from mcdesk.ui.app import run_app  # Qt is imported only when the window is wanted

        return run_app(home=None)
    args = build_parser().parse_args(words)
    if args.command is None:
        from mcdesk.ui.app import run_app

        return run_app(home=args.home)
    from mcdesk.cli.output import Output

    out = Output(json_mode=getattr(args, "json", False))
    # Commands are imported only when one runs, so opening the window stays quick.
    try:
        return int(_command(args.func)(args, out) or EXIT_OK)
    except Cancelled as exc:
        out.error(exc)
        return EXIT_CANCELLED
    except KeyboardInterrupt:
        out.error(Cancelled("Interrupted; nothing was changed."))
        return EXIT_CANCELLED
    except McdeskError as exc:
        out.error(exc)
        return EXIT_REFUSED
    except OSError as exc:  # a path given on the command line cannot be used (a file where a folder goes...)
        where = f"{exc.filename}" if exc.filename else "A file or folder"
        out.error(McdeskError(f"{where} cannot be used ({exc.strerror or exc}).",
                              "Check the paths given to the command and their permissions."))
        return EXIT_REFUSED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
