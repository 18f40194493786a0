"""Mutants of one Python module: small, single changes a careless edit could make.

Each mutant is a text splice of the original source (the rest of the file stays byte for byte),
so line numbers in reports are the module's own. A mutant is named by a key that survives edits
elsewhere in the file: the enclosing function, the original snippet and its replacement (and an
occurrence number when the same change appears twice in one function). Equivalent mutants are
excluded by that key in the configuration. For a change within one line the snippet is that
whole line, so a key stays readable and unique without line numbers.
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass

_CMP_SWAPS: dict[type[ast.cmpop], tuple[type[ast.cmpop], ...]] = {
    ast.Lt: (ast.LtE, ast.GtE),
    ast.LtE: (ast.Lt, ast.Gt),
    ast.Gt: (ast.GtE, ast.LtE),
    ast.GtE: (ast.Gt, ast.Lt),
    ast.Eq: (ast.NotEq,),
    ast.NotEq: (ast.Eq,),
    ast.In: (ast.NotIn,),
    ast.NotIn: (ast.In,),
    ast.Is: (ast.IsNot,),
    ast.IsNot: (ast.Is,),
}
_BIN_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
}
_EMPTY_RETURN = {"list": "[]", "dict": "{}", "tuple": "()", "set": "set()", "str": "''"}


@dataclass(frozen=True, slots=True)
class Mutant:
    """One change: the byte span it replaces in the source and what it puts there."""

    key: str
    operator: str
    line: int
    start: int
    end: int
    original: str
    replacement: str

    def apply(self, source: bytes) -> bytes:
        return source[: self.start] + self.replacement.encode() + source[self.end :]


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Finder(ast.NodeVisitor):
    """Walks the module once, remembering the enclosing function and what not to touch."""

    def __init__(self, source: bytes, only: frozenset[str]) -> None:
        self.source = source
        self.only = only
        lines = source.splitlines(keepends=True)
        self.line_start = [0]
        for text in lines:
            self.line_start.append(self.line_start[-1] + len(text))
        self.scope: list[str] = []
        self.returns: list[ast.expr | None] = []
        self.found: list[tuple[str, str, ast.AST, str]] = []

    # ---- scope -----------------------------------------------------------------------------
    def _in_scope(self) -> bool:
        if not self.only:
            return True
        return any(name in self.only for name in self.scope)

    def _visit_scope(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        for deco in node.decorator_list:
            self.visit(deco)
        self.scope.append(node.name)
        self.returns.append(node.returns if not isinstance(node, ast.ClassDef) else None)
        if not isinstance(node, ast.ClassDef):
            for default in [*node.args.defaults, *node.args.kw_defaults]:
                if default is not None:
                    self.visit(default)
        for stmt in node.body:
            if _is_docstring(stmt):
                continue
            self.visit(stmt)
        self.returns.pop()
        self.scope.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._visit_scope(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._visit_scope(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._visit_scope(node)

    # ---- never mutated: annotations, message text, imports ----------------------------------
    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        return

    def visit_Import(self, node: ast.Import) -> None:
        return

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        return

    # ---- operators --------------------------------------------------------------------------
    def _add(self, operator: str, node: ast.AST, replacement: str) -> None:
        if self._in_scope():
            self.found.append((operator, ".".join(self.scope) or "<module>", node, replacement))

    def visit_Compare(self, node: ast.Compare) -> None:
        for i, op in enumerate(node.ops):
            for new in _CMP_SWAPS.get(type(op), ()):
                ops = [*node.ops]
                ops[i] = new()
                self._add("compare", node, _expr(ast.Compare(node.left, ops, node.comparators)))
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        new = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        self._add("boolean", node, _expr(ast.BoolOp(new, node.values)))
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self._add("not", node, _expr(node.operand))
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        new = _BIN_SWAPS.get(type(node.op))
        if new is not None:
            self._add("arithmetic", node, _expr(ast.BinOp(node.left, new(), node.right)))
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        new = _BIN_SWAPS.get(type(node.op))
        if new is not None:
            swapped = ast.AugAssign(node.target, new(), node.value)
            self._add("arithmetic", node, ast.unparse(swapped))
        self.visit(node.value)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool):
            self._add("constant", node, repr(not value))
        elif isinstance(value, int | float) and value in (0, 1):
            self._add("constant", node, repr(type(value)(1 - value)))
        elif isinstance(value, int | float):
            self._add("constant", node, repr(value + 1))

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id in ("min", "max"):
            other = "max" if node.func.id == "min" else "min"
            self._add("min/max", node, _expr(ast.Call(ast.Name(other), node.args, node.keywords)))
        self.generic_visit(node)

    # ---- statements -------------------------------------------------------------------------
    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Call | ast.Await):
            self._add("delete", node, "pass")
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        self._add("delete", node, "pass")
        self.generic_visit(node)

    def visit_Continue(self, node: ast.Continue) -> None:
        self._add("delete", node, "pass")

    def visit_Break(self, node: ast.Break) -> None:
        self._add("delete", node, "pass")

    def visit_Return(self, node: ast.Return) -> None:
        value = node.value
        if value is not None and not (isinstance(value, ast.Constant) and value.value is None):
            self._add("return", node, f"return {self._empty_return()}")
        self.generic_visit(node)

    def _empty_return(self) -> str:
        note = self.returns[-1] if self.returns else None
        if note is None:
            return "None"
        text = ast.unparse(note).strip("'\"")
        if "None" in text or "|" in text:
            return "None"
        head = text.split("[", 1)[0].rsplit(".", 1)[-1].lower()
        return _EMPTY_RETURN.get(head, "None")

    # ---- spans ------------------------------------------------------------------------------
    def span(self, node: ast.AST) -> tuple[int, int]:
        start = self.line_start[node.lineno - 1] + node.col_offset  # type: ignore[attr-defined]
        end_line: int = node.end_lineno  # type: ignore[attr-defined]
        end = self.line_start[end_line - 1] + node.end_col_offset  # type: ignore[attr-defined]
        return start, end


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _expr(node: ast.expr) -> str:
    """An expression wrapped in brackets, so it splices safely into any expression slot."""
    return f"({ast.unparse(node)})"


def find_mutants(source: bytes, only: frozenset[str] = frozenset()) -> list[Mutant]:
    """Every mutant of a module, in source order; ``only`` limits them to the named functions.

    Mutants that would not compile are dropped (none should; this guards the splicing).
    """
    tree = ast.parse(source)
    finder = _Finder(source, only)
    for stmt in tree.body:
        if not _is_docstring(stmt):
            finder.visit(stmt)
    seen: Counter[str] = Counter()
    mutants: list[Mutant] = []
    for operator, scope, node, replacement in finder.found:
        start, end = finder.span(node)
        original = source[start:end].decode()
        lineno: int = node.lineno  # type: ignore[attr-defined]
        if lineno == node.end_lineno:  # type: ignore[attr-defined]
            # The whole line names the mutant: unique, and still readable in a report.
            first, last = finder.line_start[lineno - 1], finder.line_start[lineno]
            before = source[first:last].decode()
            after = (source[first:start] + replacement.encode() + source[end:last]).decode()
        else:
            before, after = original, replacement
        base = f"{scope}: {_one_line(before)} -> {_one_line(after)}"
        seen[base] += 1
        key = base if seen[base] == 1 else f"{base} [{seen[base]}]"
        mutant = Mutant(key, operator, lineno, start, end, original, replacement)
        if _compiles(mutant.apply(source)):
            mutants.append(mutant)
    return mutants


def _compiles(source: bytes) -> bool:
    try:
        compile(source, "<mutant>", "exec", dont_inherit=True)
    except SyntaxError:
        return False
    return True
