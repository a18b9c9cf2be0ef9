"""The README's first screen gives the run and test commands, and CI runs the same test command."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _commands():
    text = (ROOT / "README.md").read_text("utf-8")
    blocks = text.split("```bash\n")[1:3]
    return [b.split("\n```")[0].strip() for b in blocks]


def test_readme_first_screen_has_run_and_test_commands():
    run, test = _commands()
    assert run.endswith("python app.py")
    assert "pytest" in test
    first_screen = (ROOT / "README.md").read_text("utf-8").splitlines()[:15]
    assert run in first_screen and test in first_screen


def test_ci_runs_the_readme_test_command():
    _, test = _commands()
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    # CI may quiet pip; the command is otherwise the same.
    assert test.replace("pip install -r", "pip install -q -r") in ci
