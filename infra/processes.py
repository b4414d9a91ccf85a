"""Detached child processes with PID files: start, find, stop. Knows nothing of what they run."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

# A JVM flushing Kafka segments or Elasticsearch shards can take a while to stop; past this the
# process gets SIGKILL so `stack down` always ends.
STOP_TIMEOUT_S = 45.0


@dataclass(frozen=True)
class ManagedProcess:
    """A named long-running child: its PID file, log file and a marker found in its command line."""

    name: str
    run_dir: Path
    log_file: Path
    marker: str  # a string its argv must contain, so a recycled PID is never mistaken for ours

    @property
    def pid_file(self) -> Path:
        return self.run_dir / f"{self.name}.pid"

    def running_pid(self) -> int | None:
        """The PID if the recorded process is alive and still ours; stale PID files are removed."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        try:
            proc = psutil.Process(pid)
            alive = proc.status() != psutil.STATUS_ZOMBIE and self.marker in " ".join(proc.cmdline())
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            alive = False
        if not alive:
            self.pid_file.unlink(missing_ok=True)
            return None
        return pid

    def start(self, argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> int:
        """Start detached (own session, survives the CLI), output appended to the log file."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **(env or {})},
                cwd=cwd,
                start_new_session=True,
            )
        self.pid_file.write_text(str(proc.pid))
        return proc.pid

    def exited_early(self) -> bool:
        """True when we started it and it is already gone (a start-up failure)."""
        return self.running_pid() is None

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> bool:
        """SIGTERM its whole process group, wait, then SIGKILL. Returns True if it was running."""
        pid = self.running_pid()
        if pid is None:
            return False
        procs = _tree(pid)
        _signal_group(pid, signal.SIGTERM)
        _, alive = psutil.wait_procs(procs, timeout=timeout_s)
        if alive:
            _signal_group(pid, signal.SIGKILL)
            psutil.wait_procs(alive, timeout=10)
        self.pid_file.unlink(missing_ok=True)
        return True

    def rss_bytes(self) -> int:
        """Resident memory of the process and its children (0 when not running)."""
        pid = self.running_pid()
        if pid is None:
            return 0
        total = 0
        for proc in _tree(pid):
            try:
                total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return total

    def tail(self, lines: int = 30) -> str:
        """The last lines of the log file, for error messages."""
        try:
            with self.log_file.open("rb") as fh:
                fh.seek(0, os.SEEK_END)
                fh.seek(max(0, fh.tell() - 64 * 1024))
                data = fh.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return "(no log yet)"
        return "\n".join(data.splitlines()[-lines:])


def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(os.getpgid(pid), sig)
    except ProcessLookupError:
        return


def wait_until(check, timeout_s: float, interval_s: float = 0.5, while_alive: ManagedProcess | None = None):
    """Poll ``check()`` until it returns a truthy value; None on timeout or if the process died."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        if while_alive is not None and while_alive.exited_early():
            return None
        time.sleep(interval_s)
    return None
