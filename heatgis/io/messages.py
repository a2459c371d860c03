"""Words and sentences the import modules share, in both languages (:class:`heatgis.text.Text`)."""

from __future__ import annotations

from heatgis.model import vocab
from heatgis.text import Text, join

NO_FILE = Text("the file does not exist", "文件不存在")
CHECK_PATH = Text("check the path", "请检查路径")
FROM_CRS_IF_WRONG = Text("give --from-crs if that is wrong", "如有误，请用 --from-crs 指定")

#: the contract's geometry kinds, as a planner reads them
GEOMETRY_WORDS = {
    "Point": Text("Point", "点"),
    "LineString": Text("LineString", "线"),
    "Polygon": Text("Polygon", "面"),
}


def choose_one_of(names) -> Text:
    """ "choose one of: a, b, c" in both languages."""
    return Text("choose one of: {names}", "请选择其中之一：{names}", names=join(map(str, names)))


def unknown_layer(layer) -> Text:
    """The message of ``schema.spec``'s KeyError for ``layer``, in both languages."""
    from heatgis.model.schema import LAYERS

    return Text(
        "unknown layer {name}; the contract's layers are: {layers}",
        "未知图层 {name}；图层规范中的图层有：{layers}",
        name=repr(layer),
        layers=join(LAYERS),
    )


#: a word of the vocabulary in both languages (one definition: ``model.vocab.label_text``)
word = vocab.label_text
