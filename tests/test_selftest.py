"""`mcdesk selftest`: the laptop alone (as a real subprocess), with --keep, its refusals, and the round
trip through the real hub (enrol, sync, the issued credential back, verified offline, exported)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mcdesk.credentials.export import verify_file
from mcdesk.hub.process import hub_env
from mcdesk.selftest import run_selftest
from tests.hubproc import Hub, running_hub

OFFLINE_STEPS = ["Throwaway data folder", "Sample packs installed", "Lessons completed",
                 "Quizzes passed with correct answers", "Credential earned, awaiting verification",
                 "Evidence chain verified"]
HUB_STEPS = ["Hub answers", "Enrolled with the hub", "Evidence sent and acknowledged", "Issued credential received",
             "Credential verified offline", "Credential exported and checked"]


def selftest(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mcdesk", "selftest", *args], capture_output=True, text=True,
                          timeout=180, env={**hub_env(), "MCDESK_HOME": str(home)})


def test_selftest_without_a_hub_passes_prints_each_step_and_leaves_the_laptops_data_alone(
        tmp_path: Path, _isolated_home: Path) -> None:
    done = selftest(home=_isolated_home)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for step in OFFLINE_STEPS:
        assert any(line.startswith(f"✓ {step}: ") for line in lines), (step, done.stdout)
    assert "✗" not in done.stdout and lines[-1] == "PASSED: all 6 steps passed."
    assert "10 signed record(s)" in done.stdout
    assert not (_isolated_home / "mcdesk.db").exists()  # the laptop's own data folder is never used


def test_selftest_keep_keeps_the_data_folder_and_reports_json(tmp_path: Path) -> None:
    keep = tmp_path / "kept"
    done = selftest("--keep", str(keep), "--json", home=tmp_path / "laptop")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True and [s["name"] for s in report["steps"]] == OFFLINE_STEPS
    assert report["kept"] == str(keep.resolve() / "data")
    assert (keep / "data" / "mcdesk.db").is_file() and (keep / "data" / "keys" / "device.key.pem").is_file()


def test_selftest_refuses_a_keep_folder_that_is_not_empty_and_a_hub_without_a_code(tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("x")
    done = selftest("--keep", str(tmp_path / "full"), home=tmp_path / "laptop")
    assert done.returncode == 1 and "not an empty folder" in done.stderr
    assert (tmp_path / "full" / "something").read_text() == "x"
    done = selftest("--hub", "http://127.0.0.1:9", home=tmp_path / "laptop")
    assert done.returncode == 1 and "go together" in done.stderr


def test_selftest_with_an_unreachable_hub_fails_at_enrolment_with_a_verdict(tmp_path: Path) -> None:
    report = run_selftest("http://127.0.0.1:9", "ABCD-EFGH-JKLM")
    assert not report.ok
    assert [s.name for s in report.steps] == [*OFFLINE_STEPS, "Hub answers"]
    assert report.steps[-1].ok is False and "does not answer" in report.steps[-1].detail


# --- with the real hub ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """A hub that knows the sample packs (published as the institution would publish them)."""
    from tests.sync.test_credentials_sync import publish_samples

    with running_hub(tmp_path_factory.mktemp("hub")) as running:
        publish_samples(running, tmp_path_factory.mktemp("samples"))
        yield running


def test_selftest_against_the_real_hub_gets_the_issued_credential_back_verified_and_exported(
        hub: Hub, tmp_path: Path) -> None:
    keep = tmp_path / "kept"
    done = selftest("--hub", hub.url, "--code", hub.enrol_codes(1)[0], "--keep", str(keep), home=tmp_path / "laptop")
    assert done.returncode == 0, done.stdout + done.stderr
    for step in OFFLINE_STEPS + HUB_STEPS:
        assert f"✓ {step}: " in done.stdout, (step, done.stdout)
    assert "PASSED: all 12 steps passed." in done.stdout
    [exported] = list((keep / "export").glob("*.credential.json"))
    assert list((keep / "export").glob("*.qr.png"))
    jwks = httpx.get(f"{hub.url}/.well-known/jwks.json", timeout=30).json()
    assert verify_file(exported, jwks["keys"], "the hub's JWK Set").name == "Digital Literacy Essentials"


def test_selftest_with_a_used_code_fails_at_enrolment(hub: Hub, tmp_path: Path) -> None:
    code = hub.enrol_codes(1)[0]
    assert run_selftest(hub.url, code).ok
    report = run_selftest(hub.url, code)
    assert not report.ok and report.steps[-1].name == "Enrolled with the hub"
