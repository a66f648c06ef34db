"""From the bytes of one content file to its front matter, body sections and line numbers.

Every failure is a `ParseFailure` carrying the line to fix, so no caller ever shows a traceback for
bad content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_BYTES = 100_000

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_H2 = re.compile(r"^## +(.+?)\s*#*\s*$")
_H1 = re.compile(r"^# +\S")

Loc = tuple[str | int, ...]


class ParseFailure(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class RawSection:
    title: str
    line: int
    markdown: str


@dataclass(slots=True)
class ParsedFile:
    data: dict[str, Any]
    lines: dict[Loc, int]  # where each key (and list entry) of the front matter starts
    body: str
    body_line: int  # file line number of the body's first line
    problems: list[tuple[int, str]] = field(default_factory=list)  # non-fatal, e.g. duplicate keys

    def line_of(self, loc: Loc) -> int:
        """The line of the deepest known prefix of `loc`, else the front matter's first line."""
        for end in range(len(loc), 0, -1):
            line = self.lines.get(loc[:end])
            if line is not None:
                return line
        return 2


def decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise ParseFailure(1, f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,} (split it or trim it)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ParseFailure(
            line, f"not valid UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded (save the file as UTF-8)"
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ParseFailure(line, "contains a NUL byte; content files must be plain text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_file(raw: bytes) -> ParsedFile:
    text = decode(raw)
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ParseFailure(1, "no front matter: the file must start with a '---' line, then YAML, then '---'")
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if close is None:
        raise ParseFailure(1, "front matter is not closed: add a '---' line after the YAML")
    yaml_text = "\n".join(lines[1:close])
    data, where, problems = _load_yaml(yaml_text, first_line=2)
    return ParsedFile(
        data=data, lines=where, body="\n".join(lines[close + 1 :]), body_line=close + 2, problems=problems
    )


def _load_yaml(text: str, first_line: int) -> tuple[dict[str, Any], dict[Loc, int], list[tuple[int, str]]]:
    loader = _Loader(text)
    try:
        _refuse_aliases(text, first_line)
        node = loader.get_single_node()
        if node is None:
            raise ParseFailure(first_line, "front matter is empty")
        if not isinstance(node, yaml.MappingNode):
            raise ParseFailure(first_line + node.start_mark.line, "front matter must be a mapping of `key: value` lines")
        where: dict[Loc, int] = {}
        problems: list[tuple[int, str]] = []
        _index(node, (), where, problems, first_line)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = " ".join(part for part in (error.context, error.problem) if part) or "invalid YAML"
        if error.context_mark is not None and "end of stream" in (error.problem or ""):
            # An unclosed quote or bracket fails at the end of the text; point at where it opened.
            mark = error.context_mark
            reason += " (what opens on this line is never closed)"
        line = first_line + (mark.line if mark else 0)
        raise ParseFailure(line, f"YAML syntax error: {reason}") from None
    except yaml.YAMLError as error:
        raise ParseFailure(first_line, f"YAML error: {error}") from None
    finally:
        loader.dispose()
    return data, where, problems


def _refuse_aliases(text: str, first_line: int) -> None:
    """Anchors and aliases (`&a`, `*a`) let 330 bytes expand into billions of nodes, or refer to
    themselves; content files take pull requests, so they are refused before anything is built."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.AliasEvent,)) or getattr(event, "anchor", None):
            raise ParseFailure(first_line + (event.start_mark.line if event.start_mark else 0),
                               "YAML anchors and aliases (`&name`, `*name`) are not allowed in content files: write the value out")


def _index(node: yaml.Node, loc: Loc, where: dict[Loc, int], problems: list[tuple[int, str]], first: int) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = first + key_node.start_mark.line
            if key in seen:
                dotted = ".".join(str(part) for part in (*loc, key))
                problems.append((line, f"duplicate key `{dotted}` (YAML would silently keep the last one)"))
            seen.add(key)
            where.setdefault((*loc, key), line)
            _index(value_node, (*loc, key), where, problems, first)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            where[(*loc, index)] = first + child.start_mark.line
            _index(child, (*loc, index), where, problems, first)


def split_sections(body: str, body_line: int) -> tuple[list[RawSection], list[tuple[int, str]]]:
    """Cut the body at `## ` headings outside code fences. Returns the sections and layout problems."""
    sections: list[RawSection] = []
    problems: list[tuple[int, str]] = []
    fence: str | None = None
    fence_line = body_line
    title: str | None = None
    start = 0
    chunk: list[str] = []
    for offset, line in enumerate(body.split("\n")):
        number = body_line + offset
        opener = _FENCE.match(line)
        if opener:
            marker = opener.group(1)
            if fence is None:
                fence, fence_line = marker[0] * 3, number
            elif marker.startswith(fence):
                fence = None
        if fence is None and not opener:
            heading = _H2.match(line)
            if heading:
                if title:
                    sections.append(RawSection(title, start, "\n".join(chunk).strip()))
                title, start, chunk = heading.group(1).strip(), number, []
                continue
            if _H1.match(line):
                problems.append((number, "top-level `# ` heading: use `## ` for sections and `### ` inside them"))
        if title is None:
            if line.strip():
                problems.append((number, "text before the first `## ` section (start the body with `## Answer`)"))
                title, start, chunk = "", number, []  # report once, keep the text out of every section
            continue
        chunk.append(line)
    if fence is not None:
        problems.append((fence_line, "a code fence is opened here but never closed"))
    if title:
        sections.append(RawSection(title, start, "\n".join(chunk).strip()))
    return sections, problems


class NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader without anchors and aliases: for files users hand the CLI."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "aliases (`*name`) are not allowed here", event.start_mark)
        return super().compose_node(parent, index)
