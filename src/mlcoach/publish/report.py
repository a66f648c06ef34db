"""The progress report PDF: readiness by area, practice and mock history, with charts."""

from __future__ import annotations

from mlcoach import __version__
from mlcoach.core.items import AREA_TITLES, AREAS, ROLE_TITLES
from mlcoach.core.mock import ROUNDS
from mlcoach.publish.compiler import Pdf, compile_pdf, template
from mlcoach.publish.typst_markup import MarkdownWriter, escape, string
from mlcoach.study.progress import Progress


def build_report(progress: Progress, user_name: str = "") -> Pdf:
    return compile_pdf(lambda writer: report_source(progress, user_name, writer))


def report_source(p: Progress, user_name: str, writer: MarkdownWriter) -> str:
    prof = p.profile
    target = f"{ROLE_TITLES[prof.role]}, {prof.level} level"
    if prof.interview_date:
        target += f" · interview on {prof.interview_date.isoformat()}"
    facts = [f"Generated {p.generated:%Y-%m-%d %H:%M} UTC by mlcoach {__version__}",
             f"{prof.hours_per_week:g} study hours a week · desired retention {prof.desired_retention:.2f}"]
    out = [template("base", "report"),
           f"#show: report.with(title: {string('Progress' + (' of ' + user_name if user_name else ''))}, "
           f"subtitle: {string(target)}, facts: ({', '.join(map(string, facts))},))"]

    out.append("= Readiness by area")
    if p.latest is None:
        out.append(escape("No diagnostic yet: take one (`mlcoach assess`, or Assess in the web app) to see readiness."))
    else:
        change = p.latest.get("change") or {}
        rows = []
        for area in AREAS:
            r = p.latest["areas"][area]
            delta = change.get(area)
            note = f"{r['low']:.0f}–{r['high']:.0f}, {r['sureness']}" + (f", {delta:+.0f} since the last" if delta is not None else "")
            rows.append(f"([{escape(AREA_TITLES[area])}], {r['score']:.0f}, {r['low']:.0f}, {r['high']:.0f}, [{escape(note)}])")
        out.append(escape(f"From the diagnostic of {str(p.latest['taken_at'])[:10]} ({p.latest['checks']} checks). "
                          "The bar is the readiness (0–100), the line its 80% range."))
        out.append("#readiness-bars(" + ", ".join(rows) + ")")
        out.append("#heading(level: 2)[Focus]")
        focus = []
        for f in p.latest["focus"]:
            where = AREA_TITLES[f["area"]] + (" › " + (f.get("topic_title") or f["topic"]) if f["topic"] else "")
            numbers = f"readiness {f['readiness']:.0f}, weight {f['weight']:.2f}"
            focus.append(f"[{escape(where)}: {escape(numbers)}]")
        out.append("#enum(" + ", ".join(focus) + ")" if focus else escape("Nothing stands out."))
        if len(p.readiness) > 1:
            out.append("#heading(level: 2)[Every diagnostic]")
            header = ", ".join(["[*Date*]", *(f"[*{escape(AREA_TITLES[a])}*]" for a in AREAS)])
            cells = [", ".join([f"[{day.isoformat()}]", *(f"[{scores.get(a, 0):.0f}]" for a in AREAS)]) for day, scores in p.readiness]
            out.append(f"#table(columns: {len(AREAS) + 1}, table.header({header}), {', '.join(cells)})")

    out.append("= Practice")
    out.append(escape(f"{p.reviews_total} review(s) in all. Reviews per week, the last {len(p.weeks)} weeks:"))
    out.append("#column-chart(" + ", ".join(f"({string(week[-3:])}, {count})" for week, count in p.weeks) + ")")
    if p.plan_done is not None:
        planned, done = p.plan_done
        out.append(escape(f"Study plan: {done} of the {planned} new items planned up to today are done."))
    out.append("#heading(level: 2)[Items learned per area]")
    out.append("#coverage-bars(" + ", ".join(
        f"([{escape(AREA_TITLES[a])}], {p.learned[a]}, {p.mature[a]}, {p.bank_sizes[a]})" for a in AREAS) + ")")
    if p.score_trend:
        out.append("#heading(level: 2)[Answer scores by week]")
        out.append(escape("Mean score of graded answers (practice and mocks), per area and ISO week."))
        rows = []
        for area in AREAS:
            for week, score in p.score_trend.get(area, []):
                rows.append(f"[{escape(AREA_TITLES[area])}], [{week}], [{score:.0f}]")
        out.append("#table(columns: 3, table.header([*Area*], [*Week*], [*Mean score*]), " + ", ".join(rows) + ")")

    out.append("= Mock interviews")
    if not p.mocks:
        out.append(escape("No finished mock rounds yet."))
    else:
        rows = []
        for m in p.mocks:
            scored = "" if m.score is None else f"{m.score:.0f}"
            card = ""
            if m.scorecard and isinstance(m.scorecard.get("scores"), dict):
                card = ", ".join(f"{k} {v}" for k, v in m.scorecard["scores"].items())
            title = ROUNDS[m.round_type].title if m.round_type in ROUNDS else m.round_type
            rows.append(f"[{m.day.isoformat()}], [{escape(title)}], [{escape(m.mode)}], [{scored}], [{escape(card)}]")
        out.append("#table(columns: (auto, 1fr, auto, auto, 1.4fr), table.header([*Date*], [*Round*], [*Mode*], "
                   "[*Mean score*], [*Interviewer's scorecard (1–4)*]), " + ", ".join(rows) + ")")
    return "\n\n".join(out) + "\n"
