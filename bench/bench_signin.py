"""Benchmark: how long one sign-in check takes, for a known and an unknown name; prints, never asserts.

    .venv/bin/python bench/bench_signin.py --repeat 7

With the production argon2id parameters (t=3, m=64 MiB, p=4) the three cases should cost about
the same: the point is that timing does not tell whether a name exists. Throttling is switched
off (a fresh name per attempt) so every attempt reaches the hash.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from warehouse.accounts import AccountSettings, Authenticator, Role, UserStore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = replace(AccountSettings.for_users_file(Path(folder) / "users.json"), lock_after_failures=10**6)
        store = UserStore(settings.users_file)
        started = time.perf_counter()
        store.add("leader01", Role.LEADER, None, "correct-horse-battery")
        print(f"hash (users add): {time.perf_counter() - started:.3f} s")
        authenticator = Authenticator(settings, store)
        authenticator.verify("warm.up", "x")  # the dummy hash is made once per process
        cases = {"known name, wrong password": ("leader01", "wrong-password"),
                 "unknown name": (None, "wrong-password"),
                 "known name, right password": ("leader01", "correct-horse-battery")}
        for label, (name, password) in cases.items():
            seconds = []
            for i in range(args.repeat):
                authenticator.unlock("leader01")
                started = time.perf_counter()
                result = authenticator.verify(name or f"nobody{i}", password)
                seconds.append(time.perf_counter() - started)
            print(f"{label:<28} median {statistics.median(seconds):.3f} s  "
                  f"(min {min(seconds):.3f}, max {max(seconds):.3f}; {result.outcome})")


if __name__ == "__main__":
    main()
