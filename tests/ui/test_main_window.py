"""The first-start window: samples installed in the background, library shown, a lesson opened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from mcdesk.packs.install import PackManager
from mcdesk.ui.app import MainWindow
from mcdesk.ui.ops import Worker


def _lesson_nodes(window: MainWindow) -> list:
    found = []
    stack = [window.tree.topLevelItem(i) for i in range(window.tree.topLevelItemCount())]
    while stack:
        node = stack.pop(0)
        key = node.data(0, Qt.ItemDataRole.UserRole)
        if key and key[0] == "lesson":
            found.append(node)
        stack.extend(node.child(i) for i in range(node.childCount()))
    return found


def test_first_start_installs_samples_and_opens_a_lesson(qtbot, manager: PackManager, tmp_path: Path) -> None:
    window = MainWindow(manager, Worker())
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.tree.topLevelItemCount() == 3, timeout=60_000)
    lessons = _lesson_nodes(window)
    assert len(lessons) >= 11
    window._activated(lessons[0])
    qtbot.waitUntil(lambda: "Choose a lesson" not in window.reader.toPlainText(), timeout=10_000)
    assert len(window.reader.toPlainText().split()) > 300
    window.grab().save(str(tmp_path / "main-window.png"))
    window.worker.wait()
    assert {p.id for p in manager.list()} == {
        "org.mcdesk.samples.digital-literacy",
        "org.mcdesk.samples.analytical-thinking",
        "org.mcdesk.samples.future-skills",
    }


def test_second_start_with_packs_installed_adds_nothing(qtbot, manager: PackManager, make_pack) -> None:
    manager.install(make_pack())
    window = MainWindow(manager, Worker())
    qtbot.addWidget(window)
    window.start()
    qtbot.waitUntil(lambda: window.tree.topLevelItemCount() == 1, timeout=30_000)
    window.worker.wait()
    assert [p.id for p in manager.list()] == ["org.example.test"]


def test_lesson_view_loads_nothing_from_outside_the_pack(qtbot, tmp_path: Path) -> None:
    from mcdesk.learning.library import LessonPage
    from mcdesk.ui.app import LessonView

    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    folder = tmp_path / "pack"
    (folder / "media").mkdir(parents=True)
    (folder / "media" / "ok.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    view = LessonView()
    qtbot.addWidget(view)
    view.show_page(LessonPage("p", "l", "t", "<p>x</p>", str(folder)))
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    image = QTextDocument.ResourceType.ImageResource
    assert view.loadResource(image, QUrl("media/ok.svg")) is not None
    assert view.loadResource(image, QUrl("../secret.svg")) is None
    assert view.loadResource(image, QUrl("https://example.org/x.png")) is None
    assert view.loadResource(image, QUrl.fromLocalFile(str(secret))) is None
