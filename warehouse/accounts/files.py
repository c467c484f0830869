"""Private files: created 0600 in a 0700 folder, replaced atomically, read only when still private.

Password hashes, failure counters and the audit log must not be readable by the other users of
a shared server. Writes go to a temporary file created with mode 0600 and are renamed over the
old one, so a crash never leaves half a users file; a read-modify-write holds an exclusive lock
so two stewards (or a steward and the dashboard) never lose each other's change.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from warehouse.accounts.errors import AccountsError

PRIVATE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def is_too_open(path: Path) -> bool:
    """True when group or others may read or write ``path``."""
    return bool(path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))


def require_private(path: Path, what: str) -> None:
    """Refuse a file that others can read: its content may already have leaked, and must not grow."""
    if path.exists() and is_too_open(path):
        mode = stat.S_IMODE(path.stat().st_mode)
        raise AccountsError(f"{what}权限过宽（{mode:o}），为安全起见拒绝读取：{path}；"
                            f"请确认文件未被他人读取后运行 chmod 600 {path}")


def _ensure_dir(directory: Path) -> None:
    if not directory.exists():
        directory.mkdir(parents=True, mode=PRIVATE_DIR_MODE)


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically; the result is mode 0600 whatever the umask."""
    _ensure_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_MODE)
    try:
        os.fchmod(descriptor, PRIVATE_MODE)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _last_line(descriptor: int) -> bytes:
    """The last complete line of the file (without its newline); empty for an empty file."""
    size = os.fstat(descriptor).st_size
    chunk = min(size, 1 << 16)
    tail = os.pread(descriptor, chunk, size - chunk).rstrip(b"\n")
    return tail.rsplit(b"\n", 1)[-1]


def append_private(path: Path, make_line: Callable[[bytes], str]) -> None:
    """Append ``make_line(last line so far)`` with one write (O_APPEND) under a lock, keeping mode 0600.

    The lock makes "read the last line, append the next" one step, so a line can carry a hash
    of the one before it.
    """
    _ensure_dir(path.parent)
    descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, PRIVATE_MODE)
    try:
        os.fchmod(descriptor, PRIVATE_MODE)
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        os.write(descriptor, make_line(_last_line(descriptor)).encode("utf-8"))
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``.<name>.lock`` beside ``path`` for a read-modify-write."""
    _ensure_dir(path.parent)
    lock_path = path.with_name(f".{path.name}.lock")
    descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, PRIVATE_MODE)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)
