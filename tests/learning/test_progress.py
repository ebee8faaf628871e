"""Progress: the roll-up lesson → module → credential → stacked credential, the dashboard, visits,
"continue where you stopped", and the library tree and lesson pages built on them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mcdesk.errors import McdeskError, PackError
from mcdesk.learning.library import load_library, neighbours, open_lesson
from mcdesk.learning.progress import (
    add_learner,
    continue_point,
    dashboard,
    mark_lesson_complete,
    record_visit,
)
from mcdesk.packs.install import PackManager
from mcdesk.packs.samples import install_samples
from mcdesk.store.db import Store
from tests.learning.test_credentials import AT, AT_CRED, DL, DL_CRED, FS, FS_CRED, complete_pack, insert_attempt

PACK = "org.example.test"
CRED = f"{PACK}/test-cred"


@pytest.fixture
def pack(manager: PackManager, make_pack: Callable[..., Path]) -> str:
    manager.install(make_pack(lessons=3))
    return PACK


# --- roll-up ---------------------------------------------------------------------------------


def test_a_new_learner_has_nothing_done_and_every_hour_left(manager: PackManager, store: Store, pack: str) -> None:
    amina = add_learner(store, "Amina")
    board = dashboard(store, amina)
    [progress] = board.packs
    assert (progress.lessons.done, progress.lessons.total, progress.quizzes.total) == (0, 3, 1)
    assert progress.percent == 0 and progress.hours_left == 1.0
    cred = board.credential(CRED)
    assert cred is not None and not cred.earned and cred.hours_left == 1.0 and cred.percent == 0


def test_completing_lessons_rolls_up_to_module_credential_and_pack(manager: PackManager, store: Store,
                                                                    pack: str) -> None:
    amina = add_learner(store, "Amina")
    mark_lesson_complete(store, amina, pack, "lesson-1")
    mark_lesson_complete(store, amina, pack, "lesson-2")
    board = dashboard(store, amina)
    [module] = board.packs[0].modules
    assert (module.lessons.done, module.lessons.total, module.quizzes.done) == (2, 3, 0)
    assert module.fraction == pytest.approx(0.5)
    assert [i.done for i in module.items] == [True, True, False, False]
    cred = board.credential(CRED)
    assert (cred.lessons.done, cred.lessons.total, cred.quizzes.done, cred.quizzes.total) == (2, 3, 0, 1)
    assert cred.percent == 50 and cred.hours_left == 0.5
    assert board.packs[0].hours_left == 0.5


def test_a_failed_quiz_shows_its_best_score_and_a_passed_one_counts(manager: PackManager, store: Store,
                                                                     pack: str) -> None:
    kofi = add_learner(store, "Kofi")
    insert_attempt(store, kofi, pack, "check", 0, 2, passed=False)
    insert_attempt(store, kofi, pack, "check", 1, 2, passed=False)
    quiz = dashboard(store, kofi).packs[0].modules[0].items[-1]
    assert (quiz.kind, quiz.done, quiz.best_score) == ("quiz", False, 0.5)
    insert_attempt(store, kofi, pack, "check", 2, 2, passed=True)
    board = dashboard(store, kofi)
    assert board.packs[0].modules[0].items[-1].done
    assert board.credential(CRED).quizzes.done == 1


def test_an_earned_credential_shows_complete_with_its_date_and_score(manager: PackManager, store: Store,
                                                                      pack: str) -> None:
    ama = add_learner(store, "Ama")
    insert_attempt(store, ama, pack, "check", 2, 2, passed=True)
    for lesson in ("lesson-1", "lesson-2", "lesson-3"):
        mark_lesson_complete(store, ama, pack, lesson)
    cred = dashboard(store, ama).credential(CRED)
    assert cred.earned and cred.percent == 100 and cred.hours_left == 0
    assert cred.status == "awaiting_verification" and cred.score == 1.0 and cred.earned_at


def test_stacked_pathway_progress_is_the_mean_of_its_parts(manager: PackManager, store: Store) -> None:
    install_samples(manager.home, manager)
    zawadi = add_learner(store, "Zawadi")
    mark_lesson_complete(store, zawadi, AT, "what-is-analytical-thinking")  # 1 of 9 criteria items
    complete_pack(store, manager, zawadi, DL)
    board = dashboard(store, zawadi)
    pathway = board.credential(FS_CRED)
    assert pathway in board.pathways and pathway.stacked
    parts = {p.ref: p for p in pathway.parts}
    assert parts[DL_CRED].held and parts[DL_CRED].fraction == 1.0
    assert not parts[AT_CRED].held and parts[AT_CRED].fraction == pytest.approx(1 / 9)
    assert pathway.fraction == pytest.approx((1 + 1 / 9) / 2)
    assert pathway.hours_left == pytest.approx(14 * (1 - pathway.fraction), abs=0.05)
    assert board.credentials[-1].ref == FS_CRED  # stacked ones last
    assert board.pack(FS).hours_left is None  # the pathway pack offers only the stacked credential


def test_one_learners_progress_is_not_anothers(manager: PackManager, store: Store, pack: str) -> None:
    amina, kofi = add_learner(store, "Amina"), add_learner(store, "Kofi")
    mark_lesson_complete(store, amina, pack, "lesson-1")
    assert dashboard(store, kofi).packs[0].lessons.done == 0


# --- refusals --------------------------------------------------------------------------------


def test_marking_a_lesson_for_an_unknown_learner_is_refused(manager: PackManager, store: Store, pack: str) -> None:
    with pytest.raises(McdeskError, match="no learner with id 42"):
        mark_lesson_complete(store, 42, pack, "lesson-1")
    assert store.one("SELECT 1 FROM lesson_progress") is None


def test_marking_a_quiz_as_a_lesson_is_refused(manager: PackManager, store: Store, pack: str) -> None:
    amina = add_learner(store, "Amina")
    with pytest.raises(McdeskError, match="no lesson 'check'"):
        mark_lesson_complete(store, amina, pack, "check")


def test_visiting_an_item_that_is_not_installed_is_refused(manager: PackManager, store: Store, pack: str) -> None:
    amina = add_learner(store, "Amina")
    with pytest.raises(McdeskError, match="no lesson or quiz 'nowhere'"):
        record_visit(store, amina, pack, "nowhere")
    with pytest.raises(McdeskError, match="no lesson or quiz 'main'"):
        record_visit(store, amina, pack, "main")  # a module is not something to open
    with pytest.raises(McdeskError, match="no learner"):
        record_visit(store, 42, pack, "lesson-1")
    assert store.one("SELECT 1 FROM item_visits") is None


def test_adding_a_learner_without_a_name_is_refused(store: Store) -> None:
    with pytest.raises(McdeskError, match="needs a name"):
        add_learner(store, "   ")


# --- continue where you stopped ----------------------------------------------------------------


def test_a_new_learner_starts_at_the_first_item(manager: PackManager, store: Store, pack: str) -> None:
    amina = add_learner(store, "Amina")
    point = continue_point(store, amina)
    assert (point.pack_id, point.item_id, point.kind, point.reason) == (pack, "lesson-1", "lesson", "start")
    assert point.title == "Lesson 1" and point.pack_title == "Test pack"


def test_continue_resumes_the_last_opened_unfinished_item(manager: PackManager, store: Store, pack: str) -> None:
    amina = add_learner(store, "Amina")
    record_visit(store, amina, pack, "lesson-3")
    record_visit(store, amina, pack, "lesson-2")
    record_visit(store, amina, pack, "lesson-3")  # the same second: the latest visit still wins
    point = continue_point(store, amina)
    assert (point.item_id, point.reason) == ("lesson-3", "resume")


def test_continue_goes_to_the_next_item_after_a_finished_one(manager: PackManager, store: Store, pack: str) -> None:
    amina = add_learner(store, "Amina")
    record_visit(store, amina, pack, "lesson-2")
    mark_lesson_complete(store, amina, pack, "lesson-2")
    assert (continue_point(store, amina).item_id, continue_point(store, amina).reason) == ("lesson-3", "next")
    mark_lesson_complete(store, amina, pack, "lesson-3")
    record_visit(store, amina, pack, "lesson-3")
    assert continue_point(store, amina).item_id == "check"  # quizzes are items too
    insert_attempt(store, amina, pack, "check", 2, 2, passed=True)
    record_visit(store, amina, pack, "check")
    assert continue_point(store, amina).item_id == "lesson-1"  # back to what was skipped
    mark_lesson_complete(store, amina, pack, "lesson-1")
    assert continue_point(store, amina) is None  # everything done


def test_continue_without_visits_follows_the_last_completed_lesson(manager: PackManager, store: Store,
                                                                   pack: str) -> None:
    kofi = add_learner(store, "Kofi")
    mark_lesson_complete(store, kofi, pack, "lesson-1")
    point = continue_point(store, kofi)
    assert (point.item_id, point.reason) == ("lesson-2", "next")


def test_continue_ignores_visits_to_a_removed_pack(manager: PackManager, store: Store, pack: str,
                                                   make_pack: Callable[..., Path]) -> None:
    manager.install(make_pack(pack_id="org.example.other"))
    amina = add_learner(store, "Amina")
    record_visit(store, amina, "org.example.other", "lesson-2")
    manager.remove("org.example.other")
    point = continue_point(store, amina)
    assert (point.pack_id, point.item_id, point.reason) == (pack, "lesson-1", "start")


def test_continue_with_nothing_installed_is_none(store: Store) -> None:
    assert continue_point(store, add_learner(store, "Amina")) is None


# --- the library tree and lesson pages ---------------------------------------------------------


def test_library_groups_modules_under_the_credential_that_needs_them(manager: PackManager, store: Store) -> None:
    install_samples(manager.home, manager)
    amina = add_learner(store, "Amina")
    mark_lesson_complete(store, amina, DL, "what-is-a-computer")
    packs = {p.id: p for p in load_library(manager, amina)}
    dl = packs[DL]
    [group] = dl.groups
    assert group.credential.ref == DL_CRED
    assert [m.module_id for m in group.modules] == ["devices", "web-and-email", "staying-safe"]
    assert {i.id for i in dl.items if i.done} == {"what-is-a-computer"}
    fs_groups = packs[FS].groups
    assert fs_groups[0].credential.ref == FS_CRED and fs_groups[0].modules == ()
    assert fs_groups[1].credential is None and [m.module_id for m in fs_groups[1].modules] == ["pathway"]


def test_library_without_a_learner_shows_nothing_done(manager: PackManager, store: Store, pack: str) -> None:
    amina = add_learner(store, "Amina")
    mark_lesson_complete(store, amina, pack, "lesson-1")
    [library] = load_library(manager)
    assert not any(item.done for item in library.items)
    assert [i.kind for i in library.items] == ["module", "lesson", "lesson", "lesson", "quiz"]


def test_neighbours_cross_from_lessons_to_quizzes_and_stop_at_the_ends(manager: PackManager, store: Store,
                                                                       pack: str) -> None:
    assert neighbours(store, pack, "lesson-1") == (None, neighbours(store, pack, "lesson-3")[0])
    before, after = neighbours(store, pack, "lesson-3")
    assert (before.id, after.id, after.kind) == ("lesson-2", "check", "quiz")
    assert neighbours(store, pack, "check")[1] is None
    assert neighbours(store, pack, "nowhere") == (None, None)


def test_open_lesson_gives_the_reader_its_place_links_and_done_state(manager: PackManager, store: Store,
                                                                      pack: str) -> None:
    amina = add_learner(store, "Amina")
    mark_lesson_complete(store, amina, pack, "lesson-2")
    page = open_lesson(manager, pack, "lesson-2", amina)
    assert (page.title, page.path, page.pack_title, page.module_title) == (
        "Lesson 2", "lessons/02.md", "Test pack", "Main")
    assert (page.previous.id, page.next.id, page.position, page.count, page.done) == (
        "lesson-1", "lesson-3", 2, 4, True)
    assert page.links["lessons/01.md"] == ("lesson", "lesson-1")
    assert page.links["quizzes/check.json"] == ("quiz", "check")
    assert '<img alt="a dot" src="media/dot.svg" width="10" height="10">' in page.html  # sized: no decode to lay out
    assert not open_lesson(manager, pack, "lesson-2").done  # no learner, nothing done


def test_an_edited_lesson_file_is_rendered_again_not_served_from_memory(manager: PackManager, pack: str) -> None:
    lesson = manager.get(pack).folder / "lessons" / "01.md"
    first = open_lesson(manager, pack, "lesson-1")
    assert open_lesson(manager, pack, "lesson-1").html == first.html
    lesson.write_text("# Changed\n\nA new paragraph, and the same picture: ![a dot](../media/dot.svg)\n",
                      encoding="utf-8")
    again = open_lesson(manager, pack, "lesson-1")
    assert "A new paragraph" in again.html and "Some text" not in again.html
    assert again.images == first.images


def test_open_lesson_fits_the_image_sizes_to_the_room_the_reader_gives(manager: PackManager, pack: str) -> None:
    folder = manager.get(pack).folder
    (folder / "media" / "dot.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="900" height="300"/>',
                                               encoding="utf-8")
    page = open_lesson(manager, pack, "lesson-2", image_room=450)
    assert (page.image_room, page.images_sized) == (450, True)
    assert [(i.src, i.width, i.height) for i in page.images] == [("media/dot.svg", 900, 300)]
    assert 'src="media/dot.svg" width="450" height="150"' in page.html
    (folder / "media" / "dot.svg").write_text("not a picture", encoding="utf-8")
    unreadable = open_lesson(manager, pack, "lesson-2", image_room=450)
    assert not unreadable.images_sized and 'src="media/dot.svg">' in unreadable.html  # the reader measures it


def test_opening_a_lesson_that_is_not_installed_is_refused(manager: PackManager, pack: str) -> None:
    with pytest.raises(PackError, match="not installed"):
        open_lesson(manager, pack, "check")  # a quiz, not a lesson
    with pytest.raises(PackError, match="not installed"):
        open_lesson(manager, "org.example.none", "lesson-1")


def test_opening_a_lesson_whose_file_is_gone_says_to_reinstall(manager: PackManager, pack: str) -> None:
    (manager.get(pack).folder / "lessons" / "01.md").unlink()
    with pytest.raises(PackError, match="cannot be read") as info:
        open_lesson(manager, pack, "lesson-1")
    assert "reinstall" in info.value.hint


def test_a_lesson_file_replaced_by_a_link_out_of_the_pack_is_refused(manager: PackManager, pack: str,
                                                                     tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("# private notes\n")
    lesson = manager.get(pack).folder / "lessons" / "01.md"
    lesson.unlink()
    lesson.symlink_to(secret)
    with pytest.raises(PackError, match="outside the pack folder"):
        open_lesson(manager, pack, "lesson-1")
