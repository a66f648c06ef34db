"""Text and Markdown to typst markup: escaping, and a walk over markdown-it's syntax tree.

The Markdown is parsed exactly as the web app parses it (`mlcoach.markdown`), so the PDFs show what
the pages show. Text is escaped character by character; every embedded typst call is closed with `;`
so that the text after it cannot continue the expression (`#emph[x].y` would be a field access).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from markdown_it.tree import SyntaxTreeNode

from mlcoach.publish.latex_math import MathError, convert

# Every character typst's markup gives a meaning to, at least somewhere (line starts, pairs, after `#`).
_SPECIAL = re.compile(r"""([\\#$*_`<>@\[\]~\-+=/.'":])""")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LINKS = ("http://", "https://", "mailto:")


def escape(text: str) -> str:
    """Plain text as typst markup that prints exactly this text (whitespace runs become one space)."""
    return _SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", _CONTROL.sub("", text)))


def string(text: str) -> str:
    """A typst string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "").replace("\t", "\\t")
    return '"' + _CONTROL.sub("", escaped) + '"'


@dataclass
class MathSnippet:
    latex: str
    typst: str | None  # None: shown as LaTeX source
    display: bool


@dataclass
class MarkdownWriter:
    """Converts Markdown documents, remembering every math snippet and which fell back to source.

    `heading_offset` shifts Markdown heading levels (`###` in an item section sits under the item),
    `min_heading` keeps content headings below the document's own, and headings up to
    `outline_depth` go into the table of contents. `rejected` holds LaTeX that typst refused: shown
    as source from then on.
    """

    parse: Callable[[str], SyntaxTreeNode]
    rejected: AbstractSet[str] = frozenset()
    snippets: list[MathSnippet] = field(default_factory=list)

    @property
    def fallbacks(self) -> list[str]:
        return [s.latex for s in self.snippets if s.typst is None]

    def convert(self, markdown: str, heading_offset: int = 0, min_heading: int = 1, outline_depth: int = 0) -> str:
        self._offset, self._min, self._outline = heading_offset, min_heading, outline_depth
        return self._blocks(self.parse(markdown or "").children)

    # Blocks -----------------------------------------------------------------------------------

    def _blocks(self, nodes: list[SyntaxTreeNode], tight: bool = False) -> str:
        return ("\n" if tight else "\n\n").join(out for out in (self._block(node) for node in nodes) if out)

    def _block(self, node: SyntaxTreeNode) -> str:
        kind = node.type
        if kind == "paragraph":
            return self._inline(node)
        if kind == "heading":
            level = max(self._min, int(node.tag[1:]) + self._offset)
            flag = "true" if level <= self._outline else "false"
            return f"#heading(level: {level}, outlined: {flag}, bookmarked: {flag})[{self._inline(node)}];"
        if kind in ("bullet_list", "ordered_list"):
            return self._list(node)
        if kind in ("fence", "code_block"):
            lang = (node.info or "").split()[0] if kind == "fence" and node.info else ""
            lang_arg = f"lang: {string(lang)}, " if lang else ""
            return f"#raw(block: true, {lang_arg}{string(node.content.rstrip(chr(10)))});"
        if kind == "blockquote":
            return f"#quote(block: true)[{self._blocks(node.children)}];"
        if kind == "table":
            return self._table(node)
        if kind == "hr":
            return "#line(length: 100%, stroke: 0.4pt + gray);"
        if kind in ("math_block", "math_block_label"):
            return self._math(node.content, display=True)
        # Anything else (raw HTML, which the app never renders, or a node a parser update adds): its text.
        return self._blocks(node.children) if node.children else escape(node.content)

    def _list(self, node: SyntaxTreeNode) -> str:
        items = node.children
        tight = any(child.type == "paragraph" and child.hidden for item in items for child in item.children)
        bodies = ", ".join(f"[{self._blocks(item.children, tight)}]" for item in items)
        if node.type == "bullet_list":
            return f"#list(tight: {str(tight).lower()}, {bodies});"
        start = int(node.attrs.get("start", 1))
        return f"#enum(tight: {str(tight).lower()}, start: {start}, {bodies});"

    def _table(self, node: SyntaxTreeNode) -> str:
        rows: list[tuple[bool, list[SyntaxTreeNode]]] = []
        for section in node.children:  # thead, tbody
            for row in section.children:
                rows.append((section.type == "thead", row.children))
        columns = max((len(cells) for _, cells in rows), default=1)
        first = rows[0][1] if rows else []
        aligns = ", ".join(_ALIGN.get(_cell_align(cell), "left") for cell in first) or "left"
        parts = [f"columns: {columns}", f"align: ({aligns},)"]
        header = [cells for is_head, cells in rows if is_head]
        for cells in header:
            parts.append("table.header(" + ", ".join(f"[#strong[{self._cell(c)}]]" for c in cells) + ")")
        for is_head, cells in rows:
            if not is_head:
                parts.append(", ".join(f"[{self._cell(c)}]" for c in cells))
        return "#table(" + ", ".join(parts) + ");"

    def _cell(self, cell: SyntaxTreeNode) -> str:
        return "".join(self._inline(child) for child in cell.children)

    # Inline -----------------------------------------------------------------------------------

    def _inline(self, node: SyntaxTreeNode) -> str:
        return "".join(self._span(child) for child in node.children)

    def _span(self, node: SyntaxTreeNode) -> str:
        kind = node.type
        if kind == "text":
            return escape(node.content)
        if kind == "inline":
            return self._inline(node)
        if kind == "softbreak":
            return " "
        if kind == "hardbreak":
            return "#linebreak();"
        if kind == "code_inline":
            return f"#raw({string(node.content)});"
        if kind == "em":
            return f"#emph[{self._inline(node)}];"
        if kind == "strong":
            return f"#strong[{self._inline(node)}];"
        if kind == "s":
            return f"#strike[{self._inline(node)}];"
        if kind == "link":
            href = str(node.attrs.get("href", ""))
            if href.startswith(_LINKS):
                return f"#link({string(href)})[{self._inline(node)}];"
            return self._inline(node)  # a relative link means nothing on paper
        if kind == "image":
            return self._inline(node)  # the alt text
        if kind == "math_inline":
            return self._math(node.content, display=False)
        if kind == "math_inline_double":
            return self._math(node.content, display=True)
        return self._inline(node) if node.children else escape(node.content)

    def _math(self, latex: str, display: bool) -> str:
        latex = latex.strip()
        typst: str | None = None
        if latex and latex not in self.rejected:
            try:
                typst = convert(latex)
            except MathError:
                typst = None
        self.snippets.append(MathSnippet(latex, typst, display))
        if typst is None:
            source = f"$${latex}$$" if display else f"${latex}$"
            return f"#raw(block: {str(display).lower()}, {string(source)});"
        if not typst:
            return ""
        return f"$ {typst} $" if display else f"${typst}$"


_ALIGN = {"left": "left", "center": "center", "right": "right"}


def _cell_align(cell: SyntaxTreeNode) -> str:
    match = re.search(r"text-align:\s*(\w+)", str(cell.attrs.get("style", "")))
    return match.group(1) if match else "left"


def markdown_parser() -> Callable[[str], SyntaxTreeNode]:
    """The web app's Markdown parser (same plugins, same options), returning the syntax tree."""
    from mlcoach.markdown import parser as _parser

    md = _parser()
    return lambda text: SyntaxTreeNode(md.parse(text))
