"""The interviewer packet: a mock round planned from the bank, printed for a peer or mentor.

Per question: the question, its time budget (per phase for system design), what to listen for as a
checklist, the follow-ups, what each level shows and the reference answer; then a scorecard with the
round's rubric dimensions, scored 1-4 by hand.
"""

from __future__ import annotations

from mlcoach import __version__
from mlcoach.core.catalog import Bank
from mlcoach.core.items import DIFFICULTIES, LEVELS, ROLE_TITLES
from mlcoach.core.mock import ROUNDS, RoundPlan, plan_round
from mlcoach.publish.compiler import Pdf, compile_pdf, template
from mlcoach.publish.typst_markup import MarkdownWriter, escape, string


def build_packet(bank: Bank, round_type: str, role: str | None = None, level: str = "mid", seed: int = 0) -> Pdf:
    """Plan the round (no weak topics: the packet is for someone else's practice) and print it.
    Raises ValueError for an unknown round, role or level, or a bank without items for the round."""
    if role is not None and role not in ROLE_TITLES:
        raise ValueError(f"unknown role {role!r}; choose one of {', '.join(ROLE_TITLES)}")
    plan = plan_round(bank, round_type, role, level, (), seed=seed)
    return compile_pdf(lambda writer: packet_source(bank, plan, role, level, seed, writer))


def packet_source(bank: Bank, plan: RoundPlan, role: str | None, level: str, seed: int, writer: MarkdownWriter) -> str:
    spec = ROUNDS[plan.round_type]
    who = f"{ROLE_TITLES[role]}, {level} level" if role else f"any role, {level} level"
    facts = [f"{spec.minutes} minutes · {len(plan.questions)} question{'s' if len(plan.questions) != 1 else ''}",
             f"mlcoach {__version__} · bank {bank.content_hash[:12]} · plan seed {seed}"]
    out = [
        template("base", "packet"),
        f"#show: packet.with(title: {string(spec.title + ' round')}, subtitle: {string('For a candidate: ' + who)}, "
        f"facts: ({', '.join(map(string, facts))},))",
        "#heading(level: 2, outlined: false)[How to run it]",
        escape("Read each question aloud as written. While the candidate answers, tick every point they make "
               "clearly; ask the follow-ups the answer leaves open; keep to the time budget. At the end, score "
               "each rubric dimension from 1 (weak) to 4 (strong) for the target level, and note what to work on."),
        "#part[Plan]",
        "#list(" + ", ".join(_plan_line(bank, i, q.item_id, q.minutes) for i, q in enumerate(plan.questions)) + ")",
    ]
    for number, planned in enumerate(plan.questions, start=1):
        item = bank.get(planned.item_id)
        if item is None:  # plan_round only picks items of this bank
            continue
        out.append(f"#heading(level: 1)[{escape(f'Question {number} of {len(plan.questions)}')}]")
        out.append(f"#text(size: 9pt, fill: muted)[{escape(_budget(planned.minutes))} · "
                   f"{escape(DIFFICULTIES.get(item.difficulty, ''))} · {escape(_topic(bank, item.area, item.topic))} · "
                   f"#raw({string(item.id)})]")
        out.append(f"#block(above: 0.8em, below: 1em, text(size: 13pt, weight: \"bold\")[{escape(item.question)}])")
        if planned.phases:
            out.append("#part[Time budget by phase]")
            out.append("#phases(" + ", ".join(f"([{escape(name)}], {minutes})" for name, minutes in planned.phases) + ")")
        out.append("#part[What to listen for]")
        out.append("#checklist(" + ", ".join(f"[{escape(p)}]" for p in item.key_points) + ")")
        out.append("#part[Follow-ups]")
        out.append("#checklist(" + ", ".join(f"[{escape(f)}]" for f in item.follow_ups) + ")")
        signals = [(lvl, item.level_signals[lvl]) for lvl in LEVELS if lvl in item.level_signals]
        if signals:
            out.append("#part[What each level shows]")
            out.append("#list(" + ", ".join(
                f"[#strong[{escape(lvl.capitalize())}]{' (target)' if lvl == level else ''}: {escape(text)}]"
                for lvl, text in signals) + ")")
        out.append("#part[Notes]")
        out.append("#lines(5)")
        out.append("#part[Reference answer]")
        out.append("#text(size: 9.5pt)[" + writer.convert(item.answer, heading_offset=1, min_heading=4) + "]")
    out.append("#heading(level: 1)[Scorecard]")
    out.append(escape(f"Score each dimension for a {level}-level candidate: 1 weak, 2 below the bar, "
                      "3 at the bar, 4 strong."))
    out.append("#scorecard(" + ", ".join(f"[{escape(d)}]" for d in plan.dimensions) + ")")
    out.append("#part[Points heard per question]")
    out.append("#table(columns: (auto, 1fr, auto, auto), inset: 7pt, stroke: 0.5pt + luma(150), "
               "table.header([*\\#*], [*Question*], [*Points*], [*Minutes*]), "
               + ", ".join(_score_row(bank, i, q.item_id) for i, q in enumerate(plan.questions)) + ")")
    out.append("#part[Overall: strengths, what to work on next]")
    out.append("#lines(8)")
    return "\n\n".join(out) + "\n"


def _plan_line(bank: Bank, index: int, item_id: str, minutes: float) -> str:
    item = bank.get(item_id)
    question = item.question if item else item_id
    return f"[{escape(f'{index + 1}. {_budget(minutes)}: {_short(question)}')}]"


def _score_row(bank: Bank, index: int, item_id: str) -> str:
    item = bank.get(item_id)
    points = len(item.key_points) if item else 0
    return f"[{index + 1}], [{escape(_short(item.question if item else item_id))}], [{escape(f'___ / {points}')}], []"


def _budget(minutes: float) -> str:
    return f"about {minutes:.0f} min" if minutes >= 1 else "under a minute"


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _topic(bank: Bank, area: str, topic: str) -> str:
    guide = bank.guides.get(area)
    return guide.topic_title(topic) if guide else topic
