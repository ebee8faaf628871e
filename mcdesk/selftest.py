"""The technician's check of a new laptop and of its connection to the hub (`mcdesk selftest`).

In a throwaway data folder: install the sample packs, play one learner through one credential with
correct answers (the real quiz engine and progress functions), check the evidence chain; given a hub,
also enrol, sync until the issued credential comes back, verify it offline and export it. Each step is
reported as it finishes; the run stops at the first failed step (the later ones depend on it).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcdesk.errors import McdeskError

SAMPLE_CREDENTIAL = "org.mcdesk.samples.digital-literacy/digital-literacy-essentials"
LEARNER_NAME = "Selftest learner"
DEVICE_NAME = "mcdesk selftest"
WAIT_ROUNDS = 6  # syncs at most, waiting for the issued credential
WAIT_SECONDS = 1.0  # between those syncs


@dataclass(frozen=True)
class Step:
    name: str
    ok: bool
    detail: str


@dataclass
class SelftestReport:
    steps: list[Step] = field(default_factory=list)
    kept: Path | None = None  # the data folder, when --keep asked for it
    exported: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(step.ok for step in self.steps)


class _Stop(Exception):
    """A step failed; the steps after it are not run."""


class SelftestError(McdeskError):
    """A step of the self-test found a problem."""


@dataclass
class _Run:
    report: SelftestReport
    on_step: Callable[[Step], None] | None
    values: dict[str, Any] = field(default_factory=dict)

    def step(self, name: str, action: Callable[[], str]) -> None:
        try:
            detail = action()
            step = Step(name, True, detail)
        except McdeskError as exc:
            step = Step(name, False, str(exc))
        except Exception as exc:  # noqa: BLE001 - the self-test reports anything that breaks, then stops
            step = Step(name, False, f"{type(exc).__name__}: {exc}")
        self.report.steps.append(step)
        if self.on_step is not None:
            self.on_step(step)
        if not step.ok:
            raise _Stop


@contextmanager
def _file_secrets() -> Iterator[None]:
    """The throwaway installation keeps its device key and token in its own folder, never in the OS keyring."""
    before = os.environ.get("MCDESK_NO_KEYRING")
    os.environ["MCDESK_NO_KEYRING"] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("MCDESK_NO_KEYRING", None)
        else:
            os.environ["MCDESK_NO_KEYRING"] = before


def _check_keep(keep: Path) -> Path:
    keep = Path(keep).expanduser().resolve()
    if keep.exists() and (not keep.is_dir() or any(keep.iterdir())):
        raise SelftestError(f"{keep} is not an empty folder.", "Give a new or empty folder to keep the self-test in.")
    return keep


def run_selftest(hub_url: str | None = None, code: str | None = None, keep: Path | None = None,
                 on_step: Callable[[Step], None] | None = None, *, credential_ref: str = SAMPLE_CREDENTIAL,
                 wait_rounds: int = WAIT_ROUNDS, wait_seconds: float = WAIT_SECONDS) -> SelftestReport:
    """Run the self-test; ``on_step`` is told about each step as it finishes. Given ``hub_url`` (and an
    enrolment ``code``), also the round trip through the hub. ``keep``: an empty folder to keep the data
    folder (``data/``) and the exported credential (``export/``) in; else everything is removed."""
    if (hub_url is None) != (code is None):
        raise SelftestError("A hub address and an enrolment code go together.",
                            "Give both --hub URL and --code CODE, or neither.")
    keep = _check_keep(keep) if keep is not None else None
    report = SelftestReport()
    run = _Run(report, on_step)
    root = keep or Path(tempfile.mkdtemp(prefix="mcdesk-selftest-"))
    store = None
    try:
        with _file_secrets():
            run.step("Throwaway data folder", lambda: _make_folder(run, root))
            store = run.values["store"]
            run.step("Sample packs installed", lambda: _install_samples(run, credential_ref))
            run.step("Lessons completed", lambda: _lessons(run))
            run.step("Quizzes passed with correct answers", lambda: _quizzes(run))
            run.step("Credential earned, awaiting verification", lambda: _earned(run))
            run.step("Evidence chain verified", lambda: _chain(run))
            if hub_url is not None and code is not None:
                run.step("Hub answers", lambda: _reachable(hub_url))
                run.step("Enrolled with the hub", lambda: _enrol(run, hub_url, code))
                run.step("Evidence sent and acknowledged", lambda: _sync(run))
                run.step("Issued credential received", lambda: _wait_issued(run, wait_rounds, wait_seconds))
                run.step("Credential verified offline", lambda: _verified(run))
                run.step("Credential exported and checked", lambda: _export(run))
    except _Stop:
        pass
    finally:
        if store is not None:
            store.close()
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)
    report.kept = keep / "data" if keep is not None else None
    return report


# --- the steps --------------------------------------------------------------------------------------


def _make_folder(run: _Run, root: Path) -> str:
    from mcdesk.evidence.device import ensure_device
    from mcdesk.home import Home
    from mcdesk.store.db import open_store

    home = Home.open(root / "data")
    store = open_store(home)
    run.values.update(home=home, store=store, root=root)
    identity = ensure_device(home, store)
    return f"{home.root} (schema {store.schema_version()}, device {identity.short_id})"


def _install_samples(run: _Run, credential_ref: str) -> str:
    from mcdesk.learning.credentials import parse_definition
    from mcdesk.packs.install import PackManager
    from mcdesk.packs.samples import install_samples

    manager = PackManager(run.values["home"], run.values["store"])
    results = install_samples(run.values["home"], manager)
    row = run.values["store"].one("SELECT pack_id, definition FROM credentials WHERE ref = ?", (credential_ref,))
    if row is None:
        raise SelftestError(f"The sample credential {credential_ref} is not offered after installing the samples.",
                            "Reinstall mcdesk; its sample packs are incomplete.")
    cred = parse_definition(credential_ref, row["pack_id"], row["definition"])
    run.values.update(manager=manager, cred=cred)
    return f"{len(results)} pack(s); playing {cred.title!r}"


def _lessons(run: _Run) -> str:
    from mcdesk.learning.progress import add_learner, mark_lesson_complete

    store, cred = run.values["store"], run.values["cred"]
    learner = add_learner(store, LEARNER_NAME)
    run.values["learner"] = learner
    for lesson in cred.lessons:
        mark_lesson_complete(store, learner, cred.pack_id, lesson)
    return f"{len(cred.lessons)} lesson(s) of {cred.pack_id}"


def _quizzes(run: _Run) -> str:
    from mcdesk.learning.attempts import QuizEngine
    from mcdesk.packs.quiz import correct_response

    engine, cred, learner = QuizEngine(run.values["manager"]), run.values["cred"], run.values["learner"]
    scores = []
    for quiz in cred.quizzes:
        attempt = engine.start_or_resume(learner, cred.pack_id, quiz)
        for shown in attempt.questions:
            if shown.question.id not in attempt.answers:
                engine.answer(attempt.id, shown.question.id, correct_response(shown.question))
        result = engine.finish(attempt.id)
        if not result.passed:
            raise SelftestError(f"The quiz {quiz!r} was not passed with correct answers "
                                f"({result.earned}/{result.possible}).", "The quiz engine grades wrongly; report it.")
        scores.append(f"{quiz} {result.earned}/{result.possible}")
    return ", ".join(scores) or "no quizzes"


def _earned(run: _Run) -> str:
    from mcdesk.learning.credentials import AWAITING_VERIFICATION, wallet

    cred = run.values["cred"]
    entry = next((e for e in wallet(run.values["store"], run.values["learner"]) if e.ref == cred.ref), None)
    if entry is None:
        raise SelftestError(f"{cred.title!r} was not earned although its criteria were met.",
                            "Credential evaluation is broken; report it.")
    if entry.status != AWAITING_VERIFICATION:
        raise SelftestError(f"{cred.title!r} shows as {entry.status!r}, not awaiting verification.")
    return f"{cred.title!r} in the wallet"


def _chain(run: _Run) -> str:
    from mcdesk.evidence.outbox import verify_chain

    store = run.values["store"]
    expected = int(store.one("SELECT count(*) AS n FROM evidence")["n"])
    chain = verify_chain(store)
    if not chain.ok:
        raise SelftestError(f"The evidence chain is broken at seq {chain.break_seq}: {chain.problem}")
    if chain.records != expected or expected == 0:
        raise SelftestError(f"The chain holds {chain.records} record(s), the outbox {expected}.")
    run.values["records"] = expected
    return f"{chain.records} signed record(s), chained and intact"


def _reachable(hub_url: str) -> str:
    from mcdesk.sync.client import HubClient, normalise_url

    url = normalise_url(hub_url)
    try:
        with HubClient(url, timeout=5.0, retries=1) as hub:
            health = hub.health()
    except McdeskError as exc:
        raise SelftestError(f"The hub at {url} does not answer: {exc.message}",
                            "Check the address, the network and that the hub is running.") from exc
    if health.get("status") != "ok":
        raise SelftestError(f"The hub at {url} answers but is not healthy ({health.get('status')!r}).")
    return f"{url} is up"


def _enrol(run: _Run, hub_url: str, code: str) -> str:
    from mcdesk.credentials.device import pinned_issuer_keys
    from mcdesk.sync.client import enrol

    result = enrol(run.values["home"], run.values["store"], hub_url, code, DEVICE_NAME)
    keys = len(pinned_issuer_keys(run.values["store"]))
    return f"{result.institution_name} at {result.hub_url}; {keys} issuer key(s) pinned"


def _sync(run: _Run) -> str:
    from mcdesk.sync.client import status, sync

    report = sync(run.values["home"], run.values["store"])
    run.values["syncs"] = 1
    state = status(run.values["store"])
    if report.rejected or state.queued:
        raise SelftestError(f"The hub refused {report.rejected} record(s); {state.queued} still queued: "
                            f"{'; '.join(report.problems[:2])}")
    return f"{report.sent} record(s) sent: {report.accepted} accepted, {report.duplicate} already there"


def _issued_row(run: _Run) -> Any:
    from mcdesk.credentials.device import issued_for

    return next((i for i in issued_for(run.values["store"], run.values["learner"])
                 if i.ref == run.values["cred"].ref), None)


def _wait_issued(run: _Run, rounds: int, seconds: float) -> str:
    from mcdesk.sync.client import sync

    item = _issued_row(run)
    while item is None and run.values["syncs"] < rounds:
        time.sleep(seconds)
        sync(run.values["home"], run.values["store"])
        run.values["syncs"] += 1
        item = _issued_row(run)
    if item is None:
        raise SelftestError(f"No issued credential came back after {run.values['syncs']} sync(s).",
                            "Check that the hub has the sample packs published (mcdesk hub publish) and issues "
                            "credentials; then run the self-test again.")
    run.values["issued"] = item
    return f"{item.credential_id} after {run.values['syncs']} sync(s)"


def _verified(run: _Run) -> str:
    from mcdesk.credentials.device import pinned_issuer_keys, verify_token
    from mcdesk.credentials.vcjwt import decode_unverified
    from mcdesk.learning.credentials import ISSUED, wallet

    item = run.values["issued"]
    if not item.verified:
        raise SelftestError(f"The issued credential is {item.status}: {item.status_reason}")
    verify_token(item.jwt, pinned_issuer_keys(run.values["store"]), expected_id=item.credential_id)
    entry = next(e for e in wallet(run.values["store"], run.values["learner"]) if e.ref == item.ref)
    if entry.status != ISSUED:
        raise SelftestError(f"The wallet shows the credential as {entry.status}, not issued.")
    kid = str(decode_unverified(item.jwt)[0].get("kid"))
    checked = f"; status checked on {entry.status_checked_at}" if entry.status_checked_at else ""
    return f"RS256, issuer key {kid[:12]}…; the wallet shows it issued{checked}"


def _export(run: _Run) -> str:
    from mcdesk.credentials.device import pinned_issuer_keys
    from mcdesk.credentials.export import export_json, qr_payload, verify_file, write_qr_png

    store, item = run.values["store"], run.values["issued"]
    folder = run.values["root"] / "export"
    folder.mkdir(exist_ok=True)
    path = export_json(store, item.credential_id, folder)
    qr = write_qr_png(qr_payload(store, item.credential_id), path.with_name(path.name.replace(".json", ".qr.png")))
    verify_file(path, pinned_issuer_keys(store), "this laptop's pinned issuer keys")
    run.report.exported.extend([path, qr])
    return f"{path.name} verifies; QR code in {qr.name}"
