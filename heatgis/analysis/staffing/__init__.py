"""The staffing plan: locked-in staff run the locked sites in their own zone; the rest go to the crews.

A package whose modules import downwards only: ``rules`` (what a site needs; reading the
file's sections on ``heat_rules``, the cold-snap rules, on ``rule_checks``, the key and value
checks) and ``plan`` (the plan's data) at the bottom; ``solve`` (the assignment), ``report``
(building the plan's tables) and ``overrides`` (hand pins saved in the project)
above them; ``problem`` (``StaffingProblem``, ``plan_staffing``) on top.
"""

from heatgis.analysis.staffing.plan import (
    ASSIGNMENT_COLUMNS,
    DUTY_COLUMNS,
    ON_CALL,
    ON_CALL_COLUMNS,
    SITE_COLUMNS,
    STAFF_COLUMNS,
    StaffingPlan,
    pin_tuple,
    removal_tuple,
)
from heatgis.analysis.staffing.problem import StaffingProblem, plan_staffing
from heatgis.analysis.staffing.rules import StaffingRules
from heatgis.errors import Cancelled

__all__ = [
    "ASSIGNMENT_COLUMNS",
    "DUTY_COLUMNS",
    "ON_CALL",
    "ON_CALL_COLUMNS",
    "SITE_COLUMNS",
    "STAFF_COLUMNS",
    "Cancelled",
    "StaffingPlan",
    "StaffingProblem",
    "StaffingRules",
    "pin_tuple",
    "plan_staffing",
    "removal_tuple",
]
