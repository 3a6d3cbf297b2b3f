"""CapturedOutput: threads that print while a task runs neither block nor reach stderr."""

from __future__ import annotations

import functools
import logging
import sys
import threading
import warnings

from ansible_collections.opnform.opnsense.plugins.plugin_utils import _captured_output
from ansible_collections.opnform.opnsense.plugins.plugin_utils._captured_output import CapturedOutput


class LockedStream(object):
    """stderr as ansible-core 2.16-2.18 leave it in a forked worker: every write takes a lock that
    the main thread holds for the life of the process."""

    def __init__(self, lock):
        self.lock = lock
        self.written = []

    def write(self, text):
        with self.lock:
            self.written.append(text)
        return len(text)

    def flush(self):
        with self.lock:
            return None


def chatter(secret):
    warnings.warn("a library warns from a thread: %s" % secret, UserWarning, stacklevel=2)
    logging.getLogger("some.library").warning("a library logs from a thread")
    sys.stderr.write("a raw write\n")


def run_in_thread(target, timeout=10.0):
    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(timeout)
    return not worker.is_alive()


def test_a_thread_that_prints_finishes_and_its_output_becomes_warnings(monkeypatch):
    lock = threading.RLock()
    lock.acquire()  # held by this (main) thread, as after Ansible's fork
    locked = LockedStream(lock)
    monkeypatch.setattr(sys, "stderr", locked)
    handler = logging.StreamHandler(locked)
    logging.getLogger("some.library").addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            with CapturedOutput() as captured:
                finished = run_in_thread(functools.partial(chatter, "s3cr3t"))
        assert finished, "a thread blocked on the locked stderr"
    finally:
        logging.getLogger("some.library").removeHandler(handler)
        lock.release()
    assert locked.written == []
    assert sys.stderr is locked and handler.stream is locked  # all restored
    text = "\n".join(captured.warnings)
    assert "UserWarning: a library warns from a thread: s3cr3t" in text
    assert "a library logs from a thread" in text
    assert "a raw write" in text
    assert all(w.startswith("printed while the task ran: ") for w in captured.warnings)


def test_without_it_the_same_thread_blocks(monkeypatch):
    # The condition CapturedOutput exists for: proves the test above tests something.
    lock = threading.RLock()
    lock.acquire()
    locked = LockedStream(lock)
    monkeypatch.setattr(sys, "stderr", locked)
    try:
        finished = run_in_thread(lambda: sys.stderr.write("x\n"), timeout=0.5)
        assert not finished
    finally:
        lock.release()


def test_repeats_are_dropped_and_the_count_is_bounded(monkeypatch):
    monkeypatch.setattr(_captured_output, "MAX_WARNINGS", 3)
    with CapturedOutput() as captured:
        for n in range(10):
            sys.stderr.write("same line\n")
            sys.stderr.write("line %d\n" % n)
    assert captured.warnings[0] == "printed while the task ran: same line"
    assert len(captured.warnings) == 4 and captured.warnings[-1].endswith("8 more lines left out")


def test_a_partial_last_line_is_kept():
    with CapturedOutput() as captured:
        sys.stderr.write("no newline at the end")
    assert captured.warnings == ["printed while the task ran: no newline at the end"]
