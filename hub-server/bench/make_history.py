#!/usr/bin/env python3
"""Writes a `git fast-import` stream: one commit adding FILES text files, then COMMITS-1 commits
each changing 3 of them, on top of the existing `refs/heads/main`. Deterministic (seeded).

usage: make_history.py COMMITS FILES | git fast-import --quiet
"""
import random
import sys

commits, files = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(2026)
words = [f"w{i}" for i in range(4000)]
out = sys.stdout.buffer
contents = []
time = 1_700_000_000


def blob_text(i, version):
    n = rnd.randint(20, 300)
    body = " ".join(rnd.choice(words) for _ in range(n))
    return f"file {i} version {version}\n{body}\n".encode()


def commit(message, changes, first):
    global time
    time += 60
    msg = message.encode()
    out.write(b"commit refs/heads/main\n")
    out.write(f"committer Bench <bench@example.com> {time} +0000\n".encode())
    out.write(f"data {len(msg)}\n".encode() + msg + b"\n")
    if first:
        out.write(b"from refs/heads/main^0\n")
    for path, data in changes:
        out.write(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
    out.write(b"\n")


def path(i):
    return f"data/d{i % 100:02d}/f{i:05d}.txt"


commit("add files", [(path(i), blob_text(i, 0)) for i in range(files)], True)
for c in range(1, commits):
    chosen = rnd.sample(range(files), 3)
    commit(f"change {c}", [(path(i), blob_text(i, c)) for i in chosen], False)
out.write(b"done\n")
