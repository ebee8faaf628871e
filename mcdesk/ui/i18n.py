"""Translations: which languages ship, loading the compiled .qm for one, and switching while the app runs.

The .ts sources and compiled .qm files live in resources/i18n/ (shipped as mcdesk.resources); how to
update and compile them is in docs/translations.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from PySide6.QtCore import QTranslator

SYSTEM = "system"
"""The language setting that follows the system locale (the default)."""

SOURCE_LANGUAGE = "en"
"""The language the strings in the code are written in; it needs no translation file."""

QM_PREFIX = "mcdesk_"

# Each language is shown in its own language, so a person can find theirs whatever is on screen.
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "sw": "Kiswahili"}

# Keep the installed translators (and the bytes they read from) alive; Qt does not own them.
_installed: list[QTranslator] = []


def translations_folder() -> Traversable:
    """Where the .qm files are: the package's folder when it is one on disk (read directly, which keeps
    importlib.resources and zipfile off the app's start), else through importlib.resources."""
    import mcdesk.resources

    for entry in mcdesk.resources.__path__:
        folder = Path(entry) / "i18n"
        if folder.is_dir():
            return folder
    import importlib.resources

    return importlib.resources.files("mcdesk.resources") / "i18n"


def available_languages() -> list[tuple[str, str]]:
    """(code, name of the language in itself): English first, then every shipped translation."""
    codes = set()
    folder = translations_folder()
    if folder.is_dir():
        for entry in folder.iterdir():
            name = entry.name
            if name.startswith(QM_PREFIX) and name.endswith(".qm"):
                codes.add(name[len(QM_PREFIX):-len(".qm")])
    codes.discard(SOURCE_LANGUAGE)
    others = sorted(codes, key=lambda c: LANGUAGE_NAMES.get(c, c).casefold())
    return [(code, LANGUAGE_NAMES.get(code, code)) for code in [SOURCE_LANGUAGE, *others]]


def resolve_language(language: str, system: QLocale | None = None) -> str:
    """The language that will be shown for a setting: a shipped code as given, and for "system"
    (or anything unknown) the first of the system's preferred languages that ships, else English."""
    codes = [code for code, _name in available_languages()]
    if language in codes:
        return language
    locale = system if system is not None else QLocale.system()
    for tag in [*locale.uiLanguages(), locale.name()]:
        primary = tag.replace("_", "-").split("-")[0].lower()
        if primary in codes:
            return primary
    return SOURCE_LANGUAGE


def install_translator(app: QCoreApplication, language: str = SYSTEM) -> str:
    """Show the app in ``language`` ("system", "en", "fr", ...); returns the code now in use.

    Replaces any translator installed before. Installing or removing a translator makes Qt send
    QEvent.LanguageChange to every widget, whose changeEvent then re-translates its texts."""
    code = resolve_language(language)
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if code != SOURCE_LANGUAGE:
        # Imported here: in English (the source language) no translator is made, and their Python types
        # stay off the start.
        from PySide6.QtCore import QLibraryInfo, QTranslator

        qt = QTranslator(app)  # Qt's own strings: standard buttons, file dialogs
        if qt.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            _install(app, qt)
        ours = QTranslator(app)
        data = (translations_folder() / f"{QM_PREFIX}{code}.qm").read_bytes()
        if ours.load(data):
            ours._data = data  # type: ignore[attr-defined]  # Qt reads from these bytes later
            _install(app, ours)
    # Numbers, dates and sizes follow the language too; the system's regional formats are kept
    # when the system speaks the chosen language.
    QLocale.setDefault(QLocale.system() if resolve_language(SYSTEM) == code else QLocale(code))
    return code


def installed_language() -> str:
    """The code of the translation in use now ("en" when none is installed)."""
    for translator in _installed:
        if translator.language():
            return translator.language().replace("_", "-").split("-")[0]
    return SOURCE_LANGUAGE


def _install(app: QCoreApplication, translator: QTranslator) -> None:
    app.installTranslator(translator)
    _installed.append(translator)
