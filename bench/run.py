"""`make bench`: every benchmark of the project, one after the other (see bench/README.md)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import apply_500  # noqa: E402
import bulk  # noqa: E402
import sim_memory  # noqa: E402
import sim_reads  # noqa: E402

BENCHES = [
    ("simulator reads/s (profile instant, own process, keep-alive)", sim_reads.main, []),
    ("simulator memory with 10,000 objects", sim_memory.main, []),
    ("apply of 500 mixed resources (profile lan)", apply_500.main, []),
    ("bulk writes: 500 and 2,000 mixed resources (profile lan)", bulk.main, []),
]


def main() -> int:
    for title, fn, args in BENCHES:
        print(f"== {title}", flush=True)
        fn(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
