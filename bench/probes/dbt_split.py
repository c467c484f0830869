"""Probe: one ``dbt build`` as the refresh runs it, split into import, parse, execution, after.

    python bench/probes/dbt_split.py WAREHOUSE REFRESH_TARGET WORK_DIR
        → prints {"seconds": …, "import": …, "parse": …, "execution": …, "after": …}

Re-runs the command line that the last refresh recorded in its ``run_results.json``
(its ``args``), on a copy of the published warehouse in WORK_DIR (kept between
runs, with its own target folder, so dbt parses partially as a refresh does), with dbt's
JSON log on stdout.  The split comes from the log's event times:

* import    — process start to dbt's first event (Python start-up, importing dbt);
* parse     — first event to ``ConcurrencyLine`` (project, profile, partial parse, manifest);
* execution — ``ConcurrencyLine`` to ``FinishedRunningStats`` (every seed, model and test);
* after     — that to the process's exit (run results, manifest, adapter clean-up).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from warehouse.dbt import dbt_command, dbt_environment
from warehouse.settings import DBT_PROJECT_DIR


def refresh_args(target: Path) -> list[str]:
    """The dbt arguments of the last refresh (from its run_results.json), without its paths."""
    a = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["args"]
    args = [a["which"]]
    if a.get("target"):
        args += ["--target", a["target"]]
    for kind in a.get("resource_types") or []:
        args += ["--resource-type", kind]
    for kind in a.get("exclude_resource_types") or []:
        args += ["--exclude-resource-type", kind]
    if a.get("select"):
        args += ["--select", *a["select"]]
    if a.get("exclude"):
        args += ["--exclude", *a["exclude"]]
    if a.get("threads"):
        args += ["--threads", str(a["threads"])]
    if a.get("vars"):
        args += ["--vars", json.dumps(a["vars"])]  # JSON is YAML
    return args


def event_times(stdout: str) -> dict[str, float]:
    """First time of each dbt event name, and of the last node result, as Unix seconds."""
    times: dict[str, float] = {}
    for line in stdout.splitlines():
        if not line.startswith("{"):
            continue
        info = json.loads(line).get("info", {})
        name, ts = info.get("name"), info.get("ts")
        if not name or not ts:
            continue
        moment = datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()
        times.setdefault("first", moment)
        times.setdefault(name, moment)
        if name in ("LogModelResult", "LogTestResult", "LogSeedResult", "FinishedRunningStats"):
            times["last_result"] = moment
    return times


def main() -> None:
    warehouse, refresh_target, work = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    copy = work / "db" / warehouse.name
    target = work / "target"
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(warehouse, copy)
    if not target.exists():  # start from the refresh's parse state
        shutil.copytree(refresh_target, target)
    command = dbt_command([*refresh_args(refresh_target), "--target-path", str(target),
                          "--log-path", str(work / "logs"), "--log-format", "json"])
    spawned = time.time()
    done = subprocess.run(command, cwd=DBT_PROJECT_DIR, env=dbt_environment(copy),
                          capture_output=True, text=True, encoding="utf-8")
    exited = time.time()
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(done.returncode)
    t = event_times(done.stdout)
    start = t.get("ConcurrencyLine", t["first"])
    end = t.get("FinishedRunningStats", t.get("last_result", exited))
    print(json.dumps({"seconds": exited - spawned, "import": t["first"] - spawned,
                      "parse": start - t["first"], "execution": end - start, "after": exited - end}))


if __name__ == "__main__":
    main()
