"""Killing the app mid-quiz loses no answer: a child process answers three questions of a sample quiz
and is killed with SIGKILL; the real quiz runner then resumes the same attempt at question 4 with the
same draw, and the three answers are in the database."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from mcdesk.home import Home
from mcdesk.packs.install import PackManager
from mcdesk.packs.samples import install_samples
from mcdesk.store.db import Store
from mcdesk.ui.context import Context
from mcdesk.ui.ops import Worker
from mcdesk.ui.quiz_runner import PAGE_QUESTION, QuizRunner
from tests.learning.test_attempts import add_learner

REPO = Path(__file__).resolve().parents[2]
PACK = "org.mcdesk.samples.digital-literacy"
QUIZ = "devices-check"

CHILD = """
import json, sys, time
from mcdesk.home import Home
from mcdesk.learning.attempts import QuizEngine
from mcdesk.packs.install import PackManager
from mcdesk.store.db import open_store


def some_answer(shown):
    q = shown.question
    if q.type == "single":
        return shown.option_order[0]
    if q.type == "multiple":
        return [shown.option_order[0]]
    if q.type == "true_false":
        return True
    if q.type == "numeric":
        return "42"
    if q.type == "short_text":
        return "an answer"
    if q.type == "ordering":
        return list(shown.item_order)
    return {p.id: p.id for p in q.pairs}


home = Home.open()
engine = QuizEngine(PackManager(home, open_store(home)))
attempt = engine.start_or_resume(int(sys.argv[1]), sys.argv[2], sys.argv[3])
draw = [[s.question.id, list(s.option_order), list(s.item_order), list(s.right_order)] for s in attempt.questions]
print("attempt", attempt.id, json.dumps(draw), flush=True)
for n, shown in enumerate(attempt.questions[:3], start=1):
    response = some_answer(shown)
    engine.answer(attempt.id, shown.question.id, response)
    print("answered", n, json.dumps([shown.question.id, response]), flush=True)
time.sleep(600)
"""


def test_a_quiz_killed_after_three_answers_resumes_at_question_four_with_the_same_draw(
        qtbot, home: Home, store: Store, manager: PackManager) -> None:
    install_samples(home, manager)
    learner = add_learner(store)
    env = dict(os.environ, MCDESK_HOME=str(home.root), PYTHONPATH=str(REPO))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(learner), PACK, QUIZ], cwd=REPO, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = child.stdout.readline().split(" ", 2)
        assert first[0] == "attempt", child.stderr.read()
        attempt_id, draw = int(first[1]), json.loads(first[2])
        given = {}
        for n in range(1, 4):
            line = child.stdout.readline()
            assert line.startswith(f"answered {n} "), line + child.stderr.read()
            question_id, response = json.loads(line.split(" ", 2)[2])
            given[question_id] = response
    finally:
        child.kill()  # SIGKILL on POSIX (TerminateProcess on Windows): no clean-up runs in the child
        child.wait(timeout=30)
    if hasattr(signal, "SIGKILL"):
        assert child.returncode == -signal.SIGKILL

    assert store.one("PRAGMA integrity_check")[0] == "ok"
    rows = store.query("SELECT question_id, position, response FROM quiz_answers WHERE attempt_id = ? "
                       "ORDER BY position", (attempt_id,))
    assert [(r["question_id"], r["position"], json.loads(r["response"])) for r in rows] == [
        (qid, n, given[qid]) for n, qid in enumerate(d[0] for d in draw[:3])]

    ctx = Context(home, store, manager, Worker(), learner_id=learner)
    runner = QuizRunner(ctx)
    qtbot.addWidget(runner)
    runner.resize(1024, 600)
    runner.show()
    runner.open_quiz(PACK, QUIZ)
    qtbot.waitUntil(lambda: runner.pages.currentIndex() == PAGE_QUESTION, timeout=10_000)
    ctx.worker.wait()
    attempt = runner.attempt
    assert attempt is not None and attempt.id == attempt_id
    assert runner.current_index == 3
    assert runner.counter.text() == f"Question 4 of {len(draw)}"
    assert [[s.question.id, list(s.option_order), list(s.item_order), list(s.right_order)]
            for s in attempt.questions] == draw
    assert {qid: record.response for qid, record in attempt.answers.items()} == given
    assert store.one("SELECT COUNT(*) FROM quiz_attempts WHERE learner_id = ?", (learner,))[0] == 1
    direct = sqlite3.connect(home.db_path)  # and a fresh connection sees the same three answers
    assert direct.execute("SELECT COUNT(*) FROM quiz_answers WHERE attempt_id = ?", (attempt_id,)).fetchone()[0] == 3
    direct.close()
