"""Markdown to safe HTML for pages and decks (and the parse tree the PDFs walk): raw HTML off, math kept as TeX for the page to typeset."""

from __future__ import annotations

from functools import lru_cache
from html import escape

from markdown_it import MarkdownIt
from markupsafe import Markup
from mdit_py_plugins.dollarmath import dollarmath_plugin


def _math_inline(content: str) -> str:
    return f'<span class="math math-inline">\\({escape(content)}\\)</span>'


def _math_block(content: str) -> str:
    return f'<div class="math math-display">\\[{escape(content)}\\]</div>'


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    # "js-default" is CommonMark + tables + strikethrough with raw HTML disabled and links validated.
    md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
    md.use(
        dollarmath_plugin,
        allow_space=False,  # "$5 and $10" stays text: math needs no space inside the dollars
        double_inline=True,
        renderer=lambda content, options: _math_block(content) if options.get("display_mode") else _math_inline(content),
    )
    return md


def render(text: str) -> Markup:
    return Markup(parser().render(text or ""))
