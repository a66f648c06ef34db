"""`mlcoach profile`, `assess`, `plan`, `practice`, `notes` and `stories` in the terminal.

The commands use the system clock, so dates here are relative to today. Each test has its own data
directory: nothing a test saves is seen by another.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE_BANK
from typer.testing import CliRunner, Result

from mlcoach.cli.app import app

BANK = ["--bank", str(FIXTURE_BANK)]
GAP = "How would you tune the PID controller of a drone's altitude hold?"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MLCOACH_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def run(*args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(app, list(args), input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a failure of its own, whatever the exit code
    return result


def ok(*args: str, input: str | None = None) -> Result:
    result = run(*args, input=input)
    assert result.exit_code == 0, result.output
    return result


def as_json(*args: str) -> object:
    return json.loads(ok(*args, "--json").stdout)


def error(result: Result) -> str:
    """The one-line error, unwrapped (the console wraps at 80 columns)."""
    assert "Traceback" not in result.output
    return " ".join(result.stderr.split())


def in_days(n: int) -> str:
    return (date.today() + timedelta(days=n)).isoformat()


# profile -----------------------------------------------------------------------------------------

def test_profile_show_set_and_json() -> None:
    shown = as_json("profile")
    assert (shown["role"], shown["level"], shown["hours_per_week"], shown["interview_date"]) == ("mle", "mid", 6.0, None)
    assert shown["weights"]["system-design"] == 0.25 and shown["weight_overrides"] == {}

    out = ok("profile", "--role", "ds", "--level", "senior", "--date", in_days(30), "--hours", "8", "--retention", "0.85",
             "--weight", "ml-theory=0.5").stdout
    assert f"Role ds, level senior, interview {in_days(30)}, 8 h/week, retention 0.85" in " ".join(out.split())
    assert "ML theory 0.42*" in out  # an edited weight is marked, and weights are shown normalised

    saved = as_json("profile")
    assert (saved["role"], saved["level"], saved["interview_date"], saved["hours_per_week"], saved["desired_retention"]) == \
        ("ds", "senior", in_days(30), 8.0, 0.85)
    assert saved["weight_overrides"] == {"ml-theory": 0.5}
    assert saved["weights"]["ml-theory"] == pytest.approx(0.5 / 1.2)

    cleared = as_json("profile", "--weight", "ml-theory=default", "--date", "none")
    assert cleared["weight_overrides"] == {} and cleared["weights"]["ml-theory"] == 0.3 and cleared["interview_date"] is None
    assert cleared["role"] == "ds"  # untouched settings stay


def test_profile_refuses_bad_values_with_one_clear_line() -> None:
    ok("profile", "--hours", "7")
    for args, message in [
        (["--role", "ceo"], "error: role must be one of mle, ds, mlswe, not 'ceo'"),
        (["--level", "lead"], "error: level must be one of junior, mid, senior, staff"),
        (["--date", "2026-13-01"], "error: --date '2026-13-01' is not YYYY-MM-DD"),
        (["--date", "9999-12-31"], "is more than two years away"),
        (["--hours", "-1"], "error: hours per week must be above 0 and at most 100, not -1.0"),
        (["--hours", "nan"], "hours per week"),
        (["--retention", "0.3"], "error: desired retention must be between 0.70 and 0.99"),
        (["--weight", "frontend=1"], "a weight is AREA=NUMBER with AREA one of behavioral,"),
        (["--weight", "ml-theory=lots"], "the weight in 'ml-theory=lots' is not a number"),
        (["--weight", "ml-theory=2"], "the weight of ml-theory must be between 0 and 1"),
        (["--role", "ds", "--hours", "0"], "hours per week"),  # one bad value: nothing of the command is saved
    ]:
        result = run("profile", *args)
        assert result.exit_code == 2 and message in error(result), (args, result.stderr)
    kept = as_json("profile")
    assert (kept["role"], kept["hours_per_week"]) == ("mle", 7.0)


# assess ------------------------------------------------------------------------------------------

# self-ratings in area order: behavioral 4, cross-team 1, product design 3, case study 3, system design 3, ml-theory 2
RATINGS = "4\n1\n3\n3\n3\n2\n"


def diagnostic_input(recall: dict[str, str], quiz: tuple[str, ...]) -> str:
    """The fixture bank's diagnostic: two recall checks in each of five areas (Enter to reveal, then the
    key points recalled), then the two ml-theory quizzes."""
    text = RATINGS
    for area in ("behavioral", "cross-team", "product-design", "case-study", "system-design"):
        text += f"\n{recall.get(area, '')}\n" * 2
    return text + "".join(f"{choice}\n" for choice in quiz)


def test_assess_through_the_terminal_then_the_result() -> None:
    stdin = diagnostic_input({"behavioral": "1 2 3 4 5 6 7 8 9", "product-design": "1", "case-study": "1",
                              "system-design": "1"}, ("9", "3", "1"))  # 9 is refused and asked again
    out = ok("assess", *BANK, input=stdin).stdout
    assert "enter a number from 1 to 4" in out
    assert out.count("right.") == 1 and out.count("wrong: it is 3.") == 1  # both quizzes' answer is option 3
    assert "Readiness (12 checks)" in out and "Focus (weight × gap)" in out

    summary = as_json("assess", "result")
    areas = summary["areas"]
    assert summary["checks"] == 12 and summary["change"] is None
    assert areas["behavioral"]["score"] == 82.5  # self-rating 4 (0.65 x 2) and every key point twice: 3.3 / 4
    assert areas["cross-team"]["score"] == 7.5  # self-rating 1 (0.15 x 2) and nothing recalled: 0.3 / 4
    assert areas["ml-theory"]["score"] == 40.0  # self-rating 2 (0.3 x 2), one quiz right: 1.6 / 4
    assert all(a["checks"] == 2 and a["low"] <= a["score"] <= a["high"] for a in areas.values())
    assert {(t["area"], t["topic"]) for t in summary["topics"]} >= {("ml-theory", "metrics"), ("ml-theory", "linear-algebra")}
    focus = summary["focus"]
    assert [f["priority"] for f in focus] == sorted((f["priority"] for f in focus), reverse=True)
    assert focus[0]["area"] in ("system-design", "ml-theory") and "behavioral" not in [f["area"] for f in focus[:4]]
    assert summary["weights"]["system-design"] == 0.25

    human = ok("assess", "result").stdout
    assert "Behavioral" in human and "82" in human and "Readiness (12 checks)" in human

    # a retake, everything right: the change per area is shown
    ok("assess", *BANK, input=diagnostic_input({a: "1 2 3 4 5 6 7 8 9" for a in
                                                 ("behavioral", "cross-team", "product-design", "case-study", "system-design")},
                                                ("3", "3")))
    again = as_json("assess", "result")
    assert again["assessment"] == summary["assessment"] + 1
    assert set(again["change"]) == set(areas)
    assert again["change"]["cross-team"] == pytest.approx(again["areas"]["cross-team"]["score"] - 7.5, abs=0.05)
    assert again["change"]["cross-team"] == 50.0 and again["change"]["behavioral"] == 0.0  # 7.5 -> 57.5; 82.5 -> 82.5
    assert "Change" in ok("assess", "result").stdout


def test_assess_result_before_any_diagnostic() -> None:
    result = run("assess", "result")
    assert result.exit_code == 1 and "no diagnostic yet: run `mlcoach assess`" in error(result)
    assert as_json("assess", "result") is None


def test_an_interrupted_diagnostic_resumes_where_it_stopped() -> None:
    first = run("assess", *BANK, input=RATINGS + "\n1\n")  # one recall check, then the input ends
    assert first.exit_code != 0
    out = ok("assess", *BANK, input=RATINGS + "\n\n" * 9 + "3\n3\n").stdout  # nine recall checks left, two quizzes
    assert "[1/12]" not in out and "[2/12]" in out
    assert as_json("assess", "result")["checks"] == 12


# plan --------------------------------------------------------------------------------------------

def test_plan_make_json_and_calendar(tmp_path: Path) -> None:
    from icalendar import Calendar

    missing = run("plan", *BANK)
    assert missing.exit_code == 1 and "no plan yet" in error(missing) and "mlcoach plan --make" in error(missing)
    ok("profile", "--date", in_days(14), "--hours", "6")
    plan = as_json("plan", "--make", *BANK)
    assert plan["interview_date"] == in_days(14) and plan["hours_per_week"] == 6.0
    assert [d["date"] for d in plan["days"]] == [in_days(k) for k in range(14)]
    assert all(set(d) >= {"date", "minutes", "new", "review_minutes", "mock", "final_review", "done", "complete"} for d in plan["days"])
    assert sum(len(d["new"]) for d in plan["days"]) == 12  # the fixture bank's twelve items fit in two weeks
    assert [d["final_review"] for d in plan["days"]][-3:] == [True] * 3 and not plan["days"][-4]["final_review"]
    assert as_json("plan", *BANK) == plan  # showing does not re-plan

    ics = tmp_path / "plan.ics"
    out = ok("plan", "--ics", str(ics), *BANK).stdout
    assert f"Wrote {ics}" in " ".join(out.split()) and f"Plan to the interview on {in_days(14)}" in out
    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert len(events) == 15
    assert sorted(e.decoded("dtstart") for e in events) == [date.today() + timedelta(days=k) for k in range(15)]
    assert [str(e["summary"]) for e in events if e.decoded("dtstart") == date.today() + timedelta(days=14)] == ["Interview day"]

    ok("profile", "--date", in_days(0))
    past = run("plan", "--make", *BANK)
    assert past.exit_code == 2 and "is not after today" in error(past) and "mlcoach profile --date" in error(past)
    assert as_json("plan", *BANK)["interview_date"] == in_days(14)  # the plan that was there is kept


def test_plan_calendar_to_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    ok("profile", "--date", in_days(7))
    result = run("plan", "--make", "--ics", str(tmp_path / "no" / "such" / "dir" / "p.ics"), *BANK)
    assert result.exit_code == 2 and "cannot write" in error(result)


# practice ----------------------------------------------------------------------------------------

def test_practice_queue_follows_the_plan() -> None:
    ok("profile", "--date", in_days(14))
    today = as_json("plan", "--make", *BANK)["days"][0]["new"]
    queue = as_json("practice", "queue", *BANK)
    assert [e["item_id"] for e in queue["entries"]] == today and today
    assert queue["reviews_due"] == 0 and queue["new"] == len(today) and queue["new_done_today"] == 0
    assert all(e["kind"] == "new" and e["due_at"] is None for e in queue["entries"])


def test_a_practice_session_through_the_terminal(tmp_path: Path) -> None:
    from mlcoach.bank import load_bank

    bank = load_bank(FIXTURE_BANK).bank
    story = tmp_path / "story.yaml"
    story.write_text(yaml.safe_dump({"title": "The churn pipeline nobody owned", "competencies": ["ownership"]}))
    ok("stories", "add", "--file", str(story), *BANK)
    ok("practice", "add", "ownership-beyond-your-role", *BANK)  # put by hand: first in the queue
    queue = [e["item_id"] for e in as_json("practice", "queue", *BANK)["entries"]]
    first, second, third, fourth = (bank.get(i) for i in queue[:4])
    assert first.id == "ownership-beyond-your-role"

    stdin = (first.answer + "\n.\n"  # a typed answer, ended by a line holding '.'
             + "\n"  # accept the proposed rating
             + "n\nRemember the **freshness alert**.\n" + "s\n" + "\n"  # a note, a star, next
             + "\n" + "1 2\n"  # the second card: think it through, reveal, two key points recalled
             + "4\n"  # override the proposal
             + "r\n" + "\n"  # needs revision, next
             + "\n" + "\n" + "\n" + "\n"  # the third card: reveal, nothing recalled, accept the proposal, next
             + "\n" + "\n" + "q\n")  # the fourth card: reveal, nothing recalled, stop before rating
    out = ok("practice", *BANK, input=stdin).stdout
    flat = " ".join(out.split())
    assert "A story of yours that fits: The churn pipeline nobody owned" in flat
    proposals = re.findall(r"Score (\d+): proposed (again|hard|good|easy)\.", flat)
    assert len(proposals) == 4
    typed_score, typed_proposal = int(proposals[0][0]), proposals[0][1]
    assert typed_score >= 65 and typed_proposal in ("good", "easy")  # the model answer, typed
    assert proposals[1] == (str(round(200 / len(second.key_points))), "again" if 2 / len(second.key_points) < 0.4 else "hard")
    assert proposals[2] == proposals[3] == ("0", "again")
    assert "starred: True, needs revision: False" in flat and "starred: False, needs revision: True" in flat
    assert "Stopped after 3 card(s); the rest stay in the queue." in flat

    reviews = [json.loads(line) for line in ok("practice", "reviews", *BANK).stdout.splitlines()]
    assert [(r["item_id"], r["rating"]) for r in reviews] == [
        (first.id, {"good": 3, "easy": 4}[typed_proposal]), (second.id, 4), (third.id, 1)]
    after = as_json("practice", "queue", *BANK)
    assert after["new_done_today"] == 3 and after["reviews_done_today"] == 3
    entries = [(e["item_id"], e["kind"]) for e in after["entries"]]
    # again (a minute) and good (ten minutes) come back after the new items, soonest first
    assert entries[-2:] == [(third.id, "review"), (first.id, "review")]
    assert (fourth.id, "new") in entries and second.id not in [i for i, _ in entries]  # easy: days away
    notes = as_json("notes", *BANK)
    assert notes == [{"item_id": first.id, "body": "Remember the **freshness alert**.", "updated_at": notes[0]["updated_at"]}]
    flags = ok("practice", "flag", *BANK).stdout  # without an item: the flagged items
    assert f"{first.id}: ★" in flags and f"{second.id}: needs revision" in flags
    one = ok("practice", "flag", first.id, *BANK).stdout  # an item without --star/--revision: its flags
    assert one.strip() == f"{first.id}: starred True, needs revision False"


def test_an_empty_queue_says_what_to_do(tmp_path: Path) -> None:
    empty = tmp_path / "bank"
    for area in ("behavioral", "cross-team", "product-design", "case-study", "system-design", "ml-theory"):
        (empty / area).mkdir(parents=True)
        (empty / area / "_guide.md").write_text((FIXTURE_BANK / area / "_guide.md").read_text())
    out = ok("practice", "--bank", str(empty)).stdout
    assert "Nothing due today" in out and "mlcoach plan --make" in out


def test_a_gap_from_a_logged_interview_goes_on_the_queue(tmp_path: Path) -> None:
    log = tmp_path / "log.yaml"
    log.write_text(yaml.safe_dump({"company": "Initech", "role": "MLE", "round": "system-design", "date": "2026-02-01",
                                   "questions": ["Define precision, recall and F1.", GAP]}))
    ok("log", "add", "--file", str(log), *BANK)
    gap = next(g for g in as_json("gaps", *BANK) if g["question"] == GAP)
    added = ok("practice", "add", gap["ref"], *BANK).stdout
    log_id, position = gap["ref"].split(":")
    assert f"Queued the gap as gap-{log_id}-{position}." in added
    queue = as_json("practice", "queue", *BANK)
    assert queue["entries"][0] == {"item_id": f"gap-{log_id}-{position}", "kind": "new", "due_at": None}
    assert GAP in " ".join(ok("practice", "queue", *BANK).stdout.split())
    for target, code, message in [("nope", 1, "no item 'nope' in the bank"), ("3:x", 2, "a gap is LOG:N"),
                                  (f"{log_id}:9", 1, f"interview {log_id} has no question 9")]:
        result = run("practice", "add", target, *BANK)
        assert result.exit_code == code and message in error(result), target


# notes -------------------------------------------------------------------------------------------

def test_notes_set_show_search_and_delete() -> None:
    assert as_json("notes", *BANK) == []
    assert "No notes yet" in ok("notes", *BANK).stdout
    ok("notes", "set", "precision-recall-f1", "F1 is the **harmonic** mean.", *BANK)
    ok("notes", "set", "news-feed-ranking", "--file", "-", *BANK, input="Two towers, then a ranker.\n")
    assert "harmonic" in ok("notes", "show", "precision-recall-f1", *BANK).stdout
    assert [n["item_id"] for n in as_json("notes", "--search", "HARMONIC", *BANK)] == ["precision-recall-f1"]
    assert [n["item_id"] for n in as_json("notes", "--search", "news feed", *BANK)] == ["news-feed-ranking"]  # the question
    assert "No notes containing 'zzz'." in ok("notes", "--search", "zzz", *BANK).stdout
    assert "Deleted the note." in ok("notes", "set", "precision-recall-f1", "", *BANK).stdout
    shown = run("notes", "show", "precision-recall-f1", *BANK)
    assert shown.exit_code == 1 and "no note for precision-recall-f1" in error(shown)
    assert [n["item_id"] for n in as_json("notes", *BANK)] == ["news-feed-ranking"]
    for args, code, message in [(["set", "nope", "x"], 1, "no item 'nope' in the bank"),
                                (["set", "precision-recall-f1"], 2, "give the note as an argument or with --file"),
                                (["set", "precision-recall-f1", "--file", "/no/such/file"], 2, "cannot read /no/such/file")]:
        result = run("notes", *args, *BANK)
        assert result.exit_code == code and message in error(result), args


# stories -----------------------------------------------------------------------------------------

def test_stories_add_from_a_file_list_edit_delete(tmp_path: Path) -> None:
    story = tmp_path / "story.yaml"
    story.write_text("title: Churn pipeline nobody owned\nsituation: Scores drifted.\naction: Added freshness alerts.\n"
                     "competencies: [ownership, conflict]\n")
    assert "Saved story 1." in ok("stories", "add", "--file", str(story), *BANK).stdout
    listed = as_json("stories", *BANK)
    assert [(s["id"], s["title"], s["competencies"], s["action"]) for s in listed["stories"]] == \
        [(1, "Churn pipeline nobody owned", ["ownership", "conflict"], "Added freshness alerts.")]
    assert listed["coverage"]["ownership"] == [1] and listed["coverage"]["learning"] == []
    assert "ownership" not in listed["missing"] and "learning" in listed["missing"] and len(listed["missing"]) == 10
    human = " ".join(ok("stories", *BANK).stdout.split())
    assert "1 story; no story yet for: Debugging and rigour" in human

    story.write_text('{"title": "Churn pipeline", "competencies": "ownership, learning"}')  # JSON, comma-separated
    ok("stories", "edit", "1", "--file", str(story), *BANK)
    edited = as_json("stories", *BANK)["stories"][0]
    assert (edited["title"], edited["competencies"], edited["action"]) == ("Churn pipeline", ["ownership", "learning"], "")
    assert "Deleted story 1." in ok("stories", "delete", "1", *BANK).stdout
    assert as_json("stories", *BANK)["stories"] == []
    for args in (["edit", "1", "--file", str(story)], ["delete", "1"]):
        result = run("stories", *args, *BANK)
        assert result.exit_code == 1 and "no story 1" in error(result), args


def test_stories_add_interactively() -> None:
    out = ok("stories", "add", *BANK, input="Launch\nS\nT\nA\nR\nownership, failure\n").stdout
    assert "Saved story" in out
    saved = as_json("stories", *BANK)["stories"][0]
    assert (saved["title"], saved["situation"], saved["result"], saved["competencies"]) == ("Launch", "S", "R", ["ownership", "failure"])


@pytest.mark.parametrize("text, message", [
    ("title: [unclosed", "not valid YAML/JSON"),
    ("- a list\n- not a story\n", "expected a mapping with keys action, competencies, result, situation, task, title"),
    ("title: X\nwhen: yesterday\n", "unknown key(s) when; allowed: action, competencies"),
    ("title: X\ncompetencies: [ownership, charisma]\n", "unknown competency 'charisma'; choose from ownership, debugging-rigor"),
    ("situation: no title here\n", "a story needs a title"),
    ("title: X\ncompetencies: 5\n", "competencies"),
    ("title: X\ncompetencies: true\n", "competencies"),
])
def test_a_bad_story_file_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    story = tmp_path / "story.yaml"
    story.write_text(text)
    result = run("stories", "add", "--file", str(story), *BANK)
    assert result.exit_code == 2 and message in error(result)
    assert as_json("stories", *BANK)["stories"] == []


def test_a_missing_story_file(tmp_path: Path) -> None:
    result = run("stories", "add", "--file", str(tmp_path / "nope.yaml"), *BANK)
    assert result.exit_code == 2 and f"cannot read {tmp_path / 'nope.yaml'}" in error(result)


def test_looking_at_the_profile_saves_nothing_and_story_file_errors_name_the_file(tmp_path: Path) -> None:
    shown = as_json("profile")
    assert shown["saved"] is False and as_json("profile")["saved"] is False
    story = tmp_path / "story.yaml"
    story.write_text("title: A\ncompetencies: [made-up]\n", encoding="utf-8")
    refused = run("stories", "add", "--file", str(story), *BANK)
    assert refused.exit_code != 0 and f"{story}: unknown competency 'made-up'" in error(refused)
    story.write_text("title: A\naction: [one, two]\n", encoding="utf-8")
    refused = run("stories", "add", "--file", str(story), *BANK)
    assert refused.exit_code != 0 and "`action` must be text, not a list" in error(refused)


def test_a_recall_check_can_be_a_typed_answer_the_engine_grades() -> None:
    from mlcoach.bank import load_bank
    from mlcoach.core.assessment import plan_diagnostic

    bank = load_bank(FIXTURE_BANK).bank
    first = bank.get(plan_diagnostic(bank.items, "mle", "mid", seed=1000)[0].item_id)  # user 1's first diagnostic
    assert first is not None and first.area == "behavioral"
    typed = first.answer.replace("\n.\n", "\n") + "\n.\n"  # the model answer, ended by a lone '.'
    stdin = RATINGS + typed + "\n\n" * 9 + "3\n3\n"
    out = " ".join(ok("assess", *BANK, input=stdin).stdout.split())
    graded = re.search(r"Graded: (\d+)/100 on the key points", out)
    assert graded is not None and int(graded[1]) >= 80  # a model answer scores high on its own key points
    assert as_json("assess", "result")["checks"] == 12


# user text in the terminal ------------------------------------------------------------------------

NASTY = "[/] [link=https://evil.example]click[/link] [bold red]shout"


def test_user_text_is_printed_as_written_never_as_markup(tmp_path: Path) -> None:
    """Rich markup in a note, a story, an interview log or a search is shown literally: no crash on
    `[/]`, no terminal hyperlink from `[link=…]`."""
    item_id = "precision-recall-f1"
    ok("notes", "set", item_id, f"{NASTY}\nsecond line", *BANK)
    story = tmp_path / "story.yaml"
    story.write_text(yaml.safe_dump({"title": NASTY, "competencies": ["ownership"], "situation": "s", "task": "t",
                                     "action": "a", "result": "r"}))
    ok("stories", "add", "--file", str(story), *BANK)
    log = tmp_path / "log.yaml"
    log.write_text(yaml.safe_dump({"company": NASTY, "role": NASTY, "round": "ml-theory", "date": "2026-02-01",
                                   "questions": [NASTY]}))
    ok("log", "add", "--file", str(log), *BANK)
    for command in (["notes"], ["stories"], ["log", "list"], ["log", "show", "1"], ["gaps"], ["match"], ["search", NASTY]):
        result = CliRunner().invoke(app, [*command, *BANK], input=NASTY + "\n",
                                    env={"COLUMNS": "400", "FORCE_COLOR": "1", "TERM": "xterm-256color"})
        assert result.exit_code == 0 and result.exception is None, (command, result.output)
        plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
        assert "[link=https://evil.example]click[/link]" in plain or command == ["search", NASTY], (command, plain)
        assert "\x1b]8;" not in result.stdout, command  # no OSC 8 hyperlink escape


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_serve_refuses_a_network_interface_without_accounts(host: str) -> None:
    result = run("serve", "--host", host, "--port", "1", *BANK)
    assert result.exit_code == 2
    message = error(result)
    assert f"refusing to listen on {host}" in message and "--i-understand-anyone-on-the-network-can-use-it" in message


HUGE = str(2**63)


@pytest.mark.parametrize("args", [
    ["log", "show", HUGE], ["log", "delete", HUGE, "--yes"], ["log", "edit", HUGE], ["stories", "delete", HUGE],
    ["stories", "edit", HUGE, "--file", "x.yaml"], ["log", "show", "0"], ["serve", "--port", "99999"],
    ["plan", "--days", "100000"],
])
def test_out_of_range_numbers_are_refused_with_exit_2(args: list[str]) -> None:
    result = run(*args, *BANK)
    assert result.exit_code == 2, (args, result.output)
    flat = re.sub(r"[│╭╮╰╯─\s]+", " ", result.output)
    assert "Traceback" not in result.output and re.search(r"Invalid value for .*(less than or equal|greater than or equal|not in the range)", flat), flat


@pytest.mark.parametrize("target", [f"{HUGE}:1", f"1:{HUGE}", "²:1", "1:٣"])
def test_a_gap_reference_with_odd_numbers_is_refused(target: str) -> None:
    result = run("practice", "add", target, *BANK)
    assert result.exit_code in (1, 2) and "Traceback" not in result.output, result.output


def test_bad_stdin_and_files_get_one_clear_error(tmp_path: Path) -> None:
    latin = CliRunner().invoke(app, ["match", *BANK], input=b"caf\xe9 au lait?\n")
    assert latin.exit_code == 2 and "not UTF-8 text" in latin.output
    nested = run("grade", *BANK, input="[" * 100_000 + "\n")
    assert nested.exit_code == 0 and "expected" in nested.output
    for body, message in [("company: A\ndate: 12\nquestions: [q]\n", "date must be written YYYY-MM-DD"),
                          ("company: &c A\nrole: *c\nquestions: [q]\n", "aliases"),
                          ("rating: true\nquestions: [q]\n", "rating must be a whole number")]:
        path = tmp_path / "log.yaml"
        path.write_text(body)
        result = run("log", "add", "--file", str(path), *BANK)
        assert result.exit_code == 2 and message in error(result), body
    for special, message in [("/dev/zero", "not a regular file"), (str(tmp_path), "not a regular file")]:
        result = run("log", "add", "--file", special, *BANK)
        assert result.exit_code == 2 and message in error(result), special
    big = tmp_path / "big.yaml"
    big.write_text("went_well: " + "x" * 1_100_000 + "\n")
    assert "at most 1,000,000" in error(run("log", "add", "--file", str(big), *BANK))


def test_backup_copies_the_database_consistently_while_it_is_written(tmp_path: Path, data_dir: Path) -> None:
    import sqlite3
    import threading

    from mlcoach.coach import open_store

    ok("notes", "set", "precision-recall-f1", "before the backup", *BANK)
    store = open_store()
    stop = threading.Event()

    def write() -> None:  # another process's writes, as from a running app
        n = 0
        while not stop.is_set():
            n += 1
            connection = sqlite3.connect(str(data_dir / "mlcoach.db"), timeout=30)
            connection.execute("update notes set body = ? where item_id = 'precision-recall-f1'", (f"edit {n}",))
            connection.commit()
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        copies = [tmp_path / f"copy-{n}.db" for n in range(3)]
        for copy in copies:
            assert "integrity ok" in ok("db", "backup", str(copy)).stdout
    finally:
        stop.set()
        writer.join()
    for copy in copies:
        body = sqlite3.connect(str(copy)).execute("select body from notes").fetchone()[0]
        assert body == "before the backup" or body.startswith("edit ")
    again = run("db", "backup", str(copies[0]))
    assert again.exit_code == 2 and "exists already" in error(again)
    assert "is not a folder" in error(run("db", "backup", str(tmp_path / "no" / "such.db")))
    assert store.dialect == "sqlite"
