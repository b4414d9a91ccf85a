"""The two background helpers of a source run: a private event loop thread and a one-off thread."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from typing import TypeVar

T = TypeVar("T")


class LoopThread:
    """An asyncio loop on its own thread for the run's whole length (the fetcher lives on it), so
    fetching the next batch overlaps building the current one. ``close`` stops and joins it."""

    def __init__(self, name: str) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=name, daemon=True)
        self._thread.start()

    def submit(self, coro: Coroutine[object, object, T]) -> Future[T]:
        """Run ``coro`` on the loop; the future gives its result (from any thread)."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def call(self, coro: Coroutine[object, object, T]) -> T:
        return self.submit(coro).result()

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()


def in_background(start: Callable[[], T], name: str) -> Future[T]:
    """``start()`` on its own thread; its result (or exception) through the future."""
    future: Future[T] = Future()

    def run() -> None:
        try:
            future.set_result(start())
        except BaseException as exc:  # handed to whoever waits on the future
            future.set_exception(exc)

    threading.Thread(target=run, name=name, daemon=True).start()
    return future
