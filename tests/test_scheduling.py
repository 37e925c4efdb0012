from __future__ import annotations

import threading

from docvlm.scheduling import ordered_map


def test_results_come_back_in_order_with_errors_per_item():
    def run(x: int) -> int:
        if x == 3:
            raise ValueError("three")
        return x * 10

    outcomes = list(ordered_map(range(6), lambda x: x, run, workers=3))
    assert [o.item for o in outcomes] == list(range(6))
    assert [o.output for o in outcomes] == [0, 10, 20, None, 40, 50]
    assert isinstance(outcomes[3].error, ValueError)


def test_preparation_stays_in_the_calling_thread_and_runs_in_workers():
    main = threading.get_ident()
    prepared_in, ran_in = set(), set()

    def prepare(x):
        prepared_in.add(threading.get_ident())
        return x

    def run(x):
        ran_in.add(threading.get_ident())
        return x

    list(ordered_map(range(5), prepare, run, workers=2))
    assert prepared_in == {main} and main not in ran_in


def test_at_most_workers_plus_ahead_items_are_in_flight():
    release = threading.Event()
    prepared: list[int] = []

    def run(x):
        release.wait(timeout=5)
        return x

    stream = ordered_map(range(20), lambda x: prepared.append(x) or x, run, workers=2, ahead=1)
    release.set()
    first = next(stream)
    # To yield the first result, the scheduler prepared only what the bound allows.
    assert first.item == 0 and len(prepared) == 4
    assert [o.item for o in stream] == list(range(1, 20))


def test_inline_mode_runs_in_the_calling_thread_and_captures_prepare_errors():
    main = threading.get_ident()

    def prepare(x):
        if x == 1:
            raise RuntimeError("bad tile")
        return x

    outcomes = list(ordered_map(range(3), prepare, lambda x: threading.get_ident(), workers=0))
    assert outcomes[0].output == main and outcomes[2].output == main
    assert str(outcomes[1].error) == "bad tile"
