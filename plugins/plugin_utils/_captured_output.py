# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the threads of a controller task may print: nothing. Owns :class:`CapturedOutput`.

An action plugin runs in a WorkerProcess that Ansible forks while holding ``Display._lock``. On
ansible-core 2.16-2.18 the fork wraps ``sys.stderr`` and ``sys.stdout`` with that lock, and the
child's main thread inherits it held and never releases it: the first write to stderr from any
other thread (a library's ``warnings.warn``, a ``logging`` handler, an uncaught exception in a
thread) blocks for ever, and the task hangs. 2.19+ report such a write as "errantly sent data
directly to stderr". Ansible's ``Display`` methods themselves are safe from any thread in a worker:
they are proxied over the results queue (``Display._proxy``), which is how live progress lines go.

So while our threads run, ``sys.stderr``, ``warnings.showwarning`` and every logging stream handler
that writes to stderr point at a collector; afterwards the collected text comes back as task
warnings. Enter it from the task's main thread before any thread starts.
"""

from __future__ import annotations

import io
import logging
import sys
import threading
import warnings
from typing import Any, List, Optional

# A task's warnings are for people: a library that warns in a loop must not flood them.
MAX_WARNINGS = 20
MAX_WARNING_CHARS = 1000


class _Collector(io.TextIOBase):
    """A text stream any thread may write to; keeps what was written, line by line."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._pending = ""
        self.lines: List[str] = []

    @property
    def encoding(self) -> str:  # some libraries look at stream.encoding before writing
        return "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: Any) -> int:
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        text = str(text)
        with self._lock:
            parts = (self._pending + text).split("\n")
            self._pending = parts.pop()
            self.lines.extend(part for part in parts if part.strip())
        return len(text)

    def flush(self) -> None:
        return None

    def add(self, line: str) -> None:
        with self._lock:
            self.lines.append(line)

    def drain(self) -> List[str]:
        with self._lock:
            if self._pending.strip():
                self.lines.append(self._pending)
            self._pending = ""
            lines, self.lines = self.lines, []
        return lines


class CapturedOutput(object):
    """Context manager: stderr output of every thread is collected instead of written.

    ``warnings`` (after exit) lists what was collected, de-duplicated and bounded, each prefixed
    with where it came from so that a person can tell it apart from the collection's own warnings.
    """

    def __init__(self) -> None:
        self._collector = _Collector()
        self._saved_stderr: Optional[Any] = None
        self._saved_showwarning: Optional[Any] = None
        self._redirected: List[Any] = []
        self.warnings: List[str] = []

    def __enter__(self) -> "CapturedOutput":
        self._saved_stderr = sys.stderr
        self._saved_showwarning = warnings.showwarning
        warnings.showwarning = self._showwarning
        for handler in _stream_handlers():
            if getattr(handler, "stream", None) in (sys.stderr, sys.__stderr__):
                self._redirected.append((handler, handler.stream))
                handler.setStream(self._collector)
        sys.stderr = self._collector
        return self

    def __exit__(self, *exc_info: Any) -> None:
        sys.stderr = self._saved_stderr
        warnings.showwarning = self._saved_showwarning
        for handler, stream in self._redirected:
            handler.setStream(stream)
        self._redirected = []
        self.warnings = _bounded(self._collector.drain())

    def _showwarning(
        self, message: Any, category: Any, filename: str, lineno: int, file: Any = None, line: Any = None
    ) -> None:
        del file, line
        name = getattr(category, "__name__", "Warning")
        self._collector.add("%s: %s (%s:%s)" % (name, message, filename, lineno))


def _stream_handlers() -> List[logging.StreamHandler]:
    loggers = [logging.getLogger()] + [
        item for item in logging.Logger.manager.loggerDict.values() if isinstance(item, logging.Logger)
    ]
    return [
        h
        for lg in loggers
        for h in lg.handlers
        if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
    ]


def _bounded(lines: List[str]) -> List[str]:
    out: List[str] = []
    seen = set()
    for line in lines:
        text = line.strip()
        if len(text) > MAX_WARNING_CHARS:
            text = text[:MAX_WARNING_CHARS] + "..."
        if text in seen:
            continue
        seen.add(text)
        out.append("printed while the task ran: %s" % text)
    if len(out) > MAX_WARNINGS:
        dropped = len(out) - MAX_WARNINGS
        out = out[:MAX_WARNINGS] + ["printed while the task ran: %d more lines left out" % dropped]
    return out
