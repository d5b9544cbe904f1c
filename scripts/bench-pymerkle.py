#!/usr/bin/env python3
"""The Python pymerkle package on comparable work, printed beside `assay bench log` for comparison.

Appends N entries of 256 bytes to a pymerkle SQLite tree in bulk, then times inclusion proofs.
Prints a note and exits 0 when pymerkle is not installed (pip install pymerkle).
"""
import argparse, os, random, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("--entries", type=int, default=100_000)
parser.add_argument("--directory", default=tempfile.gettempdir())
args = parser.parse_args()

try:
    from pymerkle import SqliteTree
except ImportError:
    print("pymerkle: not installed here (pip install pymerkle); comparison skipped")
    raise SystemExit(0)

path = os.path.join(args.directory, f"pymerkle-{os.getpid()}.db")
try:
    tree = SqliteTree(path, algorithm="sha256")
    data = [os.urandom(256) for _ in range(args.entries)]
    start = time.perf_counter()
    tree.append_entries(data)
    rate = args.entries / (time.perf_counter() - start)
    size = tree.get_size()
    times = []
    for _ in range(2000):
        i = random.randint(1, size)
        s = time.perf_counter()
        tree.prove_inclusion(i, size)
        times.append((time.perf_counter() - s) * 1e6)
    times.sort()
    print(f"pymerkle (Python, SQLite) on the same kind of entries: bulk append {int(rate)} entries/s ({args.entries} entries); "
          f"inclusion proof p50 {times[len(times) // 2]:.0f} µs at size {size}")
finally:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass
