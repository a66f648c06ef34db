"""The printable guide of an area: cover, contents, the area's chapter, then every item by topic."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

from mlcoach import __version__
from mlcoach.core.catalog import Bank
from mlcoach.core.items import AREA_TITLES, AREAS, DIFFICULTIES, LEVELS, ROLE_TITLES, Item
from mlcoach.publish.compiler import Pdf, compile_pdf, template
from mlcoach.publish.typst_markup import MarkdownWriter, escape, string

CHAPTER = "The guide"  # the heading of the area's chapter (its title is already on the cover)


def build_guide(bank: Bank, area: str) -> Pdf:
    if area not in AREAS:
        raise ValueError(f"unknown area `{area}`; areas are: {', '.join(AREAS)}")
    return compile_pdf(lambda writer: guide_source(bank, area, writer))


def build_guides(bank: Bank, areas: Sequence[str] = AREAS, workers: int = 2) -> dict[str, Pdf]:
    """Several guides at once: typst releases the GIL while it lays out, so threads run in parallel."""
    for area in areas:
        if area not in AREAS:
            raise ValueError(f"unknown area `{area}`; areas are: {', '.join(AREAS)}")
    # the biggest first, so the pool does not end on one long build
    order = sorted(areas, key=lambda a: -len(bank.filter(area=a)))
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        built = dict(zip(order, pool.map(lambda a: build_guide(bank, a), order)))
    return {area: built[area] for area in areas}


def guide_source(bank: Bank, area: str, writer: MarkdownWriter) -> str:
    guide = bank.guides.get(area)
    title = guide.title if guide else AREA_TITLES[area]
    items = bank.filter(area=area)
    topics = [(slug, name) for slug, name, count in bank.topics(area) if count]
    facts = [
        f"{len(items)} questions in {len(topics)} topics",
        f"mlcoach {__version__} · bank {bank.content_hash[:12]}",
    ]
    out = [
        template("base", "guide"),
        f"#show: guide.with(area: {string(AREA_TITLES[area])}, title: {string(title)}, "
        f"summary: [{escape(guide.summary) if guide else ''}], facts: ({', '.join(map(string, facts))},))",
        "",
        f"#heading(level: 1)[{escape(CHAPTER)}]",
        writer.convert(guide.markdown, min_heading=2, outline_depth=2) if guide else "",
    ]
    for slug, name in topics:
        out.append(f"#heading(level: 1)[{escape(name)}]")
        for item in sorted((i for i in items if i.topic == slug), key=lambda i: i.difficulty):
            out.append(item_source(item, writer))
    return "\n\n".join(out) + "\n"


def item_source(item: Item, writer: MarkdownWriter) -> str:
    """An item, in the order the web page shows it: answer and phases, key points, follow-ups,
    common mistakes, what each level shows."""
    roles = ", ".join(ROLE_TITLES.get(r, r) for r in item.roles)
    out = [f"#item-head([{escape(item.question)}], id: {string(item.id)}, "
           f"difficulty: {string(DIFFICULTIES.get(item.difficulty, str(item.difficulty)))}, roles: {string(roles)})"]
    for section in item.sections:
        if section.title == "Common mistakes":
            continue
        out.append(f"#part[{escape('Model answer' if section.title == 'Answer' else section.title)}]")
        out.append(writer.convert(section.markdown, heading_offset=1, min_heading=4))
    out.append("#part[Key points]")
    out.append(_list(item.key_points))
    out.append("#part[Follow-ups]")
    out.append(_list(item.follow_ups))
    if item.common_mistakes:
        out.append("#part[Common mistakes]")
        out.append(writer.convert(item.common_mistakes, heading_offset=1, min_heading=4))
    signals = [(level, item.level_signals[level]) for level in LEVELS if level in item.level_signals]
    if signals:
        out.append("#part[What each level shows]")
        rows = ", ".join(f"([{escape(level.capitalize())}], [{escape(text)}])" for level, text in signals)
        out.append(f"#level-signals({rows})")
    return "\n\n".join(out)


def _list(texts: Iterable[str]) -> str:
    return "#list(" + ", ".join(f"[{escape(t)}]" for t in texts) + ")"
