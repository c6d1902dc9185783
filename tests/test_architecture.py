"""The stage order is enforced: `lint-imports` (run by `make lint` and `make test`) passes on the
code, and fails on a copy with an upward import or a cycle planted in it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports on the `bot` package found in `tree`, with the project's contracts."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the package to plant violations in."""
    shutil.copytree(ROOT / "bot", tmp_path / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def _plant(module: Path, line: str) -> None:
    """Add an import at the top of `module`, after its docstring."""
    text = module.read_text("utf-8")
    module.write_text(
        text.replace(
            "from __future__ import annotations\n",
            f"from __future__ import annotations\n{line}\n",
            1,
        ),
        "utf-8",
    )


def test_the_code_keeps_its_stage_order(tree: Path) -> None:
    run = _lint(tree)
    assert run.returncode == 0, run.stdout + run.stderr


def test_an_upward_import_is_caught(tree: Path) -> None:
    _plant(tree / "bot" / "store" / "protocol.py", "import bot.answer.grounding  # noqa")
    run = _lint(tree)
    assert run.returncode == 1 and "bot.store.protocol -> bot.answer.grounding" in run.stdout


def test_a_cycle_between_sibling_modules_is_caught(tree: Path) -> None:
    _plant(tree / "bot" / "answer" / "claims.py", "import bot.answer.quoting  # noqa")
    run = _lint(tree)
    assert run.returncode == 1 and "No import cycles" in run.stdout and "BROKEN" in run.stdout
