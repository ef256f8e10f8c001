"""The small part of XLSForm `relevant` syntax we support: parse, list references, evaluate.

Supported: ``${q} = 'x'``, ``${q} != 'x'`` (``!= ''`` means "has a value"), numeric comparisons
``<``, ``<=``, ``>``, ``>=``, ``selected(${q}, 'x')``, ``not(...)``, ``and``, ``or`` and
parentheses. Anything else raises `ConditionError` with a reason people can act on.
"""

import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from . import xpath

_COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")


class ConditionError(ValueError):
    """A `relevant` expression we cannot understand."""


@dataclass(frozen=True)
class Compare:
    name: str
    op: str
    value: str


@dataclass(frozen=True)
class Selected:
    name: str
    value: str


@dataclass(frozen=True)
class Not:
    node: object


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" / "or"
    nodes: tuple


class _Parser:
    def __init__(self, text: str):
        self.tokens = xpath.tokenize(text)  # the one tokenizer; "and"/"or" are ops
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self, kind=None, value=None):
        token = self.peek()
        if token[0] is None or (kind and token[0] != kind) or (value and token[1] != value):
            wanted = value or kind or "more"
            raise ConditionError(f"expected {wanted} but found {token[1] or 'the end'}")
        self.pos += 1
        return token

    def parse(self):
        node = self.expr()
        if self.pos != len(self.tokens):
            raise ConditionError(f"unexpected {self.peek()[1]!r}")
        return node

    def expr(self):
        nodes = [self.conjunction()]
        while self.peek() == ("op", "or"):
            self.take()
            nodes.append(self.conjunction())
        return nodes[0] if len(nodes) == 1 else BoolOp("or", tuple(nodes))

    def conjunction(self):
        nodes = [self.atom()]
        while self.peek() == ("op", "and"):
            self.take()
            nodes.append(self.atom())
        return nodes[0] if len(nodes) == 1 else BoolOp("and", tuple(nodes))

    def atom(self):
        kind, value = self.peek()
        if kind == "punct" and value == "(":
            self.take()
            node = self.expr()
            self.take("punct", ")")
            return node
        if kind == "word" and value == "not":
            self.take()
            self.take("punct", "(")
            node = self.expr()
            self.take("punct", ")")
            return Not(node)
        if kind == "word" and value == "selected":
            self.take()
            self.take("punct", "(")
            name = self.take("ref")[1][2:-1]
            self.take("punct", ",")
            literal = self.take("str")[1][1:-1]
            self.take("punct", ")")
            return Selected(name, literal)
        if kind == "ref":
            name = self.take()[1][2:-1]
            op = self.take("op")[1]
            if op not in _COMPARISONS:  # arithmetic is surveys.xpath's to read
                raise ConditionError(f"{op} is not a comparison")
            negative = self.peek() == ("op", "-")
            if negative:  # a negative number: "-" then the number
                self.take()
            lit_kind, literal = self.peek()
            if negative and lit_kind != "num":
                raise ConditionError(f"expected a number after {op} -")
            if negative:
                self.take()
                literal = "-" + literal
            elif lit_kind == "str":
                self.take()
                literal = literal[1:-1]
            elif lit_kind == "num":
                self.take()
            else:
                raise ConditionError(f"expected a quoted value or number after {op}")
            if op in ("<", "<=", ">", ">=") and lit_kind != "num":
                raise ConditionError(f"{op} needs a number")
            return Compare(name, op, literal)
        if kind == "word":
            raise ConditionError(f"the function or word {value!r} is not supported")
        raise ConditionError(f"unexpected {value or 'end'!r}")


# Cached: counting results and exports evaluate the same few conditions for every response;
# the trees are frozen dataclasses, so sharing them is safe.
@functools.lru_cache(maxsize=4096)
def parse(text: str):
    """The expression tree, or None for an empty condition."""
    if not text or not text.strip():
        return None
    try:
        return _Parser(text).parse()
    except (ConditionError, xpath.ExpressionError):
        # The rest of XLSForm's language (functions, arithmetic) is read by surveys.xpath.
        try:
            return xpath.parse(text)
        except xpath.ExpressionError as error:
            raise ConditionError(str(error)) from None


def references(node) -> set[str]:
    """The question names an expression depends on."""
    if node is None:
        return set()
    if isinstance(node, xpath.Node):
        return xpath.references(node)
    if isinstance(node, Compare | Selected):
        return {node.name}
    if isinstance(node, Not):
        return references(node.node)
    return set().union(*(references(n) for n in node.nodes))


def _number(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError):
        return None


def evaluate(node, values: dict[str, str]) -> bool:
    """True when the question is shown; `values` maps names to stored answers ('' if none)."""
    if node is None:
        return True
    if isinstance(node, xpath.Node):
        return xpath.is_true(node, values)
    if isinstance(node, Selected):
        return node.value in (values.get(node.name) or "").split()
    if isinstance(node, Not):
        return not evaluate(node.node, values)
    if isinstance(node, BoolOp):
        results = (evaluate(n, values) for n in node.nodes)
        return all(results) if node.op == "and" else any(results)
    current = values.get(node.name) or ""
    if node.op == "=":
        return current == node.value
    if node.op == "!=":
        return current != node.value
    left, right = _number(current), _number(node.value)
    if left is None or right is None:
        return False
    return {
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
    }[node.op]
