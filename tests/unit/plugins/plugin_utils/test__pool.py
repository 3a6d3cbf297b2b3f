"""One client per thread, all closed at the end; the write throttle and its per-type lock."""

from __future__ import annotations

import threading

from ansible_collections.opnform.opnsense.plugins.plugin_utils._pool import ClientPool, Throttle


class Client(object):
    def __init__(self):
        self.closed = False

    def close(self):
        self.closed = True
        raise RuntimeError("closing is best effort")


def test_one_client_per_thread_and_close_closes_them_all():
    pool = ClientPool(Client)
    mine = pool.client()
    assert pool.client() is mine
    theirs = []
    worker = threading.Thread(target=lambda: theirs.append(pool.client()))
    worker.start()
    worker.join()
    assert theirs[0] is not mine
    pool.close()  # a failing close does not stop the others
    assert mine.closed and theirs[0].closed
    pool.close()  # and a second close has nothing left to do


def test_throttle_admits_write_concurrency_writers():
    throttle = Throttle(2)
    assert throttle.limit == 2
    assert throttle._sem.acquire(blocking=False) and throttle._sem.acquire(blocking=False)
    assert not throttle._sem.acquire(blocking=False)
    throttle._sem.release()
    with throttle:
        assert not throttle._sem.acquire(blocking=False)
    throttle._sem.release()


def test_the_per_type_lock_is_one_lock_per_type():
    throttle = Throttle(3)
    assert throttle.exclusive("interfaces_vlan") is throttle.exclusive("interfaces_vlan")
    assert throttle.exclusive("interfaces_vlan") is not throttle.exclusive("firewall_alias")
