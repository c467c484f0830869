"""The kinds of failure a steward can meet (contract §9), each with its exit code.

A scheduler (cron, a systemd timer) sees only the exit code, so each kind of failure has its
own: the README's steward section lists them. ``argparse`` keeps 2 for a bad command line.
"""

from __future__ import annotations

EXIT_PUBLISHED = 0
EXIT_ERROR = 1  # anything else: bad settings, permissions, a missing warehouse
EXIT_USAGE = 2  # argparse: unknown command or option
EXIT_GATE = 3  # a publish gate refused the new warehouse (publish anyway: --accept)
EXIT_FILE = 4  # a bad file (contract §9): nothing read, nothing published
EXIT_TESTS = 5  # dbt build or an error-severity dbt test failed
EXIT_LOCKED = 6  # another refresh (or another `cadres dbt`) holds the lock
EXIT_INTERRUPTED = 130


class FileError(Exception):
    """A bad file: the refresh stops, nothing is published, the message names the file."""

    exit_code = EXIT_FILE

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


class RefreshError(Exception):
    """A refresh that could not publish; one-line reason."""

    exit_code = EXIT_ERROR


class TestsFailed(RefreshError):
    """dbt build failed or an error-severity test failed: the build is not published."""

    __test__ = False  # not a pytest class despite the name
    exit_code = EXIT_TESTS


class Locked(RefreshError):
    """Another process holds the lock this command needs."""

    exit_code = EXIT_LOCKED


class GateRefused(RefreshError):
    """A publish gate found the new warehouse implausible; ``--accept`` publishes anyway."""

    exit_code = EXIT_GATE
    summary: object | None = None  # the refresh's summary, printed before the reason
