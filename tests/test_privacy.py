"""Privacy as an attacker tries it: the published analytics file, its dev copy, the person key.

All on the session's one refresh of the bundled sample (``sample_warehouse``): names and ID
numbers are read from its restricted store (the truth), then looked for everywhere else.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import stat
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_cadres
from warehouse.develop import ensure_dev_copy
from warehouse.normalise.idcard import check_digit
from warehouse.personal.mask import mask_id, mask_id_like
from warehouse.personal.secret import secret_path
from warehouse.personal.store import store_path
from warehouse.reference import load_reference
from warehouse.settings import Settings

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
UNKEYED = (hashlib.md5, hashlib.sha1, hashlib.sha256)


@pytest.fixture(scope="module")
def personal(sample_warehouse: Path) -> list[tuple[str, str, str]]:
    """(person_key, name, ID number) of everyone, from the restricted store."""
    with duckdb.connect(str(store_path(sample_warehouse)), read_only=True) as connection:
        return connection.execute("SELECT person_key, full_name, id_number FROM persons").fetchall()


def _leaks(database: Path, names: set[str], ids: set[str], hashes: set[str]) -> list[str]:
    """Every text value of every table and view that is a name, holds an ID number or an
    unkeyed hash of one."""
    found: list[str] = []
    with duckdb.connect(str(database), read_only=True) as connection:
        columns = connection.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns "
            "WHERE data_type = 'VARCHAR'").fetchall()
        for schema, table, column in columns:
            values = connection.execute(f'SELECT DISTINCT "{column}" FROM "{schema}"."{table}"').fetchall()
            for (value,) in values:
                if value is None:
                    continue
                if value in names or value in hashes or ID_NUMBER.search(value) or value in ids:
                    found.append(f"{schema}.{table}.{column}: {value[:40]}")
    return found


def test_the_analytics_file_and_its_dev_copy_hold_no_name_id_or_unkeyed_hash(
        sample_warehouse: Path, personal: list[tuple[str, str, str]], tmp_path: Path) -> None:
    names = {name for _, name, _ in personal}
    ids = {number for _, _, number in personal}
    hashes = {algorithm(number.encode()).hexdigest() for number in ids for algorithm in UNKEYED}
    assert len(ids) > 3000 and len(names) > 1000  # the scan looks for something real
    warehouse = tmp_path / sample_warehouse.name
    shutil.copy(sample_warehouse, warehouse)
    dev = ensure_dev_copy(Settings.load(warehouse=warehouse))
    for database in (sample_warehouse, dev):
        assert _leaks(database, names, ids, hashes) == [], database
    # and the raw bytes: no ID number, no secret, anywhere in the file (free-space pages too)
    data = sample_warehouse.read_bytes()
    secret = secret_path(sample_warehouse).read_bytes().strip()
    assert secret not in data
    assert not [number for number in list(ids)[:300] if number.encode() in data]


def test_the_restricted_store_and_the_secret_are_private_and_beside_the_warehouse(sample_warehouse: Path) -> None:
    for path in (store_path(sample_warehouse), secret_path(sample_warehouse)):
        assert path.parent == sample_warehouse.parent
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_the_md5_recovery_attack_fails_against_the_keyed_person_key(
        sample_warehouse: Path, personal: list[tuple[str, str, str]]) -> None:
    """The attack of the issue: from birth date and sex (in ``dim_person``) and the city's region
    prefixes, every candidate ID number is built and hashed. Against md5 keys it finds the person
    (checked here as the control); against the published keys it finds no one."""
    truth = {key: number for key, _, number in personal}
    with duckdb.connect(str(sample_warehouse), read_only=True) as connection:
        keys = {row[0] for row in connection.execute("SELECT person_key FROM main.dim_person").fetchall()}
        sample = connection.execute(
            "SELECT person_key, strftime(birth_date, '%Y%m%d'), sex FROM main.dim_person "
            "WHERE birth_date IS NOT NULL ORDER BY person_key LIMIT 25").fetchall()
    prefixes = sorted(set(load_reference().region_codes.values()))
    recovered_from_md5 = matched = 0
    for key, born, sex in sample:
        parity = 1 if sex == "男" else 0
        candidates = [f"{prefix}{born}{sequence:03d}" for prefix in prefixes for sequence in range(1000)
                      if sequence % 2 == parity]
        numbers = [first17 + check_digit(first17) for first17 in candidates]
        digests = {algorithm(n.encode()).hexdigest() for n in numbers for algorithm in UNKEYED}
        recovered_from_md5 += hashlib.md5(truth[key].encode()).hexdigest() in digests
        matched += len(digests & keys)
    assert recovered_from_md5 == len(sample)  # the attack works on an unkeyed hash…
    assert matched == 0  # …and finds nothing among the keyed ones


def test_the_stewards_rejects_listing_says_where_but_never_prints_a_full_id(sample_warehouse: Path) -> None:
    listing = run_cadres("rejects", "--csv", "--warehouse", str(sample_warehouse))
    assert listing.returncode == 0, listing.stderr
    assert "校验位" in listing.stdout and "********" in listing.stdout  # the sample's bad IDs, masked
    assert not ID_NUMBER.search(listing.stdout)


def test_ids_are_shown_as_the_first_6_and_last_4_characters_only() -> None:
    assert mask_id("51110219850312012X") == "511102********012X"
    assert mask_id_like("身份证号“51110219850312012X”校验位错误") == "身份证号“511102********012X”校验位错误"
    assert mask_id_like("第12行，值 2018-04-30") == "第12行，值 2018-04-30"
