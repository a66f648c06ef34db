"""LaTeX math to typst math: the constructs the bank uses, and every formula of the bundled bank."""

from __future__ import annotations

import pytest
import typst
from conftest import ROOT
from pdf_helpers import pages_text

from mlcoach.bank import load_bank
from mlcoach.core.catalog import Bank
from mlcoach.publish.compiler import math_document
from mlcoach.publish.latex_math import MathError, convert
from mlcoach.publish.latex_symbols import SYMBOLS
from mlcoach.publish.typst_markup import markdown_parser

COMPILER = typst.Compiler(ignore_system_fonts=True)


def typeset(equations: list[tuple[str, bool]]) -> str:
    """Compile typst equations; the PDF's text (raises TypstError when typst refuses one)."""
    data = COMPILER.compile(math_document(equations).encode(), format="pdf")
    return " ".join(pages_text(data))


@pytest.mark.parametrize("latex, expected", [
    (r"\frac{a}{b}", "frac(a, b)"),
    (r"\tfrac12", "inline(frac(1, 2))"),
    (r"\sqrt{x^2 + y^2}", "sqrt(x^2 + y^2)"),
    (r"\sqrt[3]{x}", "root(3, x)"),
    (r"\sum_{i=1}^{n} x_i", "sum_(i = 1)^n x_i"),
    (r"\alpha\beta", "alpha beta"),
    (r"\epsilon \varepsilon \phi \varphi", "epsilon.alt epsilon phi.alt phi"),
    (r"\mathbb{E}[X]", "bb(E) [ X ]"),
    (r"\hat{y} \bar x \tilde\theta", "hat(y) macron(x) tilde(theta)"),
    (r"a \cdot b \times c \le d \ge e \ne f \approx g", "a dot.op b times c lt.eq d gt.eq e eq.not f approx g"),
    (r"\infty \partial \nabla x^\top", "infinity partial nabla x^top"),
    (r"\log p + \exp(x)", "log p + exp ( x )"),
    (r"xy", "x y"),  # two variables, not typst's unknown identifier `xy`
    (r"\text{if } x > 0", '"if "x > 0'),  # no space beside a string: typst would print it
    (r"\mathrm{KL}(p\|q)", '"KL"( p class("normal", bar.v.double) q )'),
    (r"\mathrm{d}x + \mathrm{\Delta}", '"d"x + upright(Delta)'),
    (r"\operatorname{Var}(X)", 'op("Var") ( X )'),
    (r"\left( \frac{a}{b} \right)", "lr(paren.l frac(a, b) paren.r)"),
    (r"\lVert w \rVert_2", 'class("opening", bar.v.double) w class("closing", bar.v.double)_2'),
    (r"p(y | x)", 'p ( y class("normal", |) x )'),
    (r"a/b", r"a \/ b"),  # a slash, not a typst fraction
    (r"f(a, b)", r"f ( a \, b )"),  # an escaped comma cannot split a function's arguments
    (r"1{,}000", '"1,000"'),
    (r"\$5", r"\$ 5"),
    (r"x_{i,j}^{(t)}", r"x_(i \, j)^(( t ))"),
    (r"{a+b}^2", "attach(a + b, t: 2)"),
    (r"\begin{pmatrix}1&2\\3&4\end{pmatrix}", 'mat(delim: "(", 1, 2; 3, 4)'),
    (r"\begin{cases} 1 & x > 0 \\ 0 & \text{else} \end{cases}", 'cases(1 & quad x > 0, 0 & quad"else")'),
    (r"\underbrace{a+b}_{\text{sum}}", 'underbrace(a + b, "sum")'),
])
def test_constructs_convert_to_the_expected_typst(latex: str, expected: str) -> None:
    assert convert(latex) == expected


@pytest.mark.parametrize("latex", [r"\unknowncommand{x}", r"\frac{a}", r"\left( x", r"x^", r"\begin{tabular}x\end{tabular}", "a}"])
def test_unsupported_or_broken_latex_raises(latex: str) -> None:
    with pytest.raises(MathError):
        convert(latex)


def test_converted_math_prints_the_right_symbols() -> None:
    text = typeset([(convert(r"\mathbb{E}[\hat\theta] = \sum_{i=1}^{n} \alpha_i \le \infty"), True),
                    (convert(r"\text{Var}(X) \approx 1{,}500"), False)])
    for symbol in ("𝔼", "∑", "≤", "∞", "Var", "≈", "1,500"):
        assert symbol in text


def test_every_command_the_converter_knows_exists_in_typst() -> None:
    from mlcoach.publish.latex_symbols import ACCENTS, DELIMITERS, FONTS, SHORT

    commands = [f"\\{name}" for name in [*SYMBOLS, *SHORT]]
    commands += [f"\\{name}{{x}}" for name in [*ACCENTS, *FONTS]]
    commands += [f"\\left{d} x \\right{d}" for d in DELIMITERS]
    typeset([(convert(command), False) for command in commands])


def bank_math(bank: Bank) -> list[tuple[str, bool]]:
    """Every math snippet of the bank's Markdown (guides and item sections), parsed as the app parses it."""
    parse = markdown_parser()
    found: dict[str, bool] = {}

    def walk(node: object) -> None:
        kind = node.type  # type: ignore[attr-defined]
        if kind.startswith("math"):
            found.setdefault(node.content.strip(), kind in ("math_block", "math_block_label", "math_inline_double"))  # type: ignore[attr-defined]
        for child in node.children:  # type: ignore[attr-defined]
            walk(child)

    texts = [guide.markdown for guide in bank.guides.values()]
    texts += [section.markdown for item in bank.items for section in item.sections]
    for text in texts:
        walk(parse(text))
    return list(found.items())


def test_all_math_of_the_bundled_bank_converts_and_compiles() -> None:
    snippets = bank_math(load_bank(ROOT / "content").bank)
    assert len(snippets) > 1500
    failed, converted = [], []
    for latex, display in snippets:
        try:
            converted.append((convert(latex), display))
        except MathError as error:
            failed.append(f"{latex!r}: {error}")
    assert failed == []  # no snippet of the bundled bank falls back to its LaTeX source
    typeset(converted)  # one document with all of them: typst accepts every one
