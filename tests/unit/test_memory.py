"""A load holds the cyclic garbage collector off while it builds, and always gives it back: a
server left without it would grow with every garbage cycle it makes afterwards."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

from paperls.host import loader, memory
from paperls.host.settings import DEFAULT_INCLUDE


@pytest.fixture(autouse=True)
def _collector_back():
    was = gc.isenabled()
    yield
    gc.enable() if was else gc.disable()


def test_a_load_leaves_the_collector_on_and_its_index_out_of_its_passes(tmp_path: Path):
    (tmp_path / "a.txt").write_text(
        "Curator\n" + "".join(f"Abstract:Paper {i} studies topic {i} in depth.\n"
                              for i in range(50)), encoding="utf-8")
    seen: list[bool] = []
    frozen = gc.get_freeze_count()
    ws, _ = loader.load([tmp_path], DEFAULT_INCLUDE, [], 10**7, 0.8, print,
                        progress=lambda files, abstracts: seen.append(gc.isenabled()))
    assert seen and not any(seen)  # off while it read and indexed
    assert gc.isenabled()
    assert ws.index.abstract_count == 50
    assert gc.get_freeze_count() > frozen  # the index's objects: out of later full passes


def test_overlapping_loads_give_the_collector_back_only_when_the_last_ends():
    gc.enable()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    states: dict[str, bool] = {}

    def first():
        with memory.collection_paused():
            first_in.set()
            second_in.wait(5)
        states["after first"] = gc.isenabled()
        first_out.set()

    t = threading.Thread(target=first)
    t.start()
    first_in.wait(5)
    with memory.collection_paused():
        second_in.set()
        first_out.wait(5)
        states["second, first ended"] = gc.isenabled()
    t.join(5)
    assert states == {"after first": False, "second, first ended": False}
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    with memory.collection_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_the_collector_comes_back_when_the_load_fails():
    gc.enable()
    with pytest.raises(RuntimeError), memory.collection_paused():
        raise RuntimeError("a list vanished mid-read")
    assert gc.isenabled()
