"""The wheel carries the bundled bank, so an installed mlcoach works outside the repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT

from mlcoach.bank import load_bank


def test_wheel_ships_the_bank_and_uses_it_outside_the_repo(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True,
    )
    assert built.returncode == 0, built.stderr
    wheel = next(tmp_path.glob("mlcoach-*.whl"))
    unpacked = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(unpacked)
    assert "mlcoach/_bank/ml-theory/_guide.md" in names
    assert "mlcoach/store/migrations/versions/0001_initial.py" in names
    assert "mlcoach/web/static/htmx-2.0.11.min.js" in names
    assert "mlcoach/web/templates/base.html" in names
    assert "mlcoach/search/data/bank_vectors.npz" in names  # the bundled bank is searchable on first run
    assert {f"mlcoach/publish/templates/{name}.typ" for name in ("base", "guide", "packet")} <= set(names)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(unpacked)}
    run = subprocess.run([sys.executable, "-m", "mlcoach", "bank", "stats", "--json"], cwd=elsewhere, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    expected = len(load_bank(unpacked / "mlcoach" / "_bank").bank.items)
    assert expected > 0
    assert json.loads(run.stdout)["items"] == expected
    where = subprocess.run([sys.executable, "-c", "from mlcoach.bank.paths import bundled_bank; print(bundled_bank())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()) == unpacked / "mlcoach" / "_bank"
    guide = subprocess.run([sys.executable, "-m", "mlcoach", "guides", "build", "--area", "cross-team", "--out", "pdf"],
                           cwd=elsewhere, env=env, capture_output=True, text=True)
    assert guide.returncode == 0, guide.stderr
    assert (elsewhere / "pdf" / "cross-team.pdf").read_bytes().startswith(b"%PDF-")
