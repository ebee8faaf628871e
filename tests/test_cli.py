"""The `mcdesk` command, driven in-process through mcdesk.cli.main and as `python -m mcdesk`."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mcdesk.cli import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, build_parser, main
from mcdesk.errors import TrustError
from mcdesk.keys import load_private_key
from tests.conftest import minimal_source

REPO = Path(__file__).resolve().parent.parent
PACK = "org.example.test"


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> object:
        return json.loads(self.out)


class Cli:
    """Runs `mcdesk --home HOME ...` in this process and captures what it prints."""

    def __init__(self, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.home = home
        self.capsys = capsys

    def __call__(self, *args: str | Path, home: bool = True) -> Run:
        argv = (["--home", str(self.home)] if home else []) + [str(a) for a in args]
        self.capsys.readouterr()
        code = main(argv)
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path / "cli-home", capsys)


@dataclass(frozen=True)
class Publisher:
    private: Path
    public: Path
    key_id: str


@pytest.fixture
def publisher(cli: Cli, tmp_path: Path) -> Publisher:
    """A key pair made with `keys new` (passphrase from MCDESK_KEY_PASSPHRASE) and trusted."""
    made = cli("keys", "new", "--out", tmp_path / "keys", "--name", "acme", "--json")
    assert made.code == EXIT_OK, made.err
    data = made.json()
    trusted = cli("trust", "add", data["public_key"], "--name", "Acme Learning", "--json")
    assert trusted.code == EXIT_OK, trusted.err
    assert trusted.json()["key_id"] == data["key_id"]
    return Publisher(Path(data["private_key"]), Path(data["public_key"]), data["key_id"])


def build(cli: Cli, publisher: Publisher, src: Path, out: Path) -> Path:
    result = cli("pack", "build", src, "--key", publisher.private, "--output", out)
    assert result.code == EXIT_OK, result.err
    return out


# --- keys ----------------------------------------------------------------------------------


def test_keys_new_writes_a_key_pair_encrypted_with_the_passphrase_from_the_environment(
    cli: Cli, tmp_path: Path
) -> None:
    result = cli("keys", "new", "--out", tmp_path / "k", "--name", "author")
    assert result.code == EXIT_OK, result.err
    private, public = tmp_path / "k" / "author.key.pem", tmp_path / "k" / "author.pub.pem"
    assert f"Private key: {private}" in result.out and f"Public key:  {public}" in result.out
    assert b"ENCRYPTED PRIVATE KEY" in private.read_bytes()
    assert b"PUBLIC KEY" in public.read_bytes()
    assert private.stat().st_mode & 0o777 == 0o600
    with pytest.raises(TrustError, match="is encrypted"):
        load_private_key(private, None)
    load_private_key(private, os.environ["MCDESK_KEY_PASSPHRASE"])


def test_keys_new_refuses_to_overwrite_an_existing_key(cli: Cli, tmp_path: Path) -> None:
    assert cli("keys", "new", "--out", tmp_path / "k").code == EXIT_OK
    before = (tmp_path / "k" / "publisher.key.pem").read_bytes()
    again = cli("keys", "new", "--out", tmp_path / "k", "--json")
    assert again.code == EXIT_REFUSED
    assert "publisher.key.pem already exists" in again.err
    assert again.json()["type"] == "TrustError" and again.json()["ok"] is False
    assert (tmp_path / "k" / "publisher.key.pem").read_bytes() == before


def test_keys_new_refuses_a_short_passphrase_and_writes_nothing(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MCDESK_KEY_PASSPHRASE", "short")
    result = cli("keys", "new", "--out", tmp_path / "k")
    assert result.code == EXIT_REFUSED
    assert "The passphrase is too short (at least 8 characters)" in result.err
    assert not (tmp_path / "k").exists() or list((tmp_path / "k").iterdir()) == []


def test_unusable_paths_are_refused_with_a_message_not_a_traceback(
    cli: Cli, publisher: Publisher, tmp_path: Path
) -> None:
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder")
    keys = cli("keys", "new", "--out", in_the_way, "--json")
    assert keys.code == EXIT_REFUSED
    assert f"mcdesk: {in_the_way} cannot be used (File exists)." in keys.err
    assert keys.json()["ok"] is False
    src = minimal_source(tmp_path / "src")
    built = cli("pack", "build", src, "--key", publisher.private, "-o", in_the_way / "p.mcpack")
    assert built.code == EXIT_REFUSED and "cannot be used" in built.err
    home = Cli(in_the_way / "home", cli.capsys)("pack", "list")
    assert home.code == EXIT_REFUSED and "cannot be created or written" in home.err


# --- pack build / verify / install / list / remove -----------------------------------------


def test_pack_round_trip_in_plain_text(cli: Cli, publisher: Publisher, tmp_path: Path) -> None:
    src = minimal_source(tmp_path / "src", extra_files={"media/spare.svg": b"<svg/>"})
    built = cli("pack", "build", src, "--key", publisher.private, "-o", tmp_path / "p.mcpack")
    assert built.code == EXIT_OK, built.err
    assert f"Built {tmp_path / 'p.mcpack'}" in built.out
    assert "Test pack (org.example.test) version 1 (1.1.0), 5 files" in built.out
    assert "warning: media/spare.svg is not used by any lesson or module" in built.err

    verified = cli("pack", "verify", tmp_path / "p.mcpack")
    assert verified.code == EXIT_OK
    assert "trusted as 'Acme Learning'" in verified.out
    assert "[ok] signature" in verified.out and "Verdict: ready to install." in verified.out

    installed = cli("pack", "install", tmp_path / "p.mcpack")
    assert installed.code == EXIT_OK, installed.err
    assert "install: Test pack 1.1.0 — version 1, 5 files" in installed.out

    listed = cli("pack", "list")
    assert listed.code == EXIT_OK and PACK in listed.out and "Test pack" in listed.out

    removed = cli("pack", "remove", PACK)
    assert removed.code == EXIT_OK
    assert "Removed Test pack (org.example.test) version 1" in removed.out
    assert "No packs are installed" in cli("pack", "list").out


def test_pack_round_trip_with_json(cli: Cli, publisher: Publisher, tmp_path: Path) -> None:
    src = minimal_source(tmp_path / "src")
    built = cli(
        "pack", "build", src, "--key", publisher.private, "-o", tmp_path / "p.mcpack", "--json"
    )
    assert built.code == EXIT_OK
    data = built.json()
    assert (data["pack_id"], data["version"], data["files"]) == (PACK, 1, 4)
    assert data["key_id"] == publisher.key_id and data["warnings"] == []

    report = cli("pack", "verify", tmp_path / "p.mcpack", "--json")
    assert report.code == EXIT_OK
    body = report.json()
    assert body["ok"] is True and body["pack_id"] == PACK and body["trusted_as"] == "Acme Learning"
    assert {c["name"] for c in body["checks"]} >= {"archive", "manifest", "signature", "files"}

    installed = cli("pack", "install", tmp_path / "p.mcpack", "--json")
    assert installed.code == EXIT_OK
    [row] = installed.json()
    assert row["ok"] is True and row["action"] == "install" and row["pack_id"] == PACK
    assert Path(row["folder"]).is_dir() and Path(row["folder"]).is_relative_to(cli.home)

    [pack] = cli("pack", "list", "--json").json()
    assert pack["id"] == PACK and pack["version"] == 1 and pack["key_id"] == publisher.key_id

    removed = cli("pack", "remove", PACK, "--json")
    assert removed.code == EXIT_OK and removed.json()["removed"]["id"] == PACK
    assert cli("pack", "list", "--json").json() == []


def test_refusals_exit_non_zero_with_a_clear_message(
    cli: Cli, publisher: Publisher, tmp_path: Path
) -> None:
    pack = build(cli, publisher, minimal_source(tmp_path / "src"), tmp_path / "p.mcpack")
    assert cli("pack", "install", pack).code == EXIT_OK

    again = cli("pack", "install", pack)
    assert again.code == EXIT_REFUSED
    assert "refused p.mcpack: Test pack version 1 is already installed" in again.err
    assert "1 of 1 packs were refused." in again.out
    [failure] = cli("pack", "install", pack, "--json").json()
    assert failure["ok"] is False and "already installed" in failure["error"]
    assert "--force-downgrade" in failure["hint"]
    forced = cli("pack", "install", pack, "--force-downgrade", "--json")
    assert forced.code == EXIT_OK and forced.json()[0]["action"] == "reinstall"

    gone = cli("pack", "remove", "org.example.nothing", "--json")
    assert gone.code == EXIT_REFUSED
    assert gone.json() == {
        "ok": False,
        "type": "PackError",
        "error": "No pack 'org.example.nothing' is installed.",
        "hint": "`mcdesk pack list` shows what is.",
    }
    assert "mcdesk: No pack 'org.example.nothing' is installed." in gone.err

    nothing = cli("pack", "install")
    assert nothing.code == EXIT_REFUSED and "Nothing to install." in nothing.err
    missing = cli("pack", "install", tmp_path / "no-such.mcpack")
    assert missing.code == EXIT_REFUSED and "does not exist" in missing.err
    empty = tmp_path / "empty-stick"
    empty.mkdir()
    assert "No .mcpack files were found there." in cli("pack", "install", empty).err

    bad_src = minimal_source(tmp_path / "bad-src")
    (bad_src / "lessons" / "02.md").write_text("![x](https://example.org/x.png)\n")
    bad = cli("pack", "build", bad_src, "--key", publisher.private, "-o", tmp_path / "bad.mcpack")
    assert bad.code == EXIT_REFUSED and "is not inside the pack" in bad.err
    assert not (tmp_path / "bad.mcpack").exists()


def test_verify_of_an_untrusted_pack_exits_one_and_says_so(
    cli: Cli, publisher: Publisher, tmp_path: Path
) -> None:
    pack = build(cli, publisher, minimal_source(tmp_path / "src"), tmp_path / "p.mcpack")
    assert cli("trust", "remove", publisher.key_id[:12]).code == EXIT_OK
    text = cli("pack", "verify", pack)
    assert text.code == EXIT_REFUSED
    assert "NOT trusted here" in text.out and "[FAIL] signature" in text.out
    assert "Verdict: do not install" in text.out
    report = cli("pack", "verify", pack, "--json")
    assert report.code == EXIT_REFUSED and report.json()["ok"] is False
    assert cli("pack", "install", pack).code == EXIT_REFUSED
    assert cli("pack", "list", "--json").json() == []


def test_install_of_a_folder_installs_every_mcpack_found_in_it(
    cli: Cli, publisher: Publisher, tmp_path: Path
) -> None:
    stick = tmp_path / "usb"
    build(
        cli,
        publisher,
        minimal_source(tmp_path / "a", pack_id="org.example.alpha"),
        stick / "alpha.mcpack",
    )
    build(
        cli,
        publisher,
        minimal_source(tmp_path / "b", pack_id="org.example.beta"),
        stick / "courses" / "2026" / "beta.mcpack",
    )
    (stick / "readme.txt").write_text("not a pack")

    result = cli("pack", "install", stick, "--json")

    assert result.code == EXIT_OK, result.err
    assert sorted(r["pack_id"] for r in result.json()) == ["org.example.alpha", "org.example.beta"]
    assert sorted(p["id"] for p in cli("pack", "list", "--json").json()) == [
        "org.example.alpha",
        "org.example.beta",
    ]


def test_install_of_a_folder_with_one_bad_pack_installs_the_rest_and_exits_one(
    cli: Cli, publisher: Publisher, tmp_path: Path
) -> None:
    stick = tmp_path / "usb"
    build(
        cli,
        publisher,
        minimal_source(tmp_path / "a", pack_id="org.example.alpha"),
        stick / "a.mcpack",
    )
    (stick / "b-broken.mcpack").write_bytes(b"not a zip at all")
    result = cli("pack", "install", stick, "--json")
    assert result.code == EXIT_REFUSED
    rows = {Path(r["path"]).name: r for r in result.json()}
    assert rows["a.mcpack"]["ok"] is True
    assert rows["b-broken.mcpack"]["ok"] is False
    assert "is not a readable pack archive" in rows["b-broken.mcpack"]["error"]
    assert [p["id"] for p in cli("pack", "list", "--json").json()] == ["org.example.alpha"]


def test_install_samples_installs_them_once(cli: Cli) -> None:
    first = cli("pack", "install", "--samples", "--json")
    assert first.code == EXIT_OK, first.err
    assert len(first.json()) == 3 and all(r["ok"] for r in first.json())
    keys = cli("trust", "list", "--json").json()
    assert [k["origin"] for k in keys] == ["local-sample"]
    second = cli("pack", "install", "--samples")
    assert second.code == EXIT_OK and "already installed" in second.err


# --- trust ---------------------------------------------------------------------------------


def test_trust_add_list_and_remove(cli: Cli, tmp_path: Path) -> None:
    made = cli("keys", "new", "--out", tmp_path / "k", "--name", "pub", "--json").json()
    assert "No publisher keys are trusted yet" in cli("trust", "list").out

    added = cli("trust", "add", made["public_key"], "--name", "Pub Lisher")
    assert added.code == EXIT_OK and f"Trusted 'Pub Lisher': key {made['key_id']}" in added.out
    [key] = cli("trust", "list", "--json").json()
    assert (key["key_id"], key["name"], key["origin"]) == (
        made["key_id"],
        "Pub Lisher",
        "technician",
    )
    assert made["key_id"][:16] in cli("trust", "list").out

    twice = cli("trust", "add", made["public_key"], "--name", "Again")
    assert twice.code == EXIT_REFUSED and "already trusted as 'Pub Lisher'" in twice.err
    private = cli("trust", "add", made["private_key"], "--name", "Oops")
    assert private.code == EXIT_REFUSED and "holds a private key" in private.err
    short = cli("trust", "remove", made["key_id"][:6])
    assert short.code == EXIT_REFUSED and "at least the first 8 characters" in short.err

    removed = cli("trust", "remove", made["key_id"][:8], "--json")
    assert removed.code == EXIT_OK and removed.json()["removed"]["key_id"] == made["key_id"]
    assert cli("trust", "list", "--json").json() == []
    unknown = cli("trust", "remove", made["key_id"][:8])
    assert unknown.code == EXIT_REFUSED and "No trusted key has an id starting with" in unknown.err


# --- help, usage, --home -----------------------------------------------------------------


def _commands(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*prefix, name))


ALL_COMMANDS = list(_commands(build_parser()))


def test_the_command_tree_has_every_documented_command() -> None:
    assert {
        ("keys", "new"),
        ("pack", "build"),
        ("pack", "verify"),
        ("pack", "install"),
        ("pack", "list"),
        ("pack", "remove"),
        ("trust", "add"),
        ("trust", "list"),
        ("trust", "remove"),
    } <= set(ALL_COMMANDS)


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=lambda c: " ".join(c) or "mcdesk")
def test_every_command_has_help_that_exits_zero(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    assert "usage: mcdesk" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv", [["pack"], ["pack", "build", "src"], ["trust", "add", "k.pem"], ["nope"]]
)
def test_usage_errors_exit_two(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == EXIT_USAGE
    assert "usage:" in capsys.readouterr().err


def test_python_dash_m_mcdesk_help_works_in_a_fresh_process(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "mcdesk", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "usage: mcdesk" in done.stdout and "pack" in done.stdout and "trust" in done.stdout
    version = subprocess.run(
        [sys.executable, "-m", "mcdesk", "--version"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert version.returncode == 0 and version.stdout.startswith("mcdesk ")


def test_home_option_and_mcdesk_home_choose_the_data_folder(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_home = tmp_path / "from-env"
    monkeypatch.setenv("MCDESK_HOME", str(env_home))
    assert cli("pack", "list").code == EXIT_OK
    assert (cli.home / "mcdesk.db").is_file() and not env_home.exists()
    assert cli("pack", "list", home=False).code == EXIT_OK
    assert (env_home / "mcdesk.db").is_file()


def test_home_option_also_works_after_the_command(cli: Cli, tmp_path: Path) -> None:
    after = tmp_path / "after-home"
    assert cli("pack", "list", "--home", after, home=False).code == EXIT_OK
    assert (after / "mcdesk.db").is_file()
    assert cli("trust", "list", "--json", "--home", after, home=False).json() == []
