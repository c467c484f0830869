"""The per-installation secret of the person key.

``person_key`` is HMAC-SHA256(secret, ID number). An unkeyed hash of an 18-character ID number
can be reversed by trying every plausible number (region prefix, birth date and sex are in the
warehouse; the rest is a sequence number and a check digit), so the key needs a secret that the
published file never holds. It is made at the first refresh of a warehouse, beside it (outside
git: ``data/`` is ignored), mode 0600, and reused by every later refresh so keys stay stable
between publishes. Losing it changes every key: the next refresh would see everyone leave and
re-enter the pool, and the publish gates would stop it.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from warehouse.errors import RefreshError

_BYTES = 32


def secret_path(warehouse: Path) -> Path:
    """``<dir>/.<stem>.person-secret``: beside the warehouse, never inside it."""
    return warehouse.parent / f".{warehouse.stem}.person-secret"


def load_or_create_secret(warehouse: Path) -> bytes:
    """The warehouse's secret; created (random, mode 0600) when the warehouse has none yet."""
    path = secret_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    try:
        os.fchmod(descriptor, 0o600)
        os.write(descriptor, secrets.token_hex(_BYTES).encode("ascii"))
        os.fsync(descriptor)
    except BaseException:
        os.close(descriptor)
        path.unlink(missing_ok=True)
        raise
    os.close(descriptor)
    return _read(path)


def _read(path: Path) -> bytes:
    if stat.S_IMODE(path.stat().st_mode) & (stat.S_IRWXG | stat.S_IRWXO):
        raise RefreshError(f"人员键密钥文件权限过宽，拒绝使用：{path}；确认未被他人读取后运行 chmod 600 {path}")
    text = path.read_text(encoding="ascii").strip()
    if len(text) != _BYTES * 2:
        raise RefreshError(f"人员键密钥文件已损坏：{path}（删除后所有人员键都会改变，请从备份恢复）")
    return bytes.fromhex(text)
