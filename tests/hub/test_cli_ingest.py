"""The `mcdesk hub` commands as a technician runs them: codes, devices, revocation, init, USB ingest, and
starting and stopping the server."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from mcdesk.evidence.jws import verify_compact
from mcdesk.hub.devices import enrol, new_codes
from mcdesk.hub.store import HubData, open_store
from mcdesk.keys import public_from_raw
from mcdesk.sync.bundle import REPLY_TYP, bundle_bytes, open_reply
from tests.hub.laptops import Laptop
from tests.hubproc import Hub, enrolment_body, hub_env, run_hub_cli, running_hub

CODE = re.compile(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}")


def _bundle(path: Path, laptop: Laptop, records: list[str]) -> Path:
    path.write_bytes(bundle_bytes(laptop.device_id, laptop.raw, laptop.name, records))
    return path


def _jwk(hub: Hub) -> dict:
    from mcdesk.hub.institution import load_institution

    data = HubData.open(hub.data)
    with open_store(data) as store:
        return load_institution(store, data).public_jwk()


def _refused(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.startswith("mcdesk: ")
    for word in words:
        assert word in done.stderr, done.stderr


# --- codes, devices, revocation, init --------------------------------------------------------


def test_enrol_code_prints_one_readable_code_per_line(hub: Hub) -> None:
    done = hub.cli("enrol-code", "--count", "3")
    codes = done.stdout.split()
    assert len(codes) == 3 and all(CODE.fullmatch(c) for c in codes) and len(set(codes)) == 3
    as_json = json.loads(hub.cli("enrol-code", "--json").stdout)["codes"]
    assert len(as_json) == 1 and CODE.fullmatch(as_json[0])
    assert httpx.post(f"{hub.api}/enrol", json=enrolment_body(Laptop().key, codes[1], "PC")).status_code == 200


def test_only_hashes_of_codes_are_stored(hub: Hub) -> None:
    code = hub.cli("enrol-code").stdout.strip()
    db = b"".join(p.read_bytes() for p in hub.data.glob("hub.db*"))
    assert code.encode() not in db and code.replace("-", "").encode() not in db


@pytest.mark.parametrize("count", ["0", "1001", "-3"])
def test_enrol_code_refuses_a_silly_count(hub: Hub, count: str) -> None:
    _refused(hub.cli("enrol-code", "--count", count, check=False), "codes at a time")


def test_devices_lists_enrolled_devices_with_their_records(hub: Hub, laptop: Laptop) -> None:
    assert laptop.statuses(hub.api, laptop.chain(2)) == ["accepted", "accepted"]
    devices = {d["device_id"]: d for d in json.loads(hub.cli("devices", "--json").stdout)["devices"]}
    mine = devices[laptop.device_id]
    assert mine["name"] == laptop.name and mine["records"] == 2 and mine["held_seq"] == 2
    assert mine["revoked_at"] is None and mine["last_seen_at"]
    assert "token" not in json.dumps(mine)
    assert laptop.device_id in hub.cli("devices").stdout


def test_revoke_device_by_prefix_then_again_says_it_already_was(hub: Hub, laptop: Laptop) -> None:
    done = hub.cli("revoke-device", laptop.device_id[:10])
    assert "Revoked" in done.stdout
    again = json.loads(hub.cli("revoke-device", laptop.device_id, "--json").stdout)
    assert again["changed"] is False and again["revoked_at"]


@pytest.mark.parametrize(("ref", "words"), [("0" * 64, ["No enrolled device"]), ("abc", ["too short"])])
def test_revoke_device_refuses_an_unknown_or_short_id(hub: Hub, ref: str, words: list[str]) -> None:
    _refused(hub.cli("revoke-device", ref, check=False), *words)


def test_init_renames_the_institution_and_health_shows_it(hub: Hub) -> None:
    profile = json.loads(hub.cli("init", "--name", "Riverside College", "--json").stdout)
    assert profile["name"] == "Riverside College" and profile["kid"] == _jwk(hub)["kid"]
    assert httpx.get(f"{hub.api}/health").json()["institution"]["name"] == "Riverside College"


def test_init_refuses_to_change_the_id_once_devices_are_enrolled(tmp_path: Path) -> None:
    data = tmp_path / "hub"
    done = run_hub_cli(data, "init", "--name", "College", "--id", "https://college.example", "--json")
    assert json.loads(done.stdout)["id"] == "https://college.example"
    with open_store(HubData.open(data)) as store:
        enrol(store, **enrolment_body(Laptop().key, new_codes(store, 1)[0], "PC 1"))
    _refused(run_hub_cli(data, "init", "--name", "College", "--id", "urn:other", check=False),
             "cannot change", "enrolled")
    _refused(run_hub_cli(data, "init", "--name", "College", "--id", "not a url", check=False), "https URL")
    _refused(run_hub_cli(data, "init", "--name", " ", check=False), "name")


def test_a_new_data_folder_gets_a_private_institution_key_and_its_folders(tmp_path: Path) -> None:
    data = tmp_path / "hub"
    run_hub_cli(data, "enrol-code")
    key = data / "keys" / "institution.key.pem"
    assert key.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    if os.name != "nt":
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert (data / "hub.db").is_file() and (data / "logs").is_dir()


# --- USB ingest ------------------------------------------------------------------------------


def test_ingest_takes_a_bundle_in_and_writes_a_reply_signed_by_the_institution(
        hub: Hub, laptop: Laptop, tmp_path: Path) -> None:
    records = laptop.chain(3)
    bundle = _bundle(tmp_path / "outbox.mcsync", laptop, records)
    reply = tmp_path / "reply.mcreply"
    done = hub.cli("ingest", str(bundle), "-o", str(reply))
    assert "3 accepted" in done.stdout
    jwk = _jwk(hub)
    parsed = verify_compact(reply.read_text("ascii"), public_from_raw(_b64d(jwk["x"])), typ=REPLY_TYP,
                            kid=jwk["kid"])
    payload = json.loads(parsed.payload_bytes)
    assert payload["type"] == "mcdesk.sync-reply" and payload["format"] == 1
    assert payload["device_id"] == laptop.device_id
    assert payload["bundle_sha256"] == hashlib.sha256(bundle.read_bytes()).hexdigest()
    assert [r["status"] for r in payload["results"]] == ["accepted"] * 3
    assert [i["body"]["seq"] for i in payload["items"]] == [1, 2, 3]
    opened = open_reply(reply, [jwk], laptop.device_id)  # what the device will do
    assert len(opened.results) == 3
    # The network path sees the same records as held.
    assert laptop.statuses(hub.api, records) == ["duplicate"] * 3


def _b64d(text: str) -> bytes:
    from mcdesk.keys import b64url_decode

    return b64url_decode(text)


def test_ingesting_the_same_bundle_again_is_idempotent(hub: Hub, laptop: Laptop, tmp_path: Path) -> None:
    from mcdesk.hub.ingest import ingest_bundle

    records = laptop.chain(2)
    assert laptop.statuses(hub.api, records[:1]) == ["accepted"]  # one came over the network first
    bundle = _bundle(tmp_path / "outbox.mcsync", laptop, records)
    first = ingest_bundle(hub.data, bundle, tmp_path)  # a folder: the reply gets its own name
    assert [r.status for r in first.results] == ["duplicate", "accepted"]
    assert first.reply.parent == tmp_path and first.reply.name.startswith(f"mcdesk-reply-{laptop.device_id[:12]}")
    second = ingest_bundle(hub.data, bundle, tmp_path / "again.mcreply")
    assert [r.status for r in second.results] == ["duplicate", "duplicate"]
    assert second.items == first.items == 2


def test_ingest_rejects_bad_records_inside_a_good_bundle_with_reasons(
        hub: Hub, laptop: Laptop, tmp_path: Path) -> None:
    records = laptop.chain(3)
    bundle = _bundle(tmp_path / "outbox.mcsync", laptop, [records[0], records[2]])
    done = json.loads(hub.cli("ingest", str(bundle), "-o", str(tmp_path / "r.mcreply"), "--json").stdout)
    assert done["accepted"] == 1 and done["rejected"] == 1
    assert done["results"][1]["reason"].startswith("gap: expected seq 2")


def test_ingest_refuses_a_bundle_from_an_unenrolled_device(hub: Hub, tmp_path: Path) -> None:
    stranger = Laptop()
    bundle = _bundle(tmp_path / "outbox.mcsync", stranger, stranger.chain(1))
    reply = tmp_path / "reply.mcreply"
    _refused(hub.cli("ingest", str(bundle), "-o", str(reply), check=False), "not enrolled", "nothing was stored")
    assert not reply.exists()


def test_ingest_refuses_a_bundle_from_a_revoked_device(hub: Hub, laptop: Laptop, tmp_path: Path) -> None:
    hub.cli("revoke-device", laptop.device_id)
    bundle = _bundle(tmp_path / "outbox.mcsync", laptop, laptop.chain(1))
    reply = tmp_path / "reply.mcreply"
    _refused(hub.cli("ingest", str(bundle), "-o", str(reply), check=False), "revoked")
    assert not reply.exists()
    devices = {d["device_id"]: d for d in json.loads(hub.cli("devices", "--json").stdout)["devices"]}
    assert devices[laptop.device_id]["records"] == 0


@pytest.mark.parametrize("content", [
    b"random bytes, not a bundle",
    gzip.compress(b'{"type": "something-else", "format": 1}'),
    gzip.compress(b"not json"),
    b"",
], ids=["not-gzip", "other-json", "gzip-not-json", "empty"])
def test_ingest_refuses_a_file_that_is_not_a_bundle(hub: Hub, tmp_path: Path, content: bytes) -> None:
    bundle = tmp_path / "thing.mcsync"
    bundle.write_bytes(content)
    reply = tmp_path / "reply.mcreply"
    _refused(hub.cli("ingest", str(bundle), "-o", str(reply), check=False), "not an mcdesk outbox bundle")
    assert not reply.exists()


def test_ingest_refuses_a_cut_short_bundle_and_a_missing_file(hub: Hub, laptop: Laptop, tmp_path: Path) -> None:
    whole = bundle_bytes(laptop.device_id, laptop.raw, laptop.name, laptop.chain(2))
    cut = tmp_path / "cut.mcsync"
    cut.write_bytes(whole[: len(whole) // 2])
    _refused(hub.cli("ingest", str(cut), "-o", str(tmp_path / "r"), check=False), "cut short")
    _refused(hub.cli("ingest", str(tmp_path / "nope.mcsync"), "-o", str(tmp_path / "r"), check=False),
             "cannot be read")


# --- serving ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_server_stops_cleanly_on_a_signal(tmp_path: Path, sig: signal.Signals) -> None:
    with running_hub(tmp_path / "hub") as hub:
        hub.process.send_signal(sig)
        assert hub.process.wait(timeout=20) == 0
        assert "stopped" in hub.stderr()
    events = [json.loads(line)["event"] for line in (tmp_path / "hub" / "logs" / "hub.log").read_text().splitlines()]
    assert events.count("start") == 1 and events.count("listening") == 1 and "stop" in events


def test_serve_refuses_a_port_already_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_hub_cli(tmp_path / "hub", "serve", "--port", str(port), check=False)
    _refused(done, "cannot listen", str(port))


def test_serve_without_fastapi_says_to_install_the_hub_extra(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['fastapi'] = None; from mcdesk.cli import main; "
            f"sys.exit(main(['hub', 'serve', '--data', {str(tmp_path / 'hub')!r}]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=hub_env(), timeout=60)
    _refused(done, "FastAPI", "mcdesk[hub]")


def test_the_hub_fixture_shows_the_hub_stderr_when_it_cannot_start(tmp_path: Path) -> None:
    from tests.hubproc import HubFailed

    (tmp_path / "hub").write_text("a file where the data folder should be")
    with pytest.raises(HubFailed, match="hub stderr"), running_hub(tmp_path / "hub"):
        pass
