#!/usr/bin/env python3
"""Sorts the samples of `perf script` output from the gateway into the parts of its ingress path (BENCHMARKS.md).

Each sample goes to the first frame, walking from the leaf up, that names a part: the innermost owner wins, so
SQLite's own C code under the log writer counts as the writer's, and Kestrel counts only what no gateway code
under it claims. A second table splits the same samples by where the CPU was at the leaf (kernel or user code).
Usage: perf script -i perf.data | python3 perf-buckets.py
"""
import collections
import sys

# (part, substrings of a frame); the order only matters for a frame that matches two parts.
PARTS = [
    ("log append: SQLite insert + commit (group-commit writer)", ["SqliteEventLog+<WriteLoopAsync>", "SqliteEventLog+<CommitAsync>",
                                                                 "GroupCommit+<WriteLoopAsync>"]),
    ("dispatcher: checkpoint save (SQLite DELETE + commit)", ["SaveCheckpointAsync"]),
    ("dispatcher: read + match", ["PartitionDispatcher", "DeliveryEngine", "SubscriptionIndex", "SubscriptionFilter",
                                  "SqliteEventLog+<ReadAsync>", "RecentEvents", "CheckpointTracker", "Delivery.Dispatcher"]),
    ("JSON serialization of the log record", ["JsonEventFormat::ToUtf8Bytes", "JsonEventFormat::Write", "JsonEventWriter"]),
    ("CloudEvent decode + validation", ["HttpBinding::DecodeBinary", "CloudEventBuilder", "HttpHeaderValue", "CloudEventData",
                                        "IngressEndpoints::Decode", "JsonEventFormat::Parse", "JsonEventReader"]),
    ("discovery: event-type catalog", ["EventCatalog"]),
    ("append hand-off (channel, wait for commit)", ["SqliteEventLog+<AppendAsync>", "SqliteEventLog::AppendAsync",
                                                    "GroupCommit+<AppendAsync>", "GroupCommit::AppendAsync"]),
    ("ingress endpoint: body read, result", ["IngressEndpoints", "Gateway.Api.RequestBody", "RequestDelegateFactory", "HttpResults"]),
    ("ASP.NET Core + Kestrel: HTTP parsing, pipeline, sockets", ["Microsoft.AspNetCore", "System.Net.Sockets", "System.IO.Pipelines",
                                                                  "SocketAsyncEngine", "Microsoft.Extensions"]),
    ("thread pool: idle workers spinning, parking, waking", ["LowLevelLifoSemaphore", "PortableThreadPool", "ThreadPoolWorkQueue",
                                                            "ExecutionContext::RunFromThreadPoolDispatchLoop"]),
]
NATIVE = [
    ("SQLite C code + file I/O (write, fsync), caller not resolved", ["libe_sqlite3", " fsync", "fdatasync", "__libc_pwrite",
                                                                     "__libc_pread", "__fcntl64", "__lseek"]),
    ("ASP.NET Core + Kestrel: HTTP parsing, pipeline, sockets", [" __send", " __libc_recv", "sendmsg", "recvmsg", "epoll_wait",
                                                                  "libSystem.Native"]),
    ("runtime: locks, waits, sleeps (caller not resolved)", ["pthread_", "futex", "sched_yield", "clock_nanosleep", "__lll_"]),
]
THREADS = {".NET Server GC": "GC (server GC threads)", ".NET BGC": "GC (server GC threads)",
           ".NET Tiered Com": "JIT tiering", ".NET Sockets": "ASP.NET Core + Kestrel: HTTP parsing, pipeline, sockets"}
LEAF = [("kernel: scheduler (context switches, sched_yield, futex)", ["finish_task_switch", "schedule", "sched_yield", "futex",
                                                                   "_raw_spin_unlock_irq", "try_to_wake_up"]),
        ("kernel: disk + file system (write, fsync)", ["ext4", "jbd2", "iowrite16", "blk_", "virtio", "fsync", "filemap", "folio",
                                                       "mark_buffer_dirty", "pwrite", "vfs_write"]),
        ("kernel: TCP + epoll", ["tcp", "sock", "skb", "epoll", "ip_", "net_", "softirq", "inet", "__dev_queue"])]


def read(stream):
    sample = None
    for line in stream:
        if not line.strip():
            if sample:
                yield sample
            sample = None
        elif not line[0].isspace():
            sample = (line[:15].strip(), [])
        elif sample is not None:
            sample[1].append(line.strip())
    if sample:
        yield sample


def part_of(thread, frames):
    for prefix, part in THREADS.items():
        if thread.startswith(prefix):
            return part
    for frame in frames:
        for part, needles in PARTS:
            if any(n in frame for n in needles):
                return part
    # C code (SQLite, libc, System.Native) has no frame pointers, so many stacks end there; the innermost named
    # native function still tells the part.
    for frame in frames:
        if "[kernel.kallsyms]" in frame:
            continue
        for part, needles in NATIVE:
            if any(n in frame for n in needles):
                return part
        break
    return "other: runtime native code with no managed caller resolved"


def leaf_of(frames):
    leaf = frames[0] if frames else ""
    if "[kernel.kallsyms]" not in leaf:
        for dso, name in (("libe_sqlite3", "user: SQLite (C)"), ("libcoreclr", "user: .NET runtime native (GC, stubs, locks)"),
                          ("libc.so", "user: libc")):
            if dso in leaf:
                return name
        return "user: managed code" if "perf-" in leaf else "user: other"
    for name, needles in LEAF:
        if any(n in leaf for n in needles):
            return name
    return "kernel: other"


def table(title, counter, total):
    print(f"\n{title}")
    for name, count in counter.most_common():
        print(f"  {100.0 * count / total:5.1f}%  {name}")


def main():
    parts, leaves, total = collections.Counter(), collections.Counter(), 0
    for thread, frames in read(sys.stdin):
        total += 1
        parts[part_of(thread, frames)] += 1
        leaves[leaf_of(frames)] += 1
    print(f"{total} samples")
    table("by part of the gateway (innermost owner on the stack)", parts, total)
    table("by where the CPU was (leaf frame)", leaves, total)


main()
