"""Reading PDFs back the way a person sees them: text per page (pypdf) and pixels (poppler's pdftoppm)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader


def pages_text(data: bytes) -> list[str]:
    """The text of each page, flattened (see flat)."""
    return [flat(page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    """Whitespace runs as one space, none after a hyphen or slash (typst may break a line there)."""
    return re.sub(r"(?<=[-/]) ", "", " ".join(text.split()))


def render_page(data: bytes, page: int, tmp_path: Path, dpi: int = 40) -> np.ndarray:
    """One page as a grey image (0 black .. 255 white), rendered by pdftoppm."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        pytest.fail("pdftoppm is missing: install Debian's poppler-utils (./scripts/test.sh does)")
    source = tmp_path / "render.pdf"
    source.write_bytes(data)
    target = tmp_path / f"page-{page}"
    subprocess.run([tool, "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(source),
                    str(target)], check=True, capture_output=True)
    return read_pgm((tmp_path / f"page-{page}.pgm").read_bytes())


def read_pgm(raw: bytes) -> np.ndarray:
    """A binary PGM (P5, 8-bit) as an array."""
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:  # magic, width, height, maxval; comments start with '#'
        while raw[position:position + 1].isspace():
            position += 1
        if raw[position:position + 1] == b"#":
            position = raw.index(b"\n", position) + 1
            continue
        end = position
        while not raw[end:end + 1].isspace():
            end += 1
        fields.append(raw[position:end])
        position = end
    assert fields[0] == b"P5" and int(fields[3]) == 255
    width, height = int(fields[1]), int(fields[2])
    pixels = np.frombuffer(raw, dtype=np.uint8, count=width * height, offset=position + 1)
    return pixels.reshape(height, width)


def ink(image: np.ndarray) -> float:
    """The share of pixels that are not (nearly) white."""
    return float((image < 200).mean())
