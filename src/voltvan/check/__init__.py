"""The independent plan checker: :func:`check_plan` replays a plan against its scenario.

It shares no code with the planner's own evaluation (see ``_checker.py``), so the planner cannot
certify its own mistakes.
"""

from voltvan.check._checker import CheckResult as CheckResult
from voltvan.check._checker import Violation as Violation
from voltvan.check._checker import check_plan as check_plan

__all__ = ["CheckResult", "Violation", "check_plan"]
