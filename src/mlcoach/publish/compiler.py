"""Typst sources to PDF bytes, in process, with only the fonts typst embeds.

Math typst refuses does not fail a build: the snippets are checked one by one, the bad ones are
shown as LaTeX source, and the document is compiled again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mlcoach.core.errors import Unavailable
from mlcoach.publish.typst_markup import MarkdownWriter, MathSnippet, markdown_parser

TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGES_LABEL = "<mlcoach-pages>"  # every template ends with this metadata: the final page count


class PublishError(Unavailable):
    """A document could not be built; the message says why."""


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int
    math: int  # math snippets in the document
    fallbacks: tuple[str, ...]  # LaTeX shown as source because it could not be converted


def template(*names: str) -> str:
    return "\n".join((TEMPLATES / f"{name}.typ").read_text(encoding="utf-8") for name in names)


def compile_pdf(render: Callable[[MarkdownWriter], str]) -> Pdf:
    """Render with a fresh writer and compile; on a typst error, show the math typst refuses as source
    and compile once more."""
    import typst

    parse = markdown_parser()
    writer = MarkdownWriter(parse)
    try:
        data, pages = _compile(render(writer))
    except typst.TypstError as error:
        rejected = refused_math(writer.snippets)
        if not rejected:
            raise PublishError(_describe(error)) from None
        writer = MarkdownWriter(parse, rejected=rejected)
        try:
            data, pages = _compile(render(writer))
        except typst.TypstError as again:
            raise PublishError(_describe(again)) from None
    return Pdf(data, pages, len(writer.snippets), tuple(writer.fallbacks))


def _compile(source: str) -> tuple[bytes, int]:
    """The PDF and its page count. The source goes through a file in a private directory, the
    document's root, because typst's query (the page count) needs a file; compiling then querying
    the same compiler reuses the layout, so the count costs nothing."""
    import tempfile

    import typst

    with tempfile.TemporaryDirectory(prefix="mlcoach-typst-") as root:
        main = Path(root) / "main.typ"
        main.write_text(source, encoding="utf-8")
        compiler = typst.Compiler(str(main), root=root, ignore_system_fonts=True)
        data = compiler.compile(format="pdf")
        pages = json.loads(compiler.query(PAGES_LABEL, field="value", one=True))
    assert isinstance(data, bytes)
    return data, int(pages)


def refused_math(snippets: list[MathSnippet]) -> frozenset[str]:
    """The LaTeX of every converted snippet typst cannot compile on its own."""
    import typst

    compiler = typst.Compiler(ignore_system_fonts=True)
    converted = sorted({(s.latex, s.typst or "", s.display) for s in snippets if s.typst})
    try:
        compiler.compile(math_document([(code, display) for _, code, display in converted]).encode("utf-8"), format="pdf")
        return frozenset()  # all of it compiles together: the error was elsewhere
    except typst.TypstError:
        pass
    bad = set()
    for latex, code, display in converted:
        try:
            compiler.compile(math_document([(code, display)]).encode("utf-8"), format="pdf")
        except typst.TypstError:
            bad.add(latex)
    return frozenset(bad)


def math_document(equations: list[tuple[str, bool]]) -> str:
    """A page holding the given typst equations (display or inline), for checking them."""
    return "\n\n".join(f"$ {code} $" if display else f"${code}$" for code, display in equations)


def _describe(error: Exception) -> str:
    message = getattr(error, "message", None) or str(error)
    hints = getattr(error, "hints", None) or []
    return f"typst could not build the PDF: {message}" + "".join(f" (hint: {hint})" for hint in hints)
