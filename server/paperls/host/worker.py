"""Helper processes that end with the process that started them.

A server killed by an editor crash, the OOM killer or a client that gives up waiting for
``shutdown`` runs no clean-up code, so its topic worker must notice by itself: it watches the
sentinel that multiprocessing gives every child (a pipe that becomes readable when the parent
dies) and exits then.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading


def end_with_parent() -> None:
    """Initializer of a worker process: exit as soon as the parent process is gone."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return

    def watch(sentinel: int) -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(0)

    threading.Thread(target=watch, args=(parent.sentinel,), name="paperls-parent-watch",
                     daemon=True).start()


def background() -> None:
    """Initializer of a background worker (topic extraction): ``end_with_parent``, at the
    lowest CPU priority, so that on a machine with few cores the server answering a request
    is never the one that waits for a core (clangd's background index runs the same way)."""
    end_with_parent()
    try:
        os.nice(19)
    except OSError:
        pass
