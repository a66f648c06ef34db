"""The LaTeX commands the converter knows, and what each is in typst.

Symbol names are typst's (`sym` module); a test compiles every one, so a name typst drops or renames
fails the suite instead of a build.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

GREEK = (
    "alpha beta gamma delta zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon chi psi omega "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
).split()

# Commands that are one symbol. LaTeX's \epsilon and \phi are the "alt" glyphs in typst and vice versa.
SYMBOLS: Mapping[str, str] = MappingProxyType({
    **{name: name for name in GREEK},
    "epsilon": "epsilon.alt", "varepsilon": "epsilon", "phi": "phi.alt", "varphi": "phi", "vartheta": "theta.alt",
    "varrho": "rho.alt", "varsigma": "sigma.alt", "varpi": "pi.alt", "varkappa": "kappa.alt",
    # binary operators and relations
    "cdot": "dot.op", "times": "times", "div": "div", "pm": "plus.minus", "mp": "minus.plus", "ast": "ast",
    "star": "star", "circ": "compose", "bullet": "bullet", "odot": "dot.o", "oplus": "plus.o", "otimes": "times.o",
    "le": "lt.eq", "leq": "lt.eq", "ge": "gt.eq", "geq": "gt.eq", "ne": "eq.not", "neq": "eq.not",
    "lt": "lt", "gt": "gt", "leqslant": "lt.eq.slant", "geqslant": "gt.eq.slant",
    "approx": "approx", "sim": "tilde.op", "simeq": "tilde.eq", "cong": "tilde.equiv", "equiv": "equiv",
    "propto": "prop", "ll": "lt.double", "gg": "gt.double", "prec": "prec", "succ": "succ", "preceq": "prec.eq",
    "succeq": "succ.eq", "in": "in", "notin": "in.not", "ni": "in.rev", "subset": "subset", "subseteq": "subset.eq",
    "supset": "supset", "supseteq": "supset.eq", "cup": "union", "cap": "inter", "setminus": "without",
    "mid": "divides", "parallel": "parallel", "perp": "perp", "triangleq": "eq.delta", "coloneqq": "colon.eq",
    "wedge": "and", "land": "and", "vee": "or", "lor": "or", "neg": "not", "lnot": "not",
    # arrows
    "to": "arrow.r", "rightarrow": "arrow.r", "leftarrow": "arrow.l", "gets": "arrow.l", "leftrightarrow": "arrow.l.r",
    "Rightarrow": "arrow.r.double", "Leftarrow": "arrow.l.double", "Leftrightarrow": "arrow.l.r.double",
    "longrightarrow": "arrow.r.long", "longleftarrow": "arrow.l.long", "Longrightarrow": "arrow.r.double.long",
    "Longleftarrow": "arrow.l.double.long", "Longleftrightarrow": "arrow.l.r.double.long",
    "iff": "arrow.l.r.double.long", "implies": "arrow.r.double.long", "mapsto": "arrow.r.bar",
    "uparrow": "arrow.t", "downarrow": "arrow.b", "nearrow": "arrow.tr", "searrow": "arrow.br",
    # big operators
    "sum": "sum", "prod": "product", "coprod": "product.co", "int": "integral", "iint": "integral.double",
    "oint": "integral.cont", "bigcup": "union.big", "bigcap": "inter.big", "bigoplus": "plus.o.big",
    "bigotimes": "times.o.big",
    # letters and constants
    "infty": "infinity", "partial": "partial", "nabla": "nabla", "ell": "ell", "hbar": "ħ",
    "forall": "forall", "exists": "exists", "nexists": "exists.not", "emptyset": "emptyset", "varnothing": "nothing",
    "top": "top", "bot": "bot", "aleph": "aleph", "Re": "Re", "Im": "Im", "prime": "prime", "angle": "angle",
    "dagger": "dagger", "checkmark": "checkmark", "square": "square", "triangle": "triangle.t", "degree": "degree",
    # dots
    "dots": "dots.h", "ldots": "dots.h", "cdots": "dots.h.c", "vdots": "dots.v", "ddots": "dots.down",
    # delimiters
    "langle": "chevron.l", "rangle": "chevron.r", "lfloor": "floor.l", "rfloor": "floor.r", "lceil": "ceil.l",
    "rceil": "ceil.r", "lbrace": "\\{", "rbrace": "\\}", "backslash": "backslash",
    # TeX sets bars as ordinary symbols (tight); typst would space a lone bar like a relation
    "Vert": 'class("normal", bar.v.double)', "lVert": 'class("opening", bar.v.double)',
    "rVert": 'class("closing", bar.v.double)', "vert": 'class("normal", bar.v)', "lvert": 'class("opening", bar.v)',
    "rvert": 'class("closing", bar.v)',
    # spacing
    "quad": "quad", "qquad": "wide", "enspace": "space.en", "thinspace": "thin",
    # upright operator names typst knows
    **{name: name for name in (
        "arccos arcsin arctan arg cos cosh cot coth csc deg det dim exp gcd hom inf ker lg lim liminf limsup ln log "
        "max min Pr sec sin sinh sup tan tanh"
    ).split()},
    "bmod": "mod", "mod": "mod",
})

# \x and the one-character commands: escapes and spacing.
SHORT: Mapping[str, str] = MappingProxyType({
    ",": "thin", ":": "med", ">": "med", ";": "thick", "!": "#h(-0.1667em)", " ": "space",
    "{": "\\{", "}": "\\}", "|": 'class("normal", bar.v.double)', "%": "%", "$": "\\$", "#": "\\#", "&": "\\&", "_": "\\_",
})

ACCENTS: Mapping[str, str] = MappingProxyType({
    "hat": "hat", "widehat": "hat", "bar": "macron", "overline": "overline", "underline": "underline",
    "tilde": "tilde", "widetilde": "tilde", "dot": "dot", "ddot": "dot.double", "vec": "arrow",
    "check": "caron", "breve": "breve", "acute": "acute", "grave": "grave", "mathring": "circle",
    "overrightarrow": "arrow", "overleftarrow": "arrow.l",
})

FONTS: Mapping[str, str] = MappingProxyType({
    "mathbb": "bb", "mathcal": "cal", "mathscr": "scr", "mathfrak": "frak", "mathsf": "sans", "mathtt": "mono",
    "mathit": "italic", "boldsymbol": "bold", "bm": "bold", "mathbf": "bold(upright", "mathrm": "upright",
})

TEXT: Mapping[str, str] = MappingProxyType({
    "text": "", "textrm": "", "mbox": "", "textnormal": "", "textup": "", "textit": "italic", "textbf": "bold",
    "texttt": "mono", "textsf": "sans",
})

FRACTIONS = {"frac": "", "cfrac": "", "dfrac": "display", "tfrac": "inline"}
BINOMS = {"binom": "", "dbinom": "display", "tbinom": "inline"}
STYLES = {"displaystyle": "display", "textstyle": "inline", "scriptstyle": "script", "scriptscriptstyle": "sscript"}
SIZES = {f"{size}{side}" for size in ("big", "Big", "bigg", "Bigg") for side in ("", "l", "r", "m")}
MATRICES: Mapping[str, str] = MappingProxyType({
    "matrix": "#none", "pmatrix": '"("', "bmatrix": '"["', "Bmatrix": '"{"', "vmatrix": '"|"', "Vmatrix": '"‖"',
    "smallmatrix": "#none", "array": "#none",
})
ALIGNED = {"aligned", "align", "align*", "gathered", "gather", "gather*", "split", "alignedat"}

# Characters typst math reads as syntax; written escaped so they print as themselves.
ESCAPED = {"/": "\\/", '"': '\\"', "#": "\\#", "@": "\\@", ",": "\\,", ";": "\\;", "`": "\\`", "&": "\\&", "$": "\\$"}

# What may follow \left, \right and \big: delimiters by symbol name, which lr() scales like the
# characters but which cannot unbalance typst's parentheses (`\left( x \right(` is valid TeX).
DELIMITERS: Mapping[str, str] = MappingProxyType({
    ".": "", "(": "paren.l", ")": "paren.r", "[": "bracket.l", "]": "bracket.r", "|": "bar.v", "/": "slash",
    "\\{": "brace.l", "\\}": "brace.r", "\\lbrace": "brace.l", "\\rbrace": "brace.r",
    "\\|": "bar.v.double", "\\Vert": "bar.v.double", "\\lVert": "bar.v.double", "\\rVert": "bar.v.double",
    "\\vert": "bar.v", "\\lvert": "bar.v", "\\rvert": "bar.v", "\\langle": "chevron.l", "\\rangle": "chevron.r",
    "\\lfloor": "floor.l", "\\rfloor": "floor.r", "\\lceil": "ceil.l", "\\rceil": "ceil.r",
})

BIG_SIZES = {"big": "1.2em", "Big": "1.8em", "bigg": "2.4em", "Bigg": "3em"}  # TeX's steps
