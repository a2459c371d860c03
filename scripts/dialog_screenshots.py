"""Screenshots of the import dialog in Chinese in its error state (the check of a file that lacks
required fields), to see that what it shows after an action is translated.

    QT_QPA_PLATFORM=offscreen python scripts/dialog_screenshots.py [OUT_DIR]

Writes OUT_DIR/import_error_zh.png and OUT_DIR/notice_zh.png (the notice dialog after a match,
OK pressed with no row checked) (default docs/screenshots/).
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

    from heatgis.gui.dialogs.notice_dialog import NoticeDialog

    notice = NoticeDialog(project)
    notice.resize(1000, 640)
    notice.set_text(
        "呼和浩特市新冠肺炎疫情防控指挥部通告\n自2022年2月26日0时起，将以下区域划定为封控区：\n"
        "新城区：阳光花园、锦秀华府、内蒙古饭店、中海家园。\n特此通告。\n2022年2月26日"
    )
    for m in notice._rows:
        notice.set_checked(m.query.text, False)
    notice.accept()  # nothing checked: the dialog stays open and says so
    notice.show()
    for _ in range(10):
        app.processEvents()
    notice.grab().save(str(out / "notice_zh.png"))
    print(notice.summary.text())
    notice.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
