"""Inputs: units and formatting, errors, the schema, scenario files (``extends:``), the risk register
and uncertainty sections, saving scenarios. Imports nothing heavy (no pandas, scipy, matplotlib)."""

from .errors import InputError, ModelError, ScenarioError
from .scenario import Scenario, load_scenario, parse_assignment
from .schema import COST_LINES, FIELDS, PHASES, CostLine, Field

__all__ = ["InputError", "ModelError", "ScenarioError", "Scenario", "load_scenario", "parse_assignment",
           "COST_LINES", "FIELDS", "PHASES", "CostLine", "Field",
           "distributions", "drivers", "errors", "paths", "reading", "risks", "saving", "scenario", "schema",
           "uncertainty", "units"]
