"""Peak RSS and CPU seconds of the pipeline's processes, sampled by a background thread (psutil).

Processes are grouped by role (Kafka, Elasticsearch, Prefect server, flow + pool workers, indexers,
the bench process itself); a group is a set of root PIDs plus all their descendants, so pool workers
started later are counted with the flow that started them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import psutil

# Sampling period: RSS changes over seconds (model loading, batches); 0.5 s costs ~1 ms of CPU per
# sample on this machine and does not miss a peak that lasts a whole batch.
SAMPLE_INTERVAL_S = 0.5
# The process table is scanned for new descendants every this many samples (2 s): a scan is most of a
# sample's cost, and the processes of a run start once (pool workers, indexers). A process first seen
# late still counts all its CPU (its own counter starts at 0); only one that starts and ends between
# two scans would be missed.
RESCAN_EVERY = 4


@dataclass
class GroupStats:
    peak_rss_bytes: int = 0  # peak of the group's summed RSS at one sample
    peak_process_rss_bytes: int = 0  # largest single process of the group
    processes_seen: int = 0
    cpu_s: float = 0.0  # user + system seconds used during the sampling window
    root_cpu_s: float = 0.0  # the part used by the root process(es) alone, e.g. the flow without its workers


@dataclass
class _Group:
    roots: list[int]
    include_children: bool
    stats: GroupStats = field(default_factory=GroupStats)
    first_cpu: dict[int, float] = field(default_factory=dict)
    last_cpu: dict[int, float] = field(default_factory=dict)
    members: list[psutil.Process] | None = None  # as of the last scan of the process table


def _cpu(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return times.user + times.system


class ProcessSampler:
    """``add(role, pid)`` then ``start()``; ``stop()`` returns ``{role: GroupStats}``."""

    def __init__(self, interval_s: float = SAMPLE_INTERVAL_S) -> None:
        self.interval_s = interval_s
        self._groups: dict[str, _Group] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._started_pids: set[int] = set()
        self._procs: dict[int, psutil.Process] = {}  # kept across samples: creating one reads /proc
        self._samples = 0

    def add(self, role: str, pid: int, include_children: bool = True) -> None:
        """Track ``pid`` (and its descendants) under ``role``; may be called while sampling."""
        with self._lock:
            group = self._groups.setdefault(role, _Group([], include_children))
            group.roots.append(pid)

    def start(self) -> ProcessSampler:
        with self._lock:  # processes running before the window: their CPU counts from the first sample
            self._started_pids = {proc.pid for g in self._groups.values() for proc in self._members(g, None)}
        self._sample()
        self._thread.start()
        return self

    def stop(self) -> dict[str, GroupStats]:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self._sample()
        with self._lock:
            for group in self._groups.values():
                used = {pid: cpu - group.first_cpu.get(pid, 0.0) for pid, cpu in group.last_cpu.items()}
                group.stats.cpu_s = sum(used.values())
                group.stats.root_cpu_s = sum(used.get(pid, 0.0) for pid in group.roots)
            return {role: group.stats for role, group in self._groups.items()}

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self._sample()

    def _sample(self) -> None:
        with self._lock:
            rescan = self._samples % RESCAN_EVERY == 0
            self._samples += 1
            children_of = _children_map() if rescan else None
            for group in self._groups.values():
                total = 0
                if children_of is not None or group.members is None:
                    group.members = self._members(group, children_of)
                for proc in group.members:
                    try:
                        rss, cpu = proc.memory_info().rss, _cpu(proc)
                    except psutil.Error:
                        continue
                    total += rss
                    group.stats.peak_process_rss_bytes = max(group.stats.peak_process_rss_bytes, rss)
                    if proc.pid not in group.last_cpu:
                        # A process alive at the first sample started before the window: count from here.
                        group.first_cpu[proc.pid] = cpu if proc.pid in self._started_pids else 0.0
                    group.last_cpu[proc.pid] = cpu
                group.stats.peak_rss_bytes = max(group.stats.peak_rss_bytes, total)
                group.stats.processes_seen = len(group.last_cpu)

    def _members(self, group: _Group, children_of: dict[int, list[int]] | None) -> list[psutil.Process]:
        """The group's live processes: its roots and (unless left out) all their descendants."""
        if children_of is None:
            children_of = _children_map()
        pids: list[int] = []
        todo = list(group.roots)
        while todo:
            pid = todo.pop()
            pids.append(pid)
            if group.include_children:
                todo.extend(children_of.get(pid, ()))
        members = []
        for pid in pids:
            proc = self._procs.get(pid)
            if proc is None:  # a reused PID within one run is not a concern here
                try:
                    proc = self._procs[pid] = psutil.Process(pid)
                except psutil.Error:
                    continue
            members.append(proc)
        return members


def _children_map() -> dict[int, list[int]]:
    """PID -> child PIDs of every process, from one pass over the process table (``Process.children``
    makes a pass per call: one per group and sample, ~5x the CPU on the cores the run measures)."""
    children: dict[int, list[int]] = {}
    for proc in psutil.process_iter(["ppid"]):
        ppid = proc.info["ppid"]
        if ppid is not None:
            children.setdefault(ppid, []).append(proc.pid)
    return children
