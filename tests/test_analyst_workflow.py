"""The README's "adding a metric" example, followed literally in a temporary copy of the repo.

The code blocks of that README section are the script: a block after a paragraph naming a
``dbt_project/…`` file creates that file (or appends to it when the paragraph says *append*),
and the ``bash`` block's commands run in order (``cadres …`` as ``python -m warehouse.cli …``;
``cadres docs`` with ``--no-serve``). The new metric must then be listed by ``cadres metrics``
and offered, with its 口径, on the dashboard's 自助分析 page — with no Python change. Then the
metric is broken, and the next refresh must refuse to publish and leave the published file as
it was.

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

SECTION = "## For analysts: adding a metric"
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


# Run in the copy with CADRES_WAREHOUSE set: open 自助分析, pick the new metric in the metric
# picker, break it down by region, and report the picker's options, exceptions and the page's text.
_EXPLORE_PAGE = """
import json, pathlib, sys
from streamlit.testing.v1 import AppTest
metric = sys.argv[1]
at = AppTest.from_file(str(pathlib.Path.cwd() / "dashboard" / "app.py"), default_timeout=120)
at.switch_page("app_pages/explore.py")
at.run()
picker = at.multiselect(key="explore_metrics")
options = [str(o) for o in picker.options]  # as the page shows them: 标签（单位）
picker.set_value([metric])
at.run()
at.selectbox(key="explore_dim").set_value("pool_membership__region")
at.run()
text = [str(e.value) for kind in ("caption", "markdown", "title", "header") for e in getattr(at, kind)]
print(json.dumps({"options": options, "exceptions": [str(e.value) for e in at.exception], "text": "\\n".join(text),
                  "charts": len(at.get("plotly_chart"))}, ensure_ascii=False))
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


def test_the_readme_example_works_and_a_broken_metric_never_reaches_the_dashboard(
        tmp_path: Path, sample_warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    steps = readme_steps()
    assert [s.kind for s in steps] == ["create", "commands"], steps
    spec = yaml.safe_load(steps[0].text)["metrics"][0]
    metric, label, description = spec["name"], spec["label"], spec["description"]

    copy = Copy(copy_repo(tmp_path / "repo"))
    copy.published.parent.mkdir()
    shutil.copyfile(sample_warehouse, copy.published)
    target = copy.root / (steps[0].path or "")
    assert not target.exists(), f"the README would overwrite {steps[0].path}"
    target.write_text(steps[0].text, encoding="utf-8")

    commands = [argv for line in steps[-1].text.splitlines() if (argv := command_line(line))]
    assert [argv[3] if argv[2] == "warehouse.cli" else argv[2] for argv in commands] == [
        "dbt", "warehouse.conventions", "refresh", "metrics", "docs"]
    seconds: dict[str, float] = {}
    before = _digest(copy.published)
    outputs: dict[str, str] = {}
    for argv in commands:
        label_ = " ".join(argv[3:5] if argv[2] == "warehouse.cli" else argv[2:3])
        started = time.perf_counter()
        process = copy.run(argv)
        seconds[label_] = time.perf_counter() - started
        assert process.returncode == 0, f"{label_}\n{process.stdout[-4000:]}\n{process.stderr[-4000:]}"
        outputs[label_] = process.stdout
        if argv[3:4] == ["dbt"]:
            assert _digest(copy.published) == before  # dbt ran on the development copy only
        if argv[2] == "warehouse.conventions":
            assert "符合约定" in process.stdout

    # the slice the README asks for: a share per region, labelled in Chinese
    sliced = outputs["metrics query"]
    assert label in sliced and "市中区" in sliced and "乐山高新区" in sliced, sliced
    # listed with its 口径, and offered on 自助分析 (headless Streamlit), where a chart is drawn
    listed = copy.run([sys.executable, "-m", "warehouse.cli", "metrics", "--json"])
    assert listed.returncode == 0, listed.stderr
    entry = next(m for m in json.loads(listed.stdout) if m["metric"] == metric)
    assert entry["label"] == label and entry["description"] == description and entry["unit"] == "比率"
    shown = copy.run([sys.executable, "-c", _EXPLORE_PAGE, metric])
    assert shown.returncode == 0, shown.stdout[-3000:] + shown.stderr[-3000:]
    page = json.loads(shown.stdout.strip().splitlines()[-1])
    assert not page["exceptions"], page["exceptions"]
    assert f"{label}（比率）" in page["options"] and description in page["text"] and page["charts"] >= 1, page

    # in the docs' manifest, with the metrics it is built from
    manifest = json.loads((copy.root / "data" / "dev" / "target" / "manifest.json").read_text(encoding="utf-8"))
    node = manifest["metrics"][f"metric.cadres.{metric}"]
    assert node["label"] == label
    assert {"metric.cadres.pool_ready_now", "metric.cadres.pool_total"} <= set(node["depends_on"]["nodes"])

    # a broken metric (its numerator does not exist): the refresh stops and publishes nothing
    target.write_text(steps[0].text.replace("numerator: pool_ready_now", "numerator: pool_ready_soon"),
                      encoding="utf-8")
    published = _digest(copy.published)
    started = time.perf_counter()
    failed = copy.run([sys.executable, "-m", "warehouse.cli", "refresh"])
    seconds["refresh (broken metric)"] = time.perf_counter() - started
    assert failed.returncode != 0, failed.stdout[-3000:]
    last = failed.stderr.strip().splitlines()[-1]
    assert "未发布" in last, last
    assert _digest(copy.published) == published
    assert not list(copy.published.parent.glob(".cadres.build-*"))

    loop = seconds["dbt parse"] + seconds["refresh"]
    with capsys.disabled():
        print(f"\nadd-a-metric loop (cadres dbt parse and cadres refresh): {loop:.0f} s; "
              + ", ".join(f"{name} {value:.0f} s" for name, value in seconds.items()))
