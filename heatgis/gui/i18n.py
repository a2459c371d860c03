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

#: the translators installed on each application (HeatGIS's own, then Qt's for its standard buttons)
_translators: dict[int, list[QtCore.QTranslator]] = {}


def system_language() -> str:
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
    qt_dir = QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(f"qtbase_{'zh_CN' if lang == 'zh' else lang}", qt_dir):
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
    """One :class:`heatgis.errors.Problem` as ``str(problem)`` writes it, with the frame (severity,
    layer, row, field, "Fix:") in the UI's language. The message and the fix are the core's own
    words and stay as they are."""
    where = [str(problem.file)] if problem.file else []
    if problem.layer:
        where.append(translate("Errors", "layer {0}").format(problem.layer))
    if problem.row is not None:
        where.append(translate("Errors", "row {0}").format(problem.row))
    if problem.field:
        where.append(translate("Errors", "field {0}").format(problem.field))
    colon = translate("Errors", ": ")
    severity = {
        "error": translate("Errors", "error"),
        "warning": translate("Errors", "warning"),
        "info": translate("Errors", "info"),
    }.get(problem.severity, problem.severity)
    text = severity + colon + (translate("Errors", ", ").join(where) + colon if where else "") + problem.message
    if problem.fix:
        text += " " + translate("Errors", "Fix: {0}").format(problem.fix)
    return text


def error_text(exc: BaseException) -> str:
    """What the planner is shown for an error: a :class:`heatgis.errors.HeatGISError` with its frame
    translated (:func:`problem_text`, its problems indented below), anything else (or an error class
    that writes itself its own way) as ``str(exc)``."""
    from heatgis.errors import HeatGISError

    if not isinstance(exc, HeatGISError) or type(exc).__str__ is not HeatGISError.__str__:
        return str(exc)
    return "\n".join([problem_text(exc.problem)] + [f"  {problem_text(p)}" for p in exc.problems])


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
    """A progress step of the core in the UI's language: one of :data:`PROGRESS_STEPS`, or
    "reading FILE"; other messages (with figures in them) as they are."""
    if message in PROGRESS_STEPS:
        return translate("Progress", message)
    head, _, rest = message.partition(" ")
    if head == "reading" and rest:
        return translate("Progress", "reading {0}").format(rest)
    return message
