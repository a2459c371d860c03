"""Language: Chinese by default on a Chinese system, English otherwise, switchable live.

The user-visible strings are English in the code (``self.tr``); the Chinese
translations live in ``resources/translations/heatgis_zh_CN.ts`` (Qt Linguist
source, updated with ``pyside6-lupdate``) compiled to ``heatgis_zh_CN.qm`` with
``pyside6-lrelease``. Installing or removing the translator makes Qt send a
LanguageChange event to every widget, which then retranslates itself.
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore

from heatgis.paths import TRANSLATIONS_DIR as TRANSLATIONS
from heatgis.text import Text

#: the translators installed on each application (HeatGIS's own, then Qt's for its standard buttons)
_translators: dict[int, list[QtCore.QTranslator]] = {}


def qt_translation_dirs() -> list[Path]:
    """Where Qt's own .qm files may be: Qt's translations path (a frozen app's qt.conf points it into
    the bundle), then the PySide6 wheel's folders (``PySide6/Qt/translations`` on Linux and macOS,
    ``PySide6/translations`` on Windows)."""
    dirs = [Path(QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.LibraryPath.TranslationsPath))]
    try:
        import PySide6

        base = Path(PySide6.__file__).resolve().parent
        dirs += [base / "Qt" / "translations", base / "translations"]
    except (ImportError, TypeError):  # a frozen app without a package file
        pass
    return [d for d in dict.fromkeys(dirs) if d.is_dir()]


def qt_qm_path(lang: str, catalogue: str = "qtbase") -> Path | None:
    """Qt's own translation of ``lang`` ("zh" -> qtbase_zh_CN.qm: OK/Cancel/Close, the file dialog),
    or None when none is found in ``qt_translation_dirs()``."""
    name = f"{catalogue}_{'zh_CN' if lang == 'zh' else lang}.qm"
    for d in qt_translation_dirs():
        if (d / name).is_file():
            return d / name
    return None


def qt_translated(app) -> bool:
    """True when Qt's own catalogue is installed for the current language (the smoke test reports it)."""
    return any("qtbase" in t.filePath() for t in _translators.get(id(app), []))


def system_language() -> str:
    """The system's language (the command line's messages also heed ``HEATGIS_LANG``; the app has
    its own setting in the View menu, kept in its settings)."""
    return "zh" if QtCore.QLocale.system().language() == QtCore.QLocale.Language.Chinese else "en"


def qm_path(lang: str) -> Path:
    return TRANSLATIONS / f"heatgis_{'zh_CN' if lang == 'zh' else lang}.qm"


def set_language(app, lang: str) -> bool:
    """Install the translator of ``lang`` ("zh" or "en") on ``app``; True if it loaded.

    Qt's own translation of its standard texts (the Cancel, Save, Discard buttons of dialogs and
    message boxes, ``qtbase_zh_CN.qm`` from the Qt install) goes with it when Qt has one."""
    for old in _translators.pop(id(app), []):
        app.removeTranslator(old)
    if lang == "en":
        return True
    tr = QtCore.QTranslator(app)
    if not tr.load(str(qm_path(lang))):
        return False
    installed = [tr]
    qt = QtCore.QTranslator(app)
    qt_qm = qt_qm_path(lang)  # Qt's path, else the PySide6 wheel's folders (the frozen app: its bundle)
    if qt_qm is not None and qt.load(str(qt_qm)):
        installed.append(qt)
    for t in installed:
        app.installTranslator(t)
    _translators[id(app)] = installed
    return True


def current_language(app=None) -> str:
    """The language the UI is in: "zh" when a translation is installed on ``app`` (default: the
    running application), else "en" (the source strings). Values shown from ``model.vocab`` use it,
    so they switch with the widgets' texts."""
    app = app if app is not None else QtCore.QCoreApplication.instance()
    return "zh" if app is not None and id(app) in _translators else "en"


class Retranslating:
    """Mixin (first among the bases) for a widget with ``retranslate()``: called again on every
    language change Qt sends it."""

    def changeEvent(self, ev) -> None:
        if ev.type() == QtCore.QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)


def translate(context: str, text: str) -> str:
    """``text`` in the UI's language, from the ``context`` of the translations (for code that is not
    a widget's method; widgets use ``self.tr``)."""
    return QtCore.QCoreApplication.translate(context, text)


def problem_text(problem) -> str:
    """One :class:`heatgis.errors.Problem` in the UI's language: the frame (severity, layer, row,
    field, the fix) and the core's own message and fix, which are :class:`heatgis.text.Text`."""
    return problem.text(current_language())


def error_text(exc: BaseException) -> str:
    """What the planner is shown for an error: a :class:`heatgis.errors.HeatGISError` in the UI's
    language (its problems indented below), anything else as ``str(exc)``."""
    from heatgis.errors import HeatGISError

    if isinstance(exc, HeatGISError):
        return exc.text(current_language())
    return str(exc)


#: the steps long work reports (``Feedback.set_progress``): the core's words, shown on the progress
#: bars in the UI's language; any other message is shown as it is
PROGRESS_STEPS = (
    QtCore.QT_TRANSLATE_NOOP("Progress", "done"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "ready"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "reading"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "mapping fields"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "coordinate system"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "repairing geometries"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "checking against the contract"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "indexing"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "zones"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "timeline"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "impact"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "staff"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "candidates"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "staffing plan"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "duty"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "duty list"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "road graph"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "travel times"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "roster"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "routes"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "drive-through"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "dispatch"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "crew plan"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "crews' operations plan"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "route geometries"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "loads"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "balance"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "risk"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "heat balance"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "staffing plan at the coldest hour"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "map"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "picture"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "workbook"),
    QtCore.QT_TRANSLATE_NOOP("Progress", "slides"),
)


def progress_text(message: str) -> str:
    """A progress step of the core in the UI's language: a :class:`heatgis.text.Text` (steps with
    figures in them, "plan done: 9 visits, 1.5 h driving", are Texts at their source), one of
    :data:`PROGRESS_STEPS`, "reading FILE"; other messages as they are."""
    if isinstance(message, Text):
        return message.in_language(current_language())
    if message in PROGRESS_STEPS:
        return translate("Progress", message)
    head, _, rest = message.partition(" ")
    if head == "reading" and rest:
        return translate("Progress", "reading {0}").format(rest)
    return message
