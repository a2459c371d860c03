"""Reading a rules file: the checks of its keys and values shared by the sections of the file.

The bottom of the rules modules (``rule_checks`` < ``heat_rules`` < ``rules``): the staffing rules,
their ``heat`` section and the crews' rules (:mod:`heatgis.routing.crew_rules`) read the same way.
"""

from __future__ import annotations

import numpy as np

from heatgis.errors import HeatGISError
from heatgis.model.vocab import ROLES
from heatgis.text import Text

STAFF_ROLES: tuple[str, ...] = ROLES

#: the fix of a name that is not a staff role (the roles as the rules file writes them)
_ROLE_FIX = Text("use one of: {roles}", "可用的岗位：{roles}", roles=", ".join(STAFF_ROLES))


def check_keys(doc, allowed, prefix: str, file) -> None:
    """A HeatGISError naming the first key of the rules document ``doc`` that is not ``allowed``
    (``prefix`` names where ``doc`` sits, e.g. ``"crews.rest."``); the rule files of staffing and
    of the crews read the same way."""
    bad = [k for k in doc if k not in allowed]
    if bad:
        raise HeatGISError(
            Text(
                "unknown rule key(s): {keys}",
                "未知的规则键：{keys}",
                keys=", ".join(prefix + str(k) for k in bad),
            ),
            Text("use only: {keys}", "只能使用：{keys}", keys=", ".join(prefix + k for k in allowed)),
            file=file,
            field=prefix + str(bad[0]),
        )


def _int(v, name, file, minimum):
    if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
        raise HeatGISError(
            Text(
                "'{name}' is {v!r}, not a whole number >= {minimum}",
                "'{name}' 为 {v!r}，不是大于等于 {minimum} 的整数",
                name=name,
                v=v,
                minimum=minimum,
            ),
            Text("write a whole number for '{name}', e.g. 3", "为 '{name}' 填写整数，例如 3", name=name),
            file=file,
            field=name,
        )
    return v


def _role(v, name, file):
    if not isinstance(v, str) or v not in STAFF_ROLES:
        raise HeatGISError(
            Text(
                "'{name}' names the role {v!r}, which is not a staff role",
                "'{name}' 写的岗位 {v!r} 不是员工岗位",
                name=name,
                v=v,
            ),
            _ROLE_FIX,
            file=file,
            field=name,
        )
    return v


def _is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v)
