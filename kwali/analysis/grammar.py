"""The query language: codes combined with boolean and co-occurrence operators.

Grammar (lark, LALR; keywords are case-insensitive and have a Dutch alias)::

    query     := or
    or        := and  ( (OR | OF) and )*
    and       := near ( (AND | EN) near )*
    near      := unary ( NEAR_OP unary )*
    unary     := (NOT | NIET) unary | atom
    atom      := KEY | "LABEL OR KEY" | @SAVED | "(" or ")"
    NEAR_OP   := OVERLAPS | OVERLAPT
               | SAME SENTENCE | ZELFDE ZIN
               | SAME TURN | ZELFDE BEURT
               | WITHIN N | BINNEN N            (N a whole number of sentences)
               | FOLLOWED BY | GEVOLGD DOOR

Binding, tightest first: NOT, the co-occurrence operators (left to right), AND, OR; use
parentheses for anything else. A code key is written as is (``dwang``); a label, or a key
that is also a keyword (a code called ``zin``), goes in double quotes. ``@naam`` is a saved
query. What each operator means is in docs/query.md and :mod:`kwali.analysis.engine`.

:func:`parse` turns text into a small tree of frozen dataclasses; a bad expression raises
:class:`QueryError` naming the column (1-based) where it went wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import cast

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from kwali.errors import KwaliError
from kwali.i18n import _

_GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr | or_expr OR and_expr -> or_
?and_expr: near_expr | and_expr AND near_expr -> and_
?near_expr: unary | near_expr near_op unary -> near
?unary: atom | NOT unary -> not_
?atom: KEY -> key | STRING -> label | SAVED -> saved | "(" or_expr ")"
near_op: OVERLAPS -> overlaps
       | SAME SENTENCE -> same_sentence
       | SAME TURN -> same_turn
       | WITHIN NUMBER -> within
       | FOLLOWED BY -> followed_by

OR.2: /(or|of)(?![\w.\-])/i
AND.2: /(and|en)(?![\w.\-])/i
NOT.2: /(not|niet)(?![\w.\-])/i
OVERLAPS.2: /(overlaps|overlapt)(?![\w.\-])/i
SAME.2: /(same|zelfde)(?![\w.\-])/i
SENTENCE.2: /(sentence|zin)(?![\w.\-])/i
TURN.2: /(turn|beurt)(?![\w.\-])/i
WITHIN.2: /(within|binnen)(?![\w.\-])/i
FOLLOWED.2: /(followed|gevolgd)(?![\w.\-])/i
BY.2: /(by|door)(?![\w.\-])/i
NUMBER.3: /\d+(?![\w.\-])/
KEY: /(?!(?i:{kw})(?![\w.\-]))[A-Za-z0-9_][A-Za-z0-9_.\-]*/
STRING: /"[^"]*"/
SAVED: /@[A-Za-z0-9_][A-Za-z0-9_.\-]*/

%import common.WS
%ignore WS
"""

KEYWORDS = frozenset(
    "or of and en not niet overlaps overlapt same zelfde sentence zin turn beurt within "
    "binnen followed gevolgd by door".split()
)
# a keyword is never a code key: ``a AND AND b`` is a slip at the second AND (a code called
# ``zin`` is written ``"zin"``)
GRAMMAR = _GRAMMAR.replace("{kw}", "|".join(sorted(KEYWORDS, key=len, reverse=True)))
# words that begin an operator; the others (zin, door, turn ...) are likelier meant as codes
_OPERATOR_STARTS = frozenset(
    "and en or of not niet overlaps overlapt same zelfde within binnen followed gevolgd".split()
)
NEAR_OPERATORS = ("overlaps", "same_sentence", "same_turn", "within", "followed_by")


class QueryError(KwaliError):
    """A query that cannot be read or run; ``column`` (1-based) points into ``expression``."""

    def __init__(
        self, message: str, *, expression: str = "", column: int | None = None, hint: str = ""
    ) -> None:
        self.expression = expression
        self.column = column
        super().__init__(message, hint=hint)

    @property
    def dutch(self) -> str:
        """The message for the screens (without the CLI's hint), in the reader's language.

        The name is older than the catalogues: the message is one text, in kwali's language."""
        return self.message

    def caret(self) -> str:
        """The expression and a ``^`` under the column, for a terminal (empty without one)."""
        if self.column is None or not self.expression or "\n" in self.expression:
            return ""
        return f"  {self.expression}\n  {' ' * (self.column - 1)}^"


# -- the tree ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CodeRef:
    """A code by key (``quoted=False``) or by key or label (``quoted=True``)."""

    name: str
    quoted: bool
    column: int


@dataclass(frozen=True, slots=True)
class SavedRef:
    name: str
    column: int


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node


@dataclass(frozen=True, slots=True)
class Bool:
    op: str  # "and" | "or"
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Near:
    op: str  # one of NEAR_OPERATORS
    left: Node
    right: Node
    n: int = 0  # sentences, for "within"


Node = CodeRef | SavedRef | Not | Bool | Near


def walk(node: Node) -> list[Node]:
    """Every node of the tree, the root first."""
    if isinstance(node, Not):
        return [node, *walk(node.operand)]
    if isinstance(node, Bool | Near):
        return [node, *walk(node.left), *walk(node.right)]
    return [node]


@v_args(inline=True)
class _Build(Transformer):
    def key(self, token: Token) -> CodeRef:
        return CodeRef(str(token), False, token.column or 1)

    def label(self, token: Token) -> CodeRef:
        return CodeRef(str(token)[1:-1], True, token.column or 1)

    def saved(self, token: Token) -> SavedRef:
        return SavedRef(str(token)[1:], token.column or 1)

    def not_(self, _kw: Token, operand: Node) -> Not:
        return Not(operand)

    def and_(self, left: Node, _kw: Token, right: Node) -> Bool:
        return Bool("and", left, right)

    def or_(self, left: Node, _kw: Token, right: Node) -> Bool:
        return Bool("or", left, right)

    def near(self, left: Node, op: tuple[str, int], right: Node) -> Near:
        return Near(op[0], left, right, op[1])

    def overlaps(self, *_unused: Token) -> tuple[str, int]:
        return ("overlaps", 0)

    def same_sentence(self, *_unused: Token) -> tuple[str, int]:
        return ("same_sentence", 0)

    def same_turn(self, *_unused: Token) -> tuple[str, int]:
        return ("same_turn", 0)

    def within(self, _kw: Token, number: Token) -> tuple[str, int]:
        return ("within", int(number))

    def followed_by(self, *_unused: Token) -> tuple[str, int]:
        return ("followed_by", 0)


@cache
def _parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr", lexer="contextual", propagate_positions=False)


def _describe(exc: UnexpectedInput, expression: str) -> str:
    """The message, in the reader's language (the CLI and the screens say the same)."""
    if isinstance(exc, UnexpectedEOF) or (
        isinstance(exc, UnexpectedToken) and exc.token.type == "$END"
    ):
        return _("De zoekvraag houdt te vroeg op: er mist een code of ')'.")
    if isinstance(exc, UnexpectedToken):
        word = str(exc.token)
        if word.casefold() in KEYWORDS - _OPERATOR_STARTS:  # a Dutch code key, likely
            return _(
                'Onverwacht {word!r} bij kolom {column} (een code die zo heet, schrijf je als "{word}").'
            ).format(word=word, column=exc.column)
        return _("Onverwacht {word!r} bij kolom {column}.").format(word=word, column=exc.column)
    if isinstance(exc, UnexpectedCharacters):
        at = exc.pos_in_stream or 0
        char = expression[at] if at < len(expression) else ""
        if char == '"':
            return _("Het aanhalingsteken bij kolom {column} wordt niet gesloten.").format(
                column=exc.column
            )
        return _("Onverwacht {char!r} bij kolom {column}.").format(char=char, column=exc.column)
    return _("De zoekvraag is niet te lezen bij kolom {column}.").format(column=exc.column)


def parse(expression: str) -> Node:
    """The tree of ``expression``, or :class:`QueryError` pointing at the column."""
    if not expression.strip():
        raise QueryError(_("De zoekvraag is leeg."), expression=expression)
    try:
        tree = _parser().parse(expression)
    except UnexpectedInput as exc:
        column = len(expression) + 1 if isinstance(exc, UnexpectedEOF) else exc.column
        if isinstance(exc, UnexpectedToken) and exc.token.type == "$END":
            column = len(expression.rstrip()) + 1
        message = _describe(exc, expression)
        raise QueryError(message, expression=expression, column=column) from None
    node = _Build().transform(tree)
    if isinstance(node, Token):  # cannot happen with this grammar; keeps the type honest
        raise QueryError(_("De zoekvraag is niet te lezen."), expression=expression)
    return cast(Node, node)  # lark's Transformer returns Any
