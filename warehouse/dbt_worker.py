"""The dbt process of a refresh, started before its database is ready (``warehouse.dbt.DbtWorker``).

Importing dbt and parsing the project take about 5 s and need no database, so this process does
both while the refresh reads the exports (issue 12). It then waits for one line on standard
input: ``build`` runs the build on the parsed project (dbt's ``dbtRunner(manifest=…)``, no second
parse); anything else, or the refresh closing the pipe, ends it without touching the database.

    python -m warehouse.dbt_worker '{"parse": [...], "build": [...]}'

Exit status as dbt's own command line: 0 success, 1 a node failed, 2 dbt could not run.
"""

from __future__ import annotations

import json
import sys


def main(spec: dict[str, list[str]]) -> int:
    """Parse, wait for the word, build; the exit status as ``dbt`` would give it."""
    from dbt.cli.main import dbtRunner

    parsed = dbtRunner().invoke(spec["parse"])
    if not parsed.success:
        return 2
    if sys.stdin.readline().strip() != "build":
        return 0
    built = dbtRunner(manifest=parsed.result).invoke(spec["build"])
    if built.success:
        return 0
    return 2 if built.exception is not None else 1


if __name__ == "__main__":
    sys.exit(main(json.loads(sys.argv[1])))
