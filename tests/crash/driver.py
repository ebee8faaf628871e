"""The crash harness's child: runs mcdesk's core flows (install, quiz, evidence: lessons completed, each
writing a record; sync) over MCDESK_HOME in a seeded loop until it is killed, saying what it did on stdout.

Run as ``python -m tests.crash.driver --seed N --pack 1=v1.mcpack --pack 2=v2.mcpack [--lead PHASE]``.
Every line is flushed at once, so a line the parent reads was written before the kill. A line that
reports a result (SAVED, FINISHED, COMPLETED, LEARNER, INSTALLED, SYNCED) is printed only after the
core call that made it returned: the moment the app would show it to the person. The lines:

    READY                            the store is open and the signing code and HTTP client are loaded
    BEGIN <phase> / END <phase> <s>  a flow starts / ends (its duration in seconds)
    STEP <phase> <step>              a step inside a flow is about to run
    LEARNER <id>                     a new learner was created
    ATTEMPT <id> <answered>          a quiz attempt was started or resumed
    SAVED <attempt> <question> <json response>
    FINISHED <attempt> <passed 0/1>
    COMPLETED <learner> <lesson>
    INSTALLING <version> / INSTALLED <pack> <version>
    SYNCED <highest seq before the sync> <sent> <acknowledged> <credentials received>
    DONE                             (--final only) everything is synced; the child exits 0
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mcdesk.home import Home
from mcdesk.learning.attempts import QuizEngine
from mcdesk.learning.progress import add_learner, completed_lessons, mark_lesson_complete
from mcdesk.packs.install import PackManager
from mcdesk.packs.quiz import DrawnQuestion
from mcdesk.store.db import open_store
from mcdesk.sync.client import sync
from tests.crash.material import LESSON_IDS, PACK, PHASES, QUIZ

RIGHT = 0.75  # how often the learner answers right (so some attempts pass and credentials are earned)


def say(*words: object) -> None:
    sys.stdout.write(" ".join(str(w) for w in words) + "\n")
    sys.stdout.flush()


class StepReporter:
    """A progress reporter that announces each stage (and, for sync, each batch sent) as a STEP line."""

    def __init__(self, phase: str, batches: bool = False) -> None:
        self.phase, self.batches = phase, batches

    def stage(self, text: str, total: int | None = None) -> None:
        say("STEP", self.phase, text.split()[0].lower())

    def advance(self, amount: int) -> None:
        if self.batches:
            say("STEP", self.phase, "batch-sent")

    def cancelled(self) -> bool:
        return False


def some_answer(shown: DrawnQuestion, right: bool) -> Any:
    """A valid response to ``shown``: the right one, or a wrong one."""
    q = shown.question
    if q.type in ("single", "multiple"):
        chosen = [o.id for o in q.options if o.correct is right]  # the right options, or the wrong ones
        if q.type == "single" or not right:
            chosen = chosen[:1]
        return chosen[0] if q.type == "single" else chosen
    if q.type == "true_false":
        return bool(q.answer) is right
    if q.type == "numeric":
        return f"{q.answer:g}" if right else "7"
    if q.type == "short_text":
        return q.accepted[0] if right else "no idea"
    if q.type == "ordering":
        ids = [i.id for i in q.items]
        return ids if right else ids[::-1]
    ids = [p.id for p in q.pairs]
    return {i: (i if right else ids[(n + 1) % len(ids)]) for n, i in enumerate(ids)}


class Driver:
    """The four flows over one data folder; ``rng`` makes every choice."""

    def __init__(self, packs: dict[int, Path], rng: random.Random) -> None:
        self.home = Home.open()
        self.store = open_store(self.home)
        self.manager = PackManager(self.home, self.store)
        self.engine = QuizEngine(self.manager)
        self.packs, self.rng = packs, rng

    def warm_up(self) -> None:
        """Load what a long-running app has loaded long before its first power cut (the HTTP client, the
        signing code, the device key), so kill moments fall in the flows' work rather than in imports."""
        import httpx  # noqa: F401

        from mcdesk.evidence.device import device_key
        from mcdesk.evidence.outbox import record_event  # noqa: F401

        device_key(self.home, self.store)

    def learner(self) -> int:
        row = self.store.one("SELECT max(id) FROM learners")
        if row[0] is not None:
            return int(row[0])
        return self.new_learner()

    def new_learner(self) -> int:
        say("STEP", "evidence", "new-learner")
        learner = add_learner(self.store, f"Learner {self.rng.randrange(10**6)}")
        say("LEARNER", learner)
        return learner

    def install(self) -> None:
        """Update to the other version, roll back to it (forced), or now and then reinstall the same one."""
        installed = self.manager.get(PACK)
        current = installed.version if installed else None
        others = [v for v in self.packs if v != current]
        version = current if current is not None and self.rng.random() < 0.15 else self.rng.choice(others)
        say("INSTALLING", version)
        self.manager.install(self.packs[version], StepReporter("install"),
                             force_downgrade=current is not None and version <= current)
        say("INSTALLED", PACK, version)

    def quiz(self) -> None:
        """Resume the learner's open attempt or start one, answer what is unanswered, finish it."""
        learner = self.learner()
        say("STEP", "quiz", "start")
        attempt = self.engine.start_or_resume(learner, PACK, QUIZ)
        say("ATTEMPT", attempt.id, len(attempt.answers))
        for shown in attempt.questions:
            if shown.question.id in attempt.answers:
                continue
            response = some_answer(shown, self.rng.random() < RIGHT)
            say("STEP", "quiz", "answer")
            self.engine.answer(attempt.id, shown.question.id, response)
            say("SAVED", attempt.id, shown.question.id, json.dumps(response, separators=(",", ":")))
        say("STEP", "quiz", "finish")
        result = self.engine.finish(attempt.id)
        say("FINISHED", attempt.id, int(result.passed))

    def evidence(self) -> None:
        """Complete the next one to three lessons (a new learner when all are done): each completion
        writes its signed evidence record, and the credential's when it completes one, in its transaction."""
        learner = self.learner()
        todo = [lesson for lesson in LESSON_IDS if lesson not in completed_lessons(self.store, learner, PACK)]
        if not todo:
            learner, todo = self.new_learner(), list(LESSON_IDS)
        for lesson in todo[: self.rng.randint(1, 3)]:
            say("STEP", "evidence", "complete-lesson")
            mark_lesson_complete(self.store, learner, PACK, lesson)
            say("COMPLETED", learner, lesson)

    def sync(self) -> None:
        """Send the outbox to the hub (in batches of 2, 5 or 200 records) and read its feed."""
        top = self.store.one("SELECT coalesce(max(seq), 0) FROM evidence")[0]
        report = sync(self.home, self.store, StepReporter("sync", batches=True),
                      batch_size=self.rng.choice((2, 5, 200)))
        if report.rejected:
            raise SystemExit(f"the hub refused records: {report.problems}")
        say("SYNCED", top, report.sent, report.acknowledged, report.credentials)


def phases(rng: random.Random, lead: str | None) -> Iterator[str]:
    """0 to 2 random flows, then ``lead`` (when given), then random flows for ever."""
    if lead:
        for _ in range(rng.randint(0, 2)):
            yield rng.choice(PHASES)
        yield lead
    while True:
        yield rng.choice(PHASES)


def run(driver: Driver, phase: str) -> None:
    say("BEGIN", phase)
    started = time.perf_counter()
    getattr(driver, phase)()
    say("END", phase, f"{time.perf_counter() - started:.4f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.crash.driver")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--pack", action="append", required=True, metavar="VERSION=PATH")
    parser.add_argument("--lead", choices=PHASES, help="run this flow after at most two others")
    parser.add_argument("--calibrate", type=int, metavar="N", help="run each flow N times, then exit")
    parser.add_argument("--final", action="store_true", help="sync everything, say DONE and exit")
    args = parser.parse_args(argv)
    packs = {int(v): Path(p) for v, p in (item.split("=", 1) for item in args.pack)}
    driver = Driver(packs, random.Random(args.seed))
    driver.warm_up()
    say("READY")
    if args.final:
        run(driver, "sync")
        say("DONE")
        return 0
    if args.calibrate:
        for _ in range(args.calibrate):
            for phase in PHASES:
                run(driver, phase)
        return 0
    for phase in phases(driver.rng, args.lead):
        run(driver, phase)
    return 0  # pragma: no cover - the loop ends only by a kill


if __name__ == "__main__":
    sys.exit(main())
