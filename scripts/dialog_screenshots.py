"""Screenshots of the import dialog in Chinese in its error state (the check of a file that lacks
required fields), to see that what it shows after an action is translated.

    QT_QPA_PLATFORM=offscreen python scripts/dialog_screenshots.py [OUT_DIR]

Writes OUT_DIR/import_error_zh.png (default docs/screenshots/).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]


def main(out: Path) -> int:
    from PySide6 import QtWidgets

    from heatgis.gui import i18n
    from heatgis.gui.dialogs.import_dialog import ImportDialog
    from heatgis.model.store import open_project

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    if not i18n.set_language(app, "zh"):
        print("the zh_CN translations did not load", file=sys.stderr)
        return 1
    project = open_project(ROOT / "data" / "hohhot_demo.gpkg")
    # a planner's table of new stations without the network, the depot or the compound
    csv = Path(tempfile.mkdtemp()) / "新增换热站.csv"
    csv.write_text(
        "编号,站名,经度,纬度,供热面积（万㎡）,户数,地址\n"
        "ST-9001,青城花园换热站,111.70,40.82,3.2,410,新城区青城花园\n"
        "ST-9002,锦绣华府换热站,111.72,40.84,2.8,365,新城区锦绣华府\n",
        encoding="utf-8",
    )
    dlg = ImportDialog(project)
    dlg.resize(1000, 700)
    dlg.set_layer("stations")
    dlg.set_file(csv)
    dlg.check()
    dlg.show()
    for _ in range(10):
        app.processEvents()
    out.mkdir(parents=True, exist_ok=True)
    dlg.grab().save(str(out / "import_error_zh.png"))
    print(dlg.notes.toPlainText())
    dlg.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
