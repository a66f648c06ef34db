"""The printable guides: built with typst from the fixture bank and the bundled bank, read back as text
(pypdf) and as pixels (pdftoppm); escaping and Markdown conversion checked through real PDFs."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import typst
from conftest import ROOT
from pdf_helpers import flat, ink, pages_text, render_page
from pypdf import PdfReader

from mlcoach.bank import load_bank
from mlcoach.core.catalog import Bank
from mlcoach.core.items import AREA_TITLES, AREAS, DIFFICULTIES
from mlcoach.publish.compiler import Pdf, compile_pdf, template
from mlcoach.publish.guides import build_guide, build_guides
from mlcoach.publish.typst_markup import MarkdownWriter, escape, markdown_parser


def squash(text: str) -> str:
    """Letters and digits only: survives line breaks and hyphenation in justified text."""
    return re.sub(r"[\W_]+", "", text).lower()


@pytest.fixture(scope="module")
def guides(bank: Bank) -> dict[str, Pdf]:
    return build_guides(bank)


@pytest.mark.parametrize("area", AREAS)
def test_a_guide_has_cover_contents_chapter_and_every_item(guides: dict[str, Pdf], bank: Bank, area: str) -> None:
    pdf, guide = guides[area], bank.guides[area]
    pages = pages_text(pdf.data)
    assert len(pages) == pdf.pages >= 5
    assert guide.title in pages[0] and "questions in" in pages[0]
    assert pages[1].startswith(f"{AREA_TITLES[area]} Contents") and "The guide" in pages[1]
    body = " ".join(pages[2:])
    chapter_headings = re.findall(r"^## (.+)$", guide.markdown, flags=re.M)
    assert chapter_headings and all(flat(h) in body for h in chapter_headings)
    for _slug, title, count in bank.topics(area):
        if count:
            assert title in pages[1] and title in body
    for item in bank.filter(area=area):
        assert flat(item.question) in pages[1] + body  # in the contents
        assert body.count(flat(item.question)) >= 1  # and as the item's heading
        assert f"Difficulty: {DIFFICULTIES[item.difficulty]}" in body
        for text in (*item.key_points, *item.follow_ups):
            assert squash(text) in squash(body)
        assert squash(item.answer.split("\n")[0][:60]) in squash(body)
    for label in ("MODEL ANSWER", "KEY POINTS", "FOLLOW-UPS"):
        assert label in body


@pytest.mark.parametrize("area", ["ml-theory", "system-design"])
def test_running_headers_name_the_area_and_current_topic_and_pages_are_numbered(
        guides: dict[str, Pdf], bank: Bank, area: str) -> None:
    pages = pages_text(guides[area].data)
    topics = [title for _, title, count in bank.topics(area) if count]
    current = "The guide"
    for number, text in enumerate(pages[2:], start=3):
        starting = [t for t in topics if text.count(t) >= 2]  # a topic starts here: its heading and the header
        if starting:
            current = starting[0]
        assert text.startswith(f"{AREA_TITLES[area]} {current}"), number
        assert text.endswith(f" {number}"), number  # the footer
    assert current == topics[-1]


def test_a_guide_of_the_bundled_bank_has_every_item_and_no_math_fallback() -> None:
    bank = load_bank(ROOT / "content").bank
    pdf = build_guide(bank, "product-design")
    assert pdf.fallbacks == () and pdf.math > 50
    pages = pages_text(pdf.data)
    assert len(pages) == pdf.pages > 30
    body = " ".join(pages)
    for item in bank.filter(area="product-design"):
        question = flat(item.question)
        assert body.count(question) >= 1  # the item's heading
        # and its contents entry (a long one can run onto the next page, around that page's header)
        assert body.count(question[:80]) >= 2
    for heading in re.findall(r"^## (.+)$", bank.guides["product-design"].markdown, flags=re.M):
        assert flat(heading) in pages[1]


def test_fonts_are_embedded(guides: dict[str, Pdf]) -> None:
    reader = PdfReader(io.BytesIO(guides["ml-theory"].data))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]
            fonts[str(font["/BaseFont"])] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values())
    names = " ".join(fonts)
    for family in ("LibertinusSerif", "NewCMMath", "DejaVuSansMono"):
        assert family in names


def test_pages_render_with_ink(guides: dict[str, Pdf], tmp_path: Path) -> None:
    data = guides["system-design"].data
    for page in (1, 4):
        image = render_page(data, page, tmp_path)
        assert image.shape[0] > image.shape[1] > 200  # portrait A4
        assert 0.001 < ink(image) < 0.4
    empty = typst.Compiler(ignore_system_fonts=True).compile(b"#set page(paper: \"a4\")\n#box()", format="pdf")
    assert ink(render_page(empty, 1, tmp_path)) == 0.0  # the measure sees a blank page as blank


NASTY = [
    "# not a heading", "= not a heading either", "- not a list", "+ not an enum", "1. not an enum",
    "/ term: not a term", "a // not a comment", "/* not a block comment */", "*not strong* and _not emph_",
    "`not raw`", "@not-a-ref and <not-a-label>", "[brackets] ] and [", "$x$ is not math, nor \\$",
    "~ tilde stays", "back\\slash and \\\\ two", "\"double\" and 'single' quotes", "-- and --- and ... stay as typed",
    "https://example.com/a_b?c=d#e", "#emph[x].y and #{1+1}", "x.y() and #let x = 1", "<= >= != -> => :=",
    "100% & 50$ ^ | { } ( )", "Σ ε ∂ — unicode too", "\\u{41} is not A", "-? no soft hyphen", "2. also 3)",
]


def test_escaped_text_prints_exactly_as_written_in_every_context() -> None:
    body = []
    for text in NASTY:
        escaped = escape(text)
        body += [escaped, f"#heading[{escaped}]", f"#list([{escaped}])", f"#table(columns: 1, [{escaped}])",
                 f"#strong[{escaped}];"]
    data = typst.Compiler(ignore_system_fonts=True).compile(
        ("#set page(width: 30cm, height: auto)\n" + "\n\n".join(body)).encode(), format="pdf")
    lines = [flat(line).removeprefix("• ") for page in PdfReader(io.BytesIO(data)).pages
             for line in page.extract_text().splitlines()]
    for text in NASTY:
        assert lines.count(flat(text)) == 5, text


MARKDOWN = r"""## A heading with `code` and $x^2$

Text with *emphasis*, **strong**, ~~struck~~, `code # $ * _`, a [link](https://example.com) and \*stars\*.
A line ending in two spaces  
breaks.

- outer one
  - inner *a*
  - inner b
- outer two

3. third
4. fourth

| left | right |
|:-----|------:|
| `a`  | $\alpha$ |

> quoted **text**

```python
def f(x):  # a comment with $ and #
    return x // 2
```

$$
\mathbb{E}[X] = \sum_i x_i p_i
$$

Inline $\unknownmacro{x}$ falls back to its source.
"""


def test_markdown_converts_faithfully() -> None:
    writer = MarkdownWriter(markdown_parser())
    source = writer.convert(MARKDOWN, min_heading=2, outline_depth=2)
    assert "#enum(tight: true, start: 3," in source and source.count("#list(") == 2
    assert "#emph[emphasis];" in source and "#strong[strong];" in source and "#strike[struck];" in source
    assert "#table(columns: 2, align: (left, right,)," in source and "#quote(block: true)" in source
    assert '#raw(block: true, lang: "python",' in source and '#link("https://example.com")' in source
    assert writer.fallbacks == [r"\unknownmacro{x}"]
    data = typst.Compiler(ignore_system_fonts=True).compile(
        (template("base") + "\n#show: base-style\n" + source).encode(), format="pdf")
    text = " ".join(pages_text(data))
    for expected in ("A heading with code and", "Text with emphasis, strong, struck, code # $ * _, a link and *stars*.",
                     "breaks.", "outer one", "inner a", "inner b", "outer two", "3. third", "4. fourth", "left right",
                     "quoted text", "def f(x): # a comment with $ and #", "return x // 2", "𝔼", "∑",
                     r"$\unknownmacro{x}$ falls back to its source."):
        assert flat(expected) in text, expected


def test_math_typst_refuses_is_shown_as_source_and_the_build_succeeds() -> None:
    markdown = r"Fine $a+b$, refused by typst $\sqrt{(a}$, unknown $\nosuch$."
    pdf = compile_pdf(lambda writer: template("base", "guide") + "\n#show: guide.with(title: \"t\")\n"
                      + writer.convert(markdown))
    assert sorted(pdf.fallbacks) == [r"\nosuch", r"\sqrt{(a}"] and pdf.math == 3
    text = " ".join(pages_text(pdf.data))
    assert r"$\sqrt{(a}$" in text and r"$\nosuch$" in text and "𝑎 + 𝑏" in text
