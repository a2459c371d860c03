"""The table model shows a new frame of the same shape in place: the view keeps its rows and only the
changed rows it shows are signalled (a timeline step's zone table); another shape resets it."""

from __future__ import annotations

import pandas as pd

from heatgis.gui.panels.table_model import FrameModel


def _frame(n, k=0):
    return pd.DataFrame({"zone_id": [f"Z{i}" for i in range(n)], "households": [i * 10 + k for i in range(n)]})


def test_a_frame_of_the_same_shape_is_shown_in_place(qapp):
    m = FrameModel(_frame(50))
    changed, resets = [], []
    m.dataChanged.connect(lambda a, b, *r: changed.append((a.row(), b.row())))
    m.modelReset.connect(lambda: resets.append(1))
    new = _frame(50)
    new.loc[[3, 40], "households"] = -1
    m.set_frame(new, in_sight=(0, 20))  # rows 0-20 in sight: row 3 is signalled, row 40 not
    assert changed == [(3, 3)] and not resets
    assert m.data(m.index(40, 1)) == "-1" and m.data(m.index(3, 1)) == "-1"  # both hold the new values
    m.set_frame(new.copy())  # the same values: nothing to signal
    assert changed == [(3, 3)] and not resets
    m.set_frame(_frame(49))  # another shape: reset
    assert resets == [1] and m.rowCount() == 49
