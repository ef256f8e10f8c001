"""The XLSForm expression language (an XPath subset) for relevant, constraint, calculation and
choice_filter: parse once, list the questions referred to, evaluate against stored answers.

Values are what XLSForm stores: strings ('' when unanswered), numbers and booleans, with the
XPath conversions between them (an empty answer is NaN in arithmetic, a non-empty string is
true). ISO dates (2024-03-01) compare as dates. Unknown functions and syntax raise
`ExpressionError` with the part that could not be read, so an import can name it.
"""

import datetime
import math
import re
from dataclasses import dataclass

from django.utils import timezone


class ExpressionError(ValueError):
    """An expression we cannot read."""


@dataclass(frozen=True)
class Node:
    kind: str  # lit, ref, self, field, op, neg, call
    value: object = None
    args: tuple = ()


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{[A-Za-z_][A-Za-z0-9_.-]*\})
      | (?P<str>'[^']*'|"[^"]*")
      | (?P<num>\d+(?:\.\d+)?|\.\d+)
      | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\|)
      | (?P<punct>[(),])
      | (?P<self>\.(?![\w.]))
      | (?P<word>[A-Za-z_][A-Za-z0-9_:.-]*)
    )""",
    re.VERBOSE,
)
_WORD_OPS = {"and", "or", "div", "mod"}
# name -> (minimum, maximum) number of arguments; None for any number.
FUNCTIONS = {
    "selected": (2, 2),
    "not": (1, 1),
    "count-selected": (1, 1),
    "selected-at": (2, 2),
    "string-length": (1, 1),
    "if": (3, 3),
    "concat": (1, None),
    "int": (1, 1),
    "number": (1, 1),
    "string": (1, 1),
    "boolean": (1, 1),
    "round": (1, 2),
    "coalesce": (2, 2),
    "regex": (2, 2),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "ends-with": (2, 2),
    "substr": (2, 3),
    "true": (0, 0),
    "false": (0, 0),
    "today": (0, 0),
    "date": (1, 1),
    "abs": (1, 1),
    "min": (1, None),
    "max": (1, None),
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def tokenize(text: str) -> list[tuple[str, str]]:
    """(kind, text) of each token: ref, str, num, op (and, or, div, mod included), punct, self,
    word. The one tokenizer of XLSForm expressions (surveys.conditions reads the same tokens)."""
    tokens, pos, text = [], 0, text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ExpressionError(f"cannot read {text[pos : pos + 40]!r}")
        kind = match.lastgroup
        assert kind is not None  # every alternative of _TOKEN is a named group
        value = match.group(kind)
        if kind == "word" and value in _WORD_OPS:
            kind = "op"
        tokens.append((kind, value))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return tokens


class _Parser:
    # Lowest to highest precedence, as in XPath 1.0.
    LEVELS = (
        ("or",),
        ("and",),
        ("=", "!="),
        ("<", "<=", ">", ">="),
        ("+", "-"),
        ("*", "div", "mod"),
    )

    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self, kind=None, value=None):
        token = self.peek()
        if token[0] is None or (kind and token[0] != kind) or (value and token[1] != value):
            raise ExpressionError(
                f"expected {value or kind or 'more'} but found {token[1] or 'the end'}"
            )
        self.pos += 1
        return token

    def parse(self) -> Node:
        node = self.binary(0)
        if self.pos != len(self.tokens):
            raise ExpressionError(f"unexpected {self.peek()[1]!r}")
        return node

    def binary(self, level: int) -> Node:
        if level == len(self.LEVELS):
            return self.unary()
        node = self.binary(level + 1)
        while self.peek()[0] == "op" and self.peek()[1] in self.LEVELS[level]:
            op = self.take()[1]
            node = Node("op", op, (node, self.binary(level + 1)))
        return node

    def unary(self) -> Node:
        if self.peek() == ("op", "-"):
            self.take()
            return Node("neg", None, (self.unary(),))
        return self.primary()

    def primary(self) -> Node:
        kind, value = self.peek()
        if kind == "punct" and value == "(":
            self.take()
            node = self.binary(0)
            self.take("punct", ")")
            return node
        if kind == "ref":
            self.take()
            return Node("ref", value[2:-1])
        if kind == "str":
            self.take()
            return Node("lit", value[1:-1])
        if kind == "num":
            self.take()
            return Node("lit", float(value))
        if kind == "self":
            self.take()
            return Node("self")
        if kind == "word":
            self.take()
            if self.peek() == ("punct", "("):
                return self.call(value)
            # A bare name: a column of the choices sheet, in a choice_filter.
            return Node("field", value)
        raise ExpressionError(f"unexpected {value or 'end'!r}")

    def call(self, name: str) -> Node:
        if name not in FUNCTIONS:
            raise ExpressionError(f"the function {name}() is not supported")
        self.take("punct", "(")
        args = []
        if self.peek() != ("punct", ")"):
            args.append(self.binary(0))
            while self.peek() == ("punct", ","):
                self.take()
                args.append(self.binary(0))
        self.take("punct", ")")
        low, high = FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            raise ExpressionError(f"{name}() takes {low}{'' if high == low else '+'} arguments")
        return Node("call", name, tuple(args))


def parse(text: str) -> Node | None:
    """The expression tree, or None for an empty expression."""
    if not text or not str(text).strip():
        return None
    return _Parser(str(text)).parse()


def references(node: Node | None) -> set[str]:
    """The question names an expression refers to as ${name}."""
    if node is None:
        return set()
    found = {str(node.value)} if node.kind == "ref" else set()
    for arg in node.args:
        found |= references(arg)
    return found


def fields(node: Node | None) -> set[str]:
    """Bare names (choice columns) an expression uses."""
    if node is None:
        return set()
    found = {str(node.value)} if node.kind == "field" else set()
    for arg in node.args:
        found |= fields(arg)
    return found


def uses_self(node: Node | None) -> bool:
    return node is not None and (node.kind == "self" or any(uses_self(a) for a in node.args))


# ---------------------------------------------------------------- values


def to_number(value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    if _DATE.match(text):
        try:
            return float((datetime.date.fromisoformat(text) - datetime.date(1970, 1, 1)).days)
        except ValueError:
            return math.nan
    try:
        return float(text)
    except ValueError:
        return math.nan


def to_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0 and not math.isnan(value)
    return value != ""


def to_string(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def _compare(op: str, left, right) -> bool:
    if op in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = to_bool(left) == to_bool(right)
        elif isinstance(left, float) or isinstance(right, float):
            equal = to_number(left) == to_number(right)
        else:
            equal = to_string(left) == to_string(right)
        return equal if op == "=" else not equal
    a, b = to_number(left), to_number(right)
    if math.isnan(a) or math.isnan(b):
        return False
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


@dataclass
class Context:
    values: dict  # question name -> stored answer ('' when unanswered or hidden)
    current: str = ""  # the value "." stands for (constraint)
    choice: dict | None = None  # the choice row a choice_filter looks at


def evaluate(node: Node | None, context: Context):
    """The value of the expression (a string, float or bool)."""
    kind = node.kind
    if kind == "lit":
        return node.value
    if kind == "ref":
        return context.values.get(node.value) or ""
    if kind == "self":
        return context.current or ""
    if kind == "field":
        return (context.choice or {}).get(node.value, "")
    if kind == "neg":
        return -to_number(evaluate(node.args[0], context))
    if kind == "op":
        op = node.value
        if op == "and":
            return to_bool(evaluate(node.args[0], context)) and to_bool(
                evaluate(node.args[1], context)
            )
        if op == "or":
            return to_bool(evaluate(node.args[0], context)) or to_bool(
                evaluate(node.args[1], context)
            )
        left, right = (evaluate(a, context) for a in node.args)
        if op in ("=", "!=", "<", "<=", ">", ">="):
            return _compare(op, left, right)
        a, b = to_number(left), to_number(right)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "div":
            return (
                a / b
                if b
                else (math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a))
            )
        if op == "mod":
            return math.fmod(a, b) if b else math.nan
        raise ExpressionError(f"the operator {op} is not supported")
    return _call(str(node.value), node.args, context)


def _call(name: str, args: tuple, context: Context):
    if name == "if":
        branch = args[1] if to_bool(evaluate(args[0], context)) else args[2]
        return evaluate(branch, context)
    values = [evaluate(a, context) for a in args]
    if name == "selected":
        return to_string(values[1]) in to_string(values[0]).split()
    if name == "not":
        return not to_bool(values[0])
    if name == "count-selected":
        return float(len(to_string(values[0]).split()))
    if name == "selected-at":
        items = to_string(values[0]).split()
        index = to_number(values[1])
        return items[int(index)] if not math.isnan(index) and 0 <= index < len(items) else ""
    if name == "string-length":
        return float(len(to_string(values[0])))
    if name == "concat":
        return "".join(to_string(v) for v in values)
    if name == "int":
        number = to_number(values[0])
        return float(math.trunc(number)) if math.isfinite(number) else number
    if name == "number":
        return to_number(values[0])
    if name == "string":
        return to_string(values[0])
    if name == "boolean":
        return to_bool(values[0])
    if name == "round":
        number = to_number(values[0])
        places = int(to_number(values[1])) if len(values) > 1 else 0
        return round(number, places) if math.isfinite(number) else number
    if name == "coalesce":
        return values[0] if to_string(values[0]) != "" else values[1]
    if name == "regex":
        try:
            return re.search(to_string(values[1]), to_string(values[0])) is not None
        except re.error:
            return False
    if name == "contains":
        return to_string(values[1]) in to_string(values[0])
    if name == "starts-with":
        return to_string(values[0]).startswith(to_string(values[1]))
    if name == "ends-with":
        return to_string(values[0]).endswith(to_string(values[1]))
    if name == "substr":
        text = to_string(values[0])
        start = int(to_number(values[1]))
        end = int(to_number(values[2])) if len(values) > 2 else len(text)
        return text[start:end]
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "today":
        return timezone.localdate().isoformat()
    if name == "date":
        return to_string(values[0])
    if name == "abs":
        return abs(to_number(values[0]))
    if name in ("min", "max"):
        numbers = [to_number(v) for v in values]
        return (min if name == "min" else max)(numbers)
    raise ExpressionError(f"the function {name}() is not supported")


def is_true(node: Node | None, values: dict, *, current: str = "", choice=None) -> bool:
    """A condition's truth; an empty condition is true."""
    if node is None:
        return True
    return to_bool(evaluate(node, Context(values, current, choice)))


def as_answer(value) -> str:
    """A calculation's result as an answer is stored ('' for NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return to_string(value)
