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

_translators: dict[int, QtCore.QTranslator] = {}


def system_language() -> str:
    return "zh" if QtCore.QLocale.system().language() == QtCore.QLocale.Language.Chinese else "en"


def qm_path(lang: str) -> Path:
    return TRANSLATIONS / f"heatgis_{'zh_CN' if lang == 'zh' else lang}.qm"


def set_language(app, lang: str) -> bool:
    """Install the translator of ``lang`` ("zh" or "en") on ``app``; True if it loaded."""
    old = _translators.pop(id(app), None)
    if old is not None:
        app.removeTranslator(old)
    if lang == "en":
        return True
    tr = QtCore.QTranslator(app)
    ok = tr.load(str(qm_path(lang)))
    if ok:
        app.installTranslator(tr)
        _translators[id(app)] = tr
    return ok


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
