"""LaTeX math, as the bank writes it (KaTeX's subset), to typst math.

The two syntaxes disagree on almost everything that matters: in typst a run of letters is one
identifier (`xy` is an unknown variable), `/` makes a fraction, `(a)` after a function name is a call,
`,` separates arguments and `"..."` is text. So the converter tokenises the LaTeX, parses groups and
arguments, and writes every atom separately (`x y`, `\\/`, `\\,`), which typst lays out as LaTeX would.
Anything outside the known subset raises `MathError`; the caller then shows the LaTeX source instead.
"""

from __future__ import annotations

import re

from mlcoach.publish.latex_symbols import (
    ACCENTS,
    ALIGNED,
    BIG_SIZES,
    BINOMS,
    DELIMITERS,
    ESCAPED,
    FONTS,
    FRACTIONS,
    MATRICES,
    SHORT,
    SIZES,
    STYLES,
    SYMBOLS,
    TEXT,
)


class MathError(ValueError):
    """The LaTeX uses something this converter does not know."""


_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\\$|\d+(?:\.\d+)?|\s+|.", re.S)
_SIMPLE = re.compile(r'^(?:[A-Za-z]|\d+|[A-Za-z]+(?:\.[a-z]+)*|"[^"\\]*"|\\[^a-zA-Z])$')
_THOUSANDS = re.compile(r"(?<=\d)\{,\}(?=\d)")
_SEP = "\x00"  # stands for a thousands separator `{,}` while tokenising


def convert(latex: str) -> str:
    """The typst math for a LaTeX snippet (without the dollars). Raises MathError when unsupported."""
    source = _THOUSANDS.sub(_SEP, _strip_comments(latex))
    tokens = [t for t in _TOKEN.findall(source) if t]
    tokens = _merge_numbers(tokens)
    parser = _Parser(tokens)
    atoms = parser.sequence(stop=())
    if parser.pos < len(tokens):
        raise MathError(f"unexpected {tokens[parser.pos]!r}")
    return _join(atoms)


def _strip_comments(latex: str) -> str:
    # `%` starts a comment up to the end of the line, as in TeX; `\%` is a percent sign.
    return re.sub(r"(?<!\\)%[^\n]*", "", latex)


def _merge_numbers(tokens: list[str]) -> list[str]:
    """Glue `1{,}000` back into one number token so typst sets it without a space after the comma."""
    merged: list[str] = []
    for token in tokens:
        if token == _SEP or (merged and merged[-1].endswith(_SEP) and token[:1].isdigit()):
            merged[-1] += token
        else:
            merged.append(token)
    return merged


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0

    # Reading tokens ---------------------------------------------------------------------------

    def peek(self, skip_space: bool = True) -> str | None:
        pos = self.pos
        while skip_space and pos < len(self.tokens) and self.tokens[pos].isspace():
            pos += 1
        return self.tokens[pos] if pos < len(self.tokens) else None

    def next(self) -> str:
        token = self.peek()
        if token is None:
            raise MathError("unexpected end of the formula")
        self.skip_space()
        self.pos += 1
        return token

    def skip_space(self) -> None:
        while self.pos < len(self.tokens) and self.tokens[self.pos].isspace():
            self.pos += 1

    def expect(self, token: str) -> None:
        found = self.next()
        if found != token:
            raise MathError(f"expected {token!r}, found {found!r}")

    def raw_group(self) -> str:
        """The source text of a `{...}` argument (for \\text and friends), braces balanced."""
        self.expect("{")
        depth, out = 1, list[str]()
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            self.pos += 1
            if token == "{":
                depth += 1
            elif token == "}":
                depth -= 1
                if depth == 0:
                    return "".join(out).replace(_SEP, "{,}")
            out.append(token)
        raise MathError("unclosed {")

    # Structure ---------------------------------------------------------------------------------

    def sequence(self, stop: tuple[str, ...]) -> list[str]:
        """Atoms up to (not including) a stop token, `}` or the end."""
        atoms: list[str] = []
        while True:
            token = self.peek()
            if token is None or token in stop or token == "}":
                return atoms
            if token in ("^", "_"):
                self.attach(atoms)
            elif token == "'":
                self.next()
                if not atoms:
                    atoms.append('""')
                atoms[-1] += "'"
            elif token in _STYLES_TOKENS:
                self.next()
                rest = self.sequence(stop)
                atoms.append(f"{STYLES[token[1:]]}({_join(rest)})")
            elif token in ("\\limits", "\\nolimits"):
                self.next()
                if not atoms:
                    raise MathError(f"{token} with nothing before it")
                wrapper = "limits" if token == "\\limits" else "scripts"
                atoms[-1] = f"{wrapper}({_bare(atoms[-1])})"
            else:
                atom = self.atom()
                if atom:
                    atoms.append(atom)

    def attach(self, atoms: list[str]) -> None:
        """`x_a^b`: typst takes the same order; an argument of more than one atom goes in parentheses."""
        base = atoms.pop() if atoms else '""'
        scripts: dict[str, str] = {}
        while self.peek() in ("^", "_") and self.peek() not in scripts:
            mark = self.next()
            scripts[mark] = self.argument()
        if base.startswith(_GROUP):
            # a braced group is one atom in TeX; typst's attach() takes a whole body as its base
            named = ", ".join(f"{'t' if mark == '^' else 'b'}: {value}" for mark, value in scripts.items())
            atoms.append(f"attach({_bare(base)}, {named})")
        else:
            atoms.append(base + "".join(mark + _wrap(value) for mark, value in scripts.items()))

    def argument(self) -> str:
        """A command's argument or a script: a `{group}` or the next single atom."""
        token = self.peek()
        if token is None:
            raise MathError("missing argument")
        if token == "{":
            self.next()
            atoms = self.sequence(stop=())
            self.expect("}")
            return _join(atoms)
        if token in ("^", "_", "}", "&"):
            raise MathError(f"missing argument before {token!r}")
        if token[0].isdigit() and len(token) > 1:
            # TeX reads one digit as an argument: \tfrac12 is 1/2, x^23 is x²3
            self.skip_space()
            self.tokens[self.pos] = token[1:]
            return token[0]
        atom = self.atom()
        if atom is None:
            raise MathError("missing argument")
        return atom

    def atom(self) -> str | None:
        token = self.next()
        if token == "{":
            atoms = self.sequence(stop=())
            self.expect("}")
            if len(atoms) > 1:
                return _GROUP + _join(atoms)  # marked, in case scripts follow (see attach)
            return atoms[0] if atoms else '""'
        if token.startswith("\\") and len(token) > 1:
            return self.command(token[1:])
        if token[0].isdigit():
            return f'"{token.replace(_SEP, ",")}"' if _SEP in token else token
        if token == "~":
            return "space.nobreak"
        if token.isalpha():
            return token  # one letter (the tokeniser never joins letters)
        if token in ESCAPED:
            return ESCAPED[token]
        if token == "|":
            return 'class("normal", |)'  # TeX's | is an ordinary symbol
        if token == "\\":
            raise MathError("a lone backslash")
        return token

    # Commands ----------------------------------------------------------------------------------

    def command(self, name: str) -> str | None:
        if name in SHORT:
            return SHORT[name]
        if name == "\\":
            return "\\"  # a line break in aligned and display math
        if name in SYMBOLS:
            return SYMBOLS[name]
        if name in FRACTIONS:
            top, bottom = self.argument(), self.argument()
            return _style(FRACTIONS[name], f"frac({top}, {bottom})")
        if name in BINOMS:
            top, bottom = self.argument(), self.argument()
            return _style(BINOMS[name], f"binom({top}, {bottom})")
        if name == "sqrt":
            if self.peek() == "[":
                self.next()
                index = self.sequence(stop=("]",))
                self.expect("]")
                return f"root({_join(index)}, {self.argument()})"
            return f"sqrt({self.argument()})"
        if name in ACCENTS:
            return f"{ACCENTS[name]}({self.argument()})"
        if name in FONTS:
            return self.font(name)
        if name in TEXT:
            return _styled_text(TEXT[name], _text(self.raw_group()))
        if name in ("operatorname", "mathop"):
            limits = self.peek(skip_space=False) == "*"
            if limits:
                self.next()
            text = _string(_plain(self.raw_group()))
            return f"op({text}, limits: #true)" if limits else f"op({text})"
        if name in ("left", "right") or name in SIZES:
            return self.delimiter(name)
        if name in ("underbrace", "overbrace"):
            body = self.argument()
            mark = "_" if name == "underbrace" else "^"
            if self.peek() == mark:
                self.next()
                return f"{name}({body}, {self.argument()})"
            return f"{name}({body})"
        if name in ("overset", "stackrel", "underset"):
            over, base = self.argument(), self.argument()
            return f"limits({base}){'_' if name == 'underset' else '^'}{_wrap(over)}"
        if name == "pmod":
            return f"(mod {self.argument()})"
        if name == "not":
            target = self.atom()
            negated = {"=": "eq.not", "in": "in.not", "lt.eq": "lt.eq.not", "gt.eq": "gt.eq.not", "subset": "subset.not"}
            if target not in negated:
                raise MathError(f"\\not before {target!r}")
            return negated[target]
        if name == "boxed":
            return f"#box(stroke: 0.5pt, inset: 2pt, ${self.argument()}$)"
        if name == "begin":
            return self.environment()
        raise MathError(f"unsupported command \\{name}")

    def font(self, name: str) -> str:
        if name == "mathrm" and self.peek() == "{":
            start = self.pos
            word = self.raw_group().replace(" ", "")
            if _WORD.match(word):
                return f'"{word}"'  # \mathrm{KL}: a string, which typst sets upright
            self.pos = start
        argument = self.argument()
        if name == "mathbf":
            return f"bold(upright({argument}))"
        return f"{FONTS[name]}({argument})"

    def delimiter(self, name: str) -> str:
        """\\left( ... \\right): typst's lr() scales both ends to the body; \\big( is one delimiter, sized."""
        if name == "right":
            raise MathError("\\right without \\left")
        opening = self._delimiter_token()
        if name != "left":
            if not opening:
                return ""
            return f"lr({opening}, size: #{BIG_SIZES[name.rstrip('lrm')]})"  # one delimiter at a fixed size
        body = self.sequence(stop=("\\right",))
        if self.peek() != "\\right":
            raise MathError("\\left without \\right")
        self.next()
        closing = self._delimiter_token()
        return "lr(" + _join([opening, *body, closing]) + ")"

    def _delimiter_token(self) -> str:
        token = self.next()
        if token in DELIMITERS:
            return DELIMITERS[token]
        raise MathError(f"unknown delimiter {token!r}")

    def environment(self) -> str:
        name = _plain(self.raw_group())
        if name == "array":
            self.raw_group()  # the column spec: typst's mat() aligns its own columns
        rows: list[list[str]] = [[]]
        while True:
            cell = self.sequence(stop=("&", "\\\\", "\\end"))
            rows[-1].append(_join(cell))
            token = self.next()
            if token == "&":
                continue
            if token == "\\\\":
                rows.append([])
                continue
            if token == "\\end":
                break
            raise MathError(f"unexpected {token!r} in {name}")
        end = _plain(self.raw_group())
        if end != name:
            raise MathError(f"\\begin{{{name}}} ended by \\end{{{end}}}")
        if rows and rows[-1] == [""]:
            rows.pop()  # a trailing \\ adds no row
        if name in MATRICES:
            body = "; ".join(", ".join(cell or '""' for cell in row) for row in rows)
            return f"mat(delim: {MATRICES[name]}, {body})"
        if name == "cases":
            # TeX puts a quad between a case's value and its condition; typst's & only aligns
            return "cases(" + ", ".join(_join(_between(row, "&", "quad")) for row in rows) + ")"
        if name in ALIGNED:
            return _join(_between([_join(_between(row, "&")) for row in rows], "\\"))
        raise MathError(f"unsupported environment {name}")


_STYLES_TOKENS = {"\\" + name for name in STYLES}
_WORD = re.compile(r"^[A-Za-z]+$")
_GROUP = "\x01"  # marks an atom that was a braced group of several atoms


def _bare(atom: str) -> str:
    return atom.removeprefix(_GROUP)


def _join(atoms: list[str]) -> str:
    """Atoms with a space between them, except next to a string: typst prints a space beside text."""
    out: list[str] = []
    for atom in atoms:
        atom = _bare(atom)
        if not atom:
            continue
        if out and not (out[-1].endswith('"') or atom.startswith('"')):
            out.append(" ")
        out.append(atom)
    return "".join(out)


def _between(items: list[str], *separator: str) -> list[str]:
    out: list[str] = []
    for item in items:
        if out:
            out.extend(separator)
        out.append(item)
    return out


def _wrap(argument: str) -> str:
    return argument if _SIMPLE.match(argument) else f"({argument})"


def _style(style: str, body: str) -> str:
    return f"{style}({body})" if style else body


def _styled_text(style: str, text: str) -> str:
    return f"{style}({text})" if style else text


_TEXT_ESCAPES = {"\\%": "%", "\\&": "&", "\\$": "$", "\\#": "#", "\\_": "_", "\\{": "{", "\\}": "}",
                 "\\ ": " ", "\\,": "\u2009", "\\;": "\u2005", "\\:": "\u2005", "\\!": "", "~": "\u00a0",
                 "---": "\u2014", "--": "\u2013"}
_TEXT_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|---|--|~|\$|[{}]|[^\\$~{}-]+|-", re.S)


def _plain(source: str) -> str:
    """Text-mode LaTeX with nothing but text in it (operator and environment names)."""
    parts = _text_parts(source)
    if any(kind == "math" for kind, _ in parts):
        raise MathError(f"math inside a name: {source!r}")
    return "".join(value for _, value in parts)


def _text(source: str) -> str:
    """Text-mode LaTeX (the argument of \\text) as typst: strings, with `$...$` inside as math again."""
    parts = _text_parts(source)
    return _join([_string(value) if kind == "text" else value for kind, value in parts]) or '""'


def _text_parts(source: str) -> list[tuple[str, str]]:
    parts: list[tuple[str, str]] = []
    buffer: list[str] = []
    tokens = _TEXT_TOKEN.findall(source)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token in _TEXT_ESCAPES:
            buffer.append(_TEXT_ESCAPES[token])
        elif token == "$":
            if "$" not in tokens[i:]:
                raise MathError("unclosed $ in \\text")
            end = tokens.index("$", i)
            if buffer:
                parts.append(("text", "".join(buffer)))
                buffer = []
            parts.append(("math", convert("".join(tokens[i:end]))))
            i = end + 1
        elif token.startswith("\\"):
            raise MathError(f"unsupported command {token} in text")
        elif token not in ("{", "}"):  # braces only group in text mode
            buffer.append(re.sub(r"\s+", " ", token))
    if buffer:
        parts.append(("text", "".join(buffer)))
    return parts


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
