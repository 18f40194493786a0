"""The independent plan checker: :func:`check_plan` replays a plan against its scenario.

It shares no code with the planner's own evaluation (see ``_checker.py``), so the planner cannot
certify its own mistakes.
"""

from voltvan.check._checker import check_plan as check_plan
from voltvan.check._result import CheckResult as CheckResult
from voltvan.check._result import Violation as Violation

__all__ = ["CheckResult", "Violation", "check_plan"]
