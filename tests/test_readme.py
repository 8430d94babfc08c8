"""The README's two fresh-machine commands stay true: CI runs exactly the test command."""

from __future__ import annotations

import re

from tests.conftest import REPO


def _bash_blocks() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.*?)\n```", readme, flags=re.S)


def test_readme_opens_with_the_run_and_test_commands() -> None:
    run_command, test_command = _bash_blocks()[:2]
    assert "python -m bots chat" in run_command
    assert "pytest" in test_command


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_command = _bash_blocks()[1].strip()
    ci_lines = [
        line.strip() for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    ]
    assert test_command in ci_lines
