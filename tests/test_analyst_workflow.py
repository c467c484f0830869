"""The README's "adding a dbt model" example, followed literally in a temporary copy of the repo.

The code blocks of that README section are the script: a block after a paragraph naming a
``dbt_project/…`` file creates that file (or appends to it when the paragraph says *append*),
and the ``bash`` block's commands run in order (``cadres …`` as ``python -m warehouse.cli …``;
``cadres docs`` with ``--no-serve``). Then the new model gets a failing test, and the next
refresh must refuse to publish, name the model, and leave the published file as it was.

The copy runs its own package (``PYTHONPATH`` and the working directory are the copy), so
everything it writes stays in the temporary folder; it starts from the session's sample
warehouse (``conftest.sample_warehouse``) as if ``./run.sh dashboard`` had made it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import yaml

from warehouse.settings import PROJECT_ROOT

SECTION = "## For analysts: adding a dbt model"
_SKIP_ANYWHERE = {".venv", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "node_modules"}
_SKIP_AT = {PROJECT_ROOT: {"data", "artifacts"}, PROJECT_ROOT / "dbt_project": {"target", "logs", "dbt_packages"}}


@dataclass(frozen=True)
class Step:
    """One code block of the README section: a file to create or append to, or commands."""

    kind: str  # "create", "append" or "commands"
    path: str | None
    text: str


def readme_steps(readme: Path = PROJECT_ROOT / "README.md") -> list[Step]:
    """The code blocks of the analysts' section, each with what the paragraph before it asks."""
    text = readme.read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    lines = text[start:end if end != -1 else None].splitlines()
    steps: list[Step] = []
    context: list[str] = []
    index = 0
    while index < len(lines):
        fence = re.match(r"^(\s*)```(\w+)\s*$", lines[index])
        if not fence:
            context.append(lines[index])
            index += 1
            continue
        indent, language = len(fence.group(1)), fence.group(2)
        body: list[str] = []
        index += 1
        while lines[index].strip() != "```":
            body.append(lines[index][indent:])
            index += 1
        index += 1
        paragraph = " ".join(context)
        context = []
        if language == "bash":
            steps.append(Step("commands", None, "\n".join(body)))
            continue
        paths = re.findall(r"`(dbt_project/[^`]+)`", paragraph)
        assert paths, f"a {language} block without a file named before it: {paragraph!r}"
        kind = "append" if re.search(r"\bappend\b", paragraph, re.IGNORECASE) else "create"
        steps.append(Step(kind, paths[-1], "\n".join(body) + "\n"))
    return steps


def command_line(line: str) -> list[str] | None:
    """A README command as this interpreter runs it; None for a blank or comment line."""
    words = shlex.split(re.sub(r"\s+#.*$", "", line).strip())
    if not words:
        return None
    if words[0] == "cadres":
        if words[1:2] == ["docs"] and "--no-serve" not in words:
            words.append("--no-serve")  # serving blocks until stopped; generating is the part to test
        return [sys.executable, "-m", "warehouse.cli", *words[1:]]
    if words[:2] == ["python", "-m"]:
        return [sys.executable, *words[1:]]
    raise AssertionError(f"the README asks for a command this test cannot run: {line}")


def _ignore(directory: str, names: list[str]) -> set[str]:
    skip = _SKIP_ANYWHERE | _SKIP_AT.get(Path(directory), set())
    return {name for name in names if name in skip or name.endswith((".duckdb", ".duckdb.wal"))}


def copy_repo(destination: Path) -> Path:
    shutil.copytree(PROJECT_ROOT, destination, ignore=_ignore)
    return destination


# Run in the copy with CADRES_WAREHOUSE set: open the 自助分析 page, pick the new mart from the
# mart list, and report the list's options, any exception and the page's text.
_EXPLORE_PAGE = """
import json, pathlib, sys
from streamlit.testing.v1 import AppTest
model = sys.argv[1]
at = AppTest.from_file(str(pathlib.Path.cwd() / "dashboard" / "app.py"), default_timeout=120)
at.switch_page("app_pages/explore.py")
at.run()
boxes = [box for box in at.selectbox if model in box.options or any(model in str(o) for o in box.options)]
options = [str(o) for box in boxes for o in box.options]
if boxes:
    boxes[0].set_value(model)
    at.run()
text = [str(e.value) for kind in ("caption", "markdown", "title", "header") for e in getattr(at, kind)]
print(json.dumps({"options": options, "exceptions": [str(e.value) for e in at.exception], "text": "\\n".join(text)},
                 ensure_ascii=False))
"""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tables(database: Path) -> dict[str, str | None]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return dict(connection.execute(
            "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main'").fetchall())


@dataclass
class Copy:
    root: Path

    @property
    def published(self) -> Path:
        return self.root / "data" / "cadres.duckdb"

    @property
    def dev(self) -> Path:
        return self.root / "data" / "dev" / "cadres.duckdb"

    def run(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("CADRES_", "DBT_", "STREAMLIT_"))}
        env["PYTHONPATH"] = str(self.root)
        if argv[1] == "-c":  # the dashboard reads the published warehouse named here
            env["CADRES_WAREHOUSE"] = str(self.published)
        return subprocess.run(argv, cwd=self.root, env=env, capture_output=True, text=True, timeout=900)


def test_the_readme_example_works_and_a_failing_model_never_reaches_the_dashboard(
        tmp_path: Path, sample_warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    steps = readme_steps()
    assert [s.kind for s in steps] == ["create", "create", "append", "commands"], steps
    sql = next(s for s in steps if s.path and s.path.endswith(".sql"))
    model = Path(sql.path or "").stem

    copy = Copy(copy_repo(tmp_path / "repo"))
    copy.published.parent.mkdir()
    shutil.copyfile(sample_warehouse, copy.published)
    for step in steps:
        if step.kind == "create":
            target = copy.root / (step.path or "")
            assert not target.exists(), f"the README would overwrite {step.path}"
            target.write_text(step.text, encoding="utf-8")
        elif step.kind == "append":
            with (copy.root / (step.path or "")).open("a", encoding="utf-8") as handle:
                handle.write(step.text)

    commands = [argv for line in steps[-1].text.splitlines() if (argv := command_line(line))]
    assert [argv[3] if argv[2] == "warehouse.cli" else argv[2] for argv in commands] == [
        "dbt", "warehouse.conventions", "refresh", "docs"]
    seconds: dict[str, float] = {}
    before = _digest(copy.published)
    for argv in commands:
        label = " ".join(argv[3:5] if argv[2] == "warehouse.cli" else argv[2:3])
        started = time.perf_counter()
        process = copy.run(argv)
        seconds[label] = time.perf_counter() - started
        assert process.returncode == 0, f"{label}\n{process.stdout[-4000:]}\n{process.stderr[-4000:]}"
        if argv[3:4] == ["dbt"]:
            # built and tested on the development copy; the published file is untouched
            assert model in _tables(copy.dev)
            assert _digest(copy.published) == before and model not in _tables(copy.published)
        if argv[2] == "warehouse.conventions":
            assert "符合约定" in process.stdout

    # published, with its dbt description as the DuckDB table comment (what 自助分析 lists)
    description = yaml.safe_load(steps[1].text)["models"][0]["description"]
    assert _tables(copy.published)[model] == description
    with duckdb.connect(str(copy.published), read_only=True) as connection:
        comments = connection.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ?",
            [model]).fetchall()
        rows = connection.execute(f'SELECT count(*), sum(persons) FROM main."{model}"').fetchone()
    assert comments and all(comment for _, comment in comments), comments
    assert rows is not None and rows[0] > 0 and rows[1] > 0

    # on the dashboard's 自助分析 page, headless (Streamlit's AppTest), described by its comment
    shown = copy.run([sys.executable, "-c", _EXPLORE_PAGE, model])
    assert shown.returncode == 0, shown.stdout[-3000:] + shown.stderr[-3000:]
    page = json.loads(shown.stdout.strip().splitlines()[-1])
    assert not page["exceptions"], page["exceptions"]
    assert any(model in option and description.split("。")[0] in option for option in page["options"]), page
    assert description in page["text"]

    # in the docs, with lineage from the raw exports to the 自助分析 page
    target = copy.root / "data" / "dev" / "target"
    assert model in (target / "static_index.html").read_text(encoding="utf-8")
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    uid = f"model.cadres.{model}"
    assert manifest["nodes"][uid]["description"] == description
    assert uid in manifest["exposures"]["exposure.cadres.dashboard_explore"]["depends_on"]["nodes"]
    lineage, frontier = set(), {uid}
    while frontier:
        frontier = {p for node in frontier for p in manifest["parent_map"].get(node, [])} - lineage
        lineage |= frontier
    assert "source.cadres.landing.talent_pool" in lineage

    # a failing test on the new model: the refresh stops, names it, publishes nothing
    spec_path = copy.root / (steps[1].path or "")
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    spec["models"][0]["data_tests"].append(
        {"expression_is_true": {"arguments": {"expression": "persons_ready_now > persons"}}})
    spec_path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    published = _digest(copy.published)
    started = time.perf_counter()
    failed = copy.run([sys.executable, "-m", "warehouse.cli", "refresh"])
    seconds["refresh (failing test)"] = time.perf_counter() - started
    assert failed.returncode != 0, failed.stdout[-3000:]
    last = failed.stderr.strip().splitlines()[-1]
    assert model in last and "未发布" in last, last
    assert _digest(copy.published) == published
    assert not list(copy.published.parent.glob(".cadres.build-*"))

    loop = seconds["dbt build"] + seconds["refresh"]
    with capsys.disabled():
        print(f"\nadd-a-model loop (cadres dbt build -s {model}+ and cadres refresh): {loop:.0f} s; "
              + ", ".join(f"{label} {value:.0f} s" for label, value in seconds.items()))
