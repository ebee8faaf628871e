"""The settings dialog (language, theme, text size, idle lock; saved and applied) and the translations:
complete, compiled from the committed source, placeholders intact, and really shown."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from mcdesk.learning.learners import create_learner, get_preferences, get_setting, remove_learner, set_setting
from mcdesk.packs.install import PackManager
from mcdesk.ui.context import SETTINGS, Context
from mcdesk.ui.i18n import available_languages, install_translator, installed_language, resolve_language
from mcdesk.ui.ops import Worker
from mcdesk.ui.settings_dialog import DisplaySettings, SettingsDialog, load_display_settings
from mcdesk.ui.technician import TechnicianPanel
from mcdesk.ui.theme import apply_theme, current_theme

REPO = Path(__file__).resolve().parents[2]
UI = REPO / "mcdesk" / "ui"
I18N = REPO / "resources" / "i18n"
SHIPPED = ["fr"]  # every translation that must be complete
TOOLS = Path(sys.executable).parent
LUPDATE = TOOLS / "pyside6-lupdate"
LRELEASE = TOOLS / "pyside6-lrelease"


# --- helpers -----------------------------------------------------------------------------------------


@pytest.fixture
def ctx(home, store, manager: PackManager) -> Iterator[Context]:
    context = Context(home=home, store=store, manager=manager, worker=Worker())
    yield context
    context.worker.wait()


@pytest.fixture(autouse=True)
def _english_and_light_afterwards(qapp: QApplication) -> Iterator[None]:
    """Language and theme are app-wide: put them back so other tests see the defaults."""
    yield
    install_translator(qapp, "en")
    apply_theme(qapp, "light")


def open_dialog(qtbot, ctx: Context) -> SettingsDialog:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded)
    return dialog


def choose(combo, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str
    numerus: bool
    kind: str  # "" when finished; "unfinished", "vanished" or "obsolete" otherwise
    translations: tuple[str, ...]  # the text, or each plural form


def read_ts(path: Path) -> dict[tuple[str, str, str], Message]:
    messages = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            forms = [f.text or "" for f in translation.iter("numerusform")]
            numerus = message.get("numerus") == "yes"
            found = Message(name, message.findtext("source") or "", message.findtext("comment") or "", numerus,
                            translation.get("type") or "", tuple(forms) if numerus else (translation.text or "",))
            messages[(found.context, found.source, found.comment)] = found
    return messages


def run_lupdate(target: Path) -> None:
    done = subprocess.run([str(LUPDATE), "-extensions", "py", "-locations", "none", "-no-obsolete",
                           str(UI), "-ts", str(target)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def code_strings(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], Message]:
    """Every translatable string lupdate finds in mcdesk/ui now."""
    target = tmp_path_factory.mktemp("lupdate") / "fresh_fr.ts"
    run_lupdate(target)
    return read_ts(target)


PLACEHOLDER = re.compile(r"\{\d*\}|%n|%L?\d+")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def tags(text: str) -> list[str]:
    return sorted(t.lower() for t in TAG.findall(text))


def has_shortcut(text: str) -> bool:
    return bool(re.search(r"&(?!&)\S", text.replace("&&", "")))


# --- the settings dialog --------------------------------------------------------------------------------


def test_a_technician_changes_the_laptop_settings_and_they_are_kept_and_applied(
        qtbot, ctx: Context, qapp: QApplication) -> None:
    ctx.technician = True
    announced: list[frozenset[str]] = []
    ctx.bus.changed.connect(announced.append)
    dialog = open_dialog(qtbot, ctx)
    assert dialog.laptop.isVisibleTo(dialog)
    assert dialog.language.currentData() == "system"
    assert dialog.language.itemText(0) == "Follow the system"
    assert dialog.theme.currentData() == "light"
    assert dialog.text_size.currentData() == 12
    assert dialog.idle.value() == 5
    applied: list[DisplaySettings] = []
    dialog.applied.connect(applied.append)

    choose(dialog.language, "fr")
    choose(dialog.theme, "dark")
    choose(dialog.text_size, 16)
    dialog.idle.setValue(12)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    assert applied == [DisplaySettings(language="fr", theme="dark", text_size=16)]
    assert frozenset({SETTINGS}) in announced
    assert get_setting(ctx.store, "language") == "fr"
    assert get_setting(ctx.store, "theme") == "dark"
    assert get_setting(ctx.store, "text_size") == "16"
    assert get_setting(ctx.store, "idle_lock_minutes") == "12"
    assert current_theme().name == "dark"
    assert installed_language() == "fr"
    assert load_display_settings(ctx.store, None) == applied[0]

    again = open_dialog(qtbot, ctx)  # shows what was kept, now in French
    assert again.language.currentData() == "fr"
    assert again.theme.currentData() == "dark"
    assert again.text_size.currentData() == 16
    assert again.idle.value() == 12
    assert again.windowTitle() == "Paramètres"
    assert again.language.itemText(0) == "Suivre le système"


def test_a_learner_keeps_their_own_choices_and_the_laptop_defaults_stay(qtbot, ctx: Context) -> None:
    set_setting(ctx.store, "theme", "dark")
    learner = create_learner(ctx.store, "Amina", "#1565c0")
    ctx.learner_id = learner.id
    dialog = open_dialog(qtbot, ctx)
    assert not dialog.laptop.isVisibleTo(dialog)  # the idle lock is for technicians
    assert dialog.language.itemText(0) == "Same as this laptop"
    assert dialog.theme.currentData() == "dark"  # the laptop's, until the learner chooses
    assert "Amina" in dialog.scope.text()

    choose(dialog.theme, "high-contrast")
    choose(dialog.text_size, 20)
    choose(dialog.language, "en")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    assert get_preferences(ctx.store, learner.id) == {"theme": "high-contrast", "text_size": 20, "language": "en"}
    assert get_setting(ctx.store, "theme") == "dark"
    assert get_setting(ctx.store, "language") is None
    assert get_setting(ctx.store, "idle_lock_minutes") is None
    assert current_theme().name == "high-contrast"
    assert load_display_settings(ctx.store, learner.id) == DisplaySettings("en", "high-contrast", 20)
    assert load_display_settings(ctx.store, None) == DisplaySettings("system", "dark", 12)

    again = open_dialog(qtbot, ctx)
    choose(again.language, "system")  # back to "same as this laptop": the preference is removed
    qtbot.mouseClick(again.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not again.isVisible())
    assert "language" not in get_preferences(ctx.store, learner.id)


def test_cancel_changes_nothing(qtbot, ctx: Context) -> None:
    ctx.technician = True
    dialog = open_dialog(qtbot, ctx)
    choose(dialog.theme, "dark")
    dialog.idle.setValue(30)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    ctx.worker.wait()
    assert not dialog.isVisible()
    assert get_setting(ctx.store, "theme") is None
    assert get_setting(ctx.store, "idle_lock_minutes") is None
    assert current_theme().name == "light"


def test_saving_for_a_learner_removed_meanwhile_shows_the_error_and_saves_nothing(
        qtbot, ctx: Context) -> None:
    learner = create_learner(ctx.store, "Baraka", "#1565c0")
    ctx.learner_id = learner.id
    dialog = open_dialog(qtbot, ctx)
    remove_learner(ctx.store, learner.id)
    choose(dialog.theme, "dark")
    seen: list[str] = []

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.done(0)

    timer = QTimer()
    timer.timeout.connect(close_box)
    timer.start(20)
    try:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(seen))
    finally:
        timer.stop()
    assert "no learner profile number" in seen[0]
    assert dialog.isVisible() and dialog.ok_button.isEnabled()  # still open, can try again or cancel
    assert current_theme().name == "light"


def test_the_text_size_preview_follows_the_choice_and_every_control_has_a_name(qtbot, ctx: Context) -> None:
    ctx.technician = True
    dialog = open_dialog(qtbot, ctx)
    choose(dialog.text_size, 24)
    assert dialog.preview.font().pointSize() == 24
    for widget in (dialog.language, dialog.theme, dialog.text_size, dialog.idle, dialog.ok_button,
                   dialog.cancel_button):
        assert widget.accessibleName()
    dialog.idle.setValue(0)
    assert dialog.idle.text() == "Never"


@pytest.mark.parametrize("size", [(1024, 600), (1366, 768)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_settings_dialog_fits_the_small_screens(qtbot, ctx: Context, size: tuple[int, int],
                                                   tmp_path: Path) -> None:
    ctx.technician = True
    dialog = open_dialog(qtbot, ctx)
    choose(dialog.text_size, 28)  # the largest preview
    hint = dialog.sizeHint()
    assert hint.width() <= size[0] and hint.height() <= size[1]
    dialog.resize(dialog.sizeHint())
    dialog.grab().save(str(tmp_path / f"settings-{size[0]}x{size[1]}.png"))


# --- the translation machinery ------------------------------------------------------------------------


def test_available_languages_are_english_and_every_shipped_translation() -> None:
    languages = available_languages()
    assert languages[0] == ("en", "English")
    assert ("fr", "Français") in languages
    assert {code for code, _ in languages} >= {"en", *SHIPPED}


def test_following_the_system_picks_its_language_when_translated_else_english() -> None:
    assert resolve_language("system", QLocale("fr_CA")) == "fr"
    assert resolve_language("system", QLocale("fr_FR")) == "fr"
    assert resolve_language("system", QLocale("de_DE")) == "en"
    assert resolve_language("fr", QLocale("de_DE")) == "fr"
    assert resolve_language("xx", QLocale("de_DE")) == "en"  # unknown: as the system


def test_switching_language_at_runtime_retranslates_open_widgets(qtbot, qapp: QApplication, ctx: Context) -> None:
    from mcdesk.ui.learner_dialogs import LearnersAdmin

    panel = TechnicianPanel(ctx)
    qtbot.addWidget(panel)
    admin = LearnersAdmin(ctx)
    learners_tab = panel.add_tab(admin, admin.windowTitle())  # as the main window adds it
    panel.show()
    assert panel.tabs.tabText(0) == "&Packs" and panel.tabs.tabText(learners_tab) == "Learners"
    assert install_translator(qapp, "fr") == "fr"
    qtbot.waitUntil(lambda: panel.tabs.tabText(1) == "Éditeurs de &confiance")
    assert panel.tabs.tabText(learners_tab) == "Apprenants"
    assert admin.save_button.text() == "Enregistrer l'identifiant"
    assert panel.packs.install_folder_button.text() == "Installer depuis un d&ossier ou une clé USB…"
    assert panel.packs.table.headerItem().text(0) == "Titre"
    assert QLocale().language() == QLocale.Language.French
    # Qt's own buttons follow too.
    box = QMessageBox(QMessageBox.Icon.Question, "", "", QMessageBox.StandardButton.Cancel)
    assert box.button(QMessageBox.StandardButton.Cancel).text() == "Annuler"
    install_translator(qapp, "en")
    qtbot.waitUntil(lambda: panel.tabs.tabText(1) == "&Trusted publishers")
    assert installed_language() == "en"


def test_every_string_in_the_code_is_visible_to_lupdate() -> None:
    """lupdate reads literals only: translate()/tr() with a variable hides the strings from it."""
    hidden = []
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute | ast.Name):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            owner = node.func.value if isinstance(node.func, ast.Attribute) else None
            if name == "translate" and isinstance(owner, ast.Name) and owner.id in (
                    "QCoreApplication", "QApplication", "QGuiApplication"):
                literal_args = node.args[:2]
            elif name == "tr" and owner is not None:
                literal_args = node.args[:1]
            else:
                continue
            if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in literal_args):
                hidden.append(f"{path.relative_to(REPO)}:{node.lineno}: {ast.unparse(node)}")
    assert hidden == [], "these calls translate text lupdate cannot see; write the strings out:\n" + \
        "\n".join(hidden)


def test_no_string_lands_in_the_empty_context(code_strings: dict[tuple[str, str, str], Message]) -> None:
    """A bare tr("...") outside a class is filed under "", which the running app never looks up."""
    empty = sorted(m.source for m in code_strings.values() if not m.context)
    assert empty == [], f"use QCoreApplication.translate(\"Context\", ...) or self.tr for: {empty}"


@pytest.mark.parametrize("language", SHIPPED)
def test_every_string_in_the_code_has_a_finished_translation(
        language: str, code_strings: dict[tuple[str, str, str], Message]) -> None:
    committed = read_ts(I18N / f"mcdesk_{language}.ts")
    missing = []
    for key, message in sorted(code_strings.items()):
        done = committed.get(key)
        if done is None or done.kind or not all(t.strip() for t in done.translations) or \
                (message.numerus and len(done.translations) < 2):
            missing.append(f"[{key[0]}] {key[1]!r}" + (f" ({key[2]})" if key[2] else ""))
    assert missing == [], (
        f"{len(missing)} string(s) of mcdesk/ui have no finished {language} translation in "
        f"resources/i18n/mcdesk_{language}.ts; follow docs/translations.md:\n" + "\n".join(missing))


@pytest.mark.parametrize("language", SHIPPED)
def test_the_committed_qm_is_what_lrelease_makes_from_the_ts(language: str, tmp_path: Path) -> None:
    fresh = tmp_path / f"mcdesk_{language}.qm"
    done = subprocess.run([str(LRELEASE), str(I18N / f"mcdesk_{language}.ts"), "-qm", str(fresh)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert fresh.read_bytes() == (I18N / f"mcdesk_{language}.qm").read_bytes(), \
        "the .qm is stale: run lrelease (docs/translations.md, step 3)"


@pytest.mark.parametrize("language", SHIPPED)
def test_translations_keep_placeholders_tags_and_shortcuts(language: str) -> None:
    wrong = []
    for (context, source, _comment), message in sorted(read_ts(I18N / f"mcdesk_{language}.ts").items()):
        if message.kind:
            continue
        for text in message.translations:
            expected = placeholders(source)
            got = placeholders(text)
            if message.numerus and len(message.translations) > 1 and "%n" in expected and "%n" not in got:
                # A singular form may spell the number out ("un fichier"), never the plural one.
                if text is message.translations[-1]:
                    wrong.append(f"[{context}] {source!r}: plural form lost %n: {text!r}")
                expected = [p for p in expected if p != "%n"]
            if sorted(expected) != got:
                wrong.append(f"[{context}] {source!r}: placeholders {expected} became {got} in {text!r}")
            if tags(source) != tags(text):
                wrong.append(f"[{context}] {source!r}: tags differ in {text!r}")
            if has_shortcut(source) != has_shortcut(text):
                wrong.append(f"[{context}] {source!r}: keyboard shortcut (&) lost or added in {text!r}")
    assert wrong == [], "\n".join(wrong)


def test_the_french_translation_loads_and_shows_in_the_widgets(qtbot, qapp: QApplication, ctx: Context) -> None:
    assert install_translator(qapp, "fr") == "fr"
    assert installed_language() == "fr"
    panel = TechnicianPanel(ctx)
    qtbot.addWidget(panel)
    assert panel.tabs.tabText(0) == "&Paquets"
    assert panel.packs.remove_button.text() == "&Retirer…"
    assert panel.disk.captions["free"].text() == "Espace libre sur ce disque\u00a0:"  # French spacing
    plural = panel.packs.tr("Installed %n pack(s): {0}.", "", 2).format("A, B")
    assert plural == "2 paquets installés\u00a0: A, B."
    assert panel.packs.tr("Installed %n pack(s): {0}.", "", 1).format("A") == "1 paquet installé\u00a0: A."
    for button in panel.findChildren(QPushButton):
        assert button.accessibleName()


def test_retranslating_many_times_does_not_wear_down_the_python_process(qtbot, ctx: Context) -> None:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a Qt method that
    returns nothing; after a few thousand calls CPython aborts ("none_dealloc: deallocating None").
    A language switch makes hundreds of such calls, so this catches that binding bug early and
    safely: 200 re-translations are far fewer than it takes to crash."""
    panel = TechnicianPanel(ctx)
    qtbot.addWidget(panel)
    before = sys.getrefcount(None)
    for _ in range(200):
        panel.retranslate()
    lost = before - sys.getrefcount(None)
    assert lost < 100, (
        f"{lost} references to None were lost in 200 re-translations: PySide6 {PySide6.__version__} leaks "
        "None on void calls and the app will abort after a while; pin another PySide6-Essentials "
        "(6.11.3 is fine) or use Python 3.12+")
