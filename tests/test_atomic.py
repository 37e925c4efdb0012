from __future__ import annotations

import os

import pytest

from docvlm import atomic


def test_a_file_appears_whole_with_the_usual_mode(tmp_path):
    target = tmp_path / "deep" / "out.csv"
    atomic.write_file(target, "a,b\n1,2\n")
    assert target.read_bytes() == b"a,b\n1,2\n"
    assert os.listdir(target.parent) == ["out.csv"]  # no temporary file left
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_write_that_fails_keeps_the_old_file_and_leaves_nothing(tmp_path):
    target = tmp_path / "out.parquet"
    target.write_bytes(b"old and complete")
    with pytest.raises(RuntimeError), atomic.replacing(target) as handle:
        handle.write(b"half of the new")
        raise RuntimeError("killed mid-write")
    assert target.read_bytes() == b"old and complete"
    assert os.listdir(tmp_path) == ["out.parquet"]


def test_leftovers_of_a_killed_run_are_removed_and_nothing_else(tmp_path):
    target = tmp_path / "x[1].json"
    leftover = tmp_path / ".x[1].json.k2j4.part"
    leftover.write_text("half")
    other = tmp_path / ".y.json.k2j4.part"
    other.write_text("another output's")
    assert atomic.remove_leftovers(target) == [leftover]
    assert sorted(os.listdir(tmp_path)) == [".y.json.k2j4.part"]


def test_leftovers_of_many_outputs_in_many_folders_are_removed_at_once(tmp_path):
    (tmp_path / "a").mkdir()
    leftovers = [tmp_path / "a" / ".x.csv.abc1.part", tmp_path / ".y.csv.x_9z.part"]
    kept = [tmp_path / "a" / "x.csv", tmp_path / "a" / ".x.csv.part", tmp_path / ".z.csv.q1.part"]
    for path in leftovers + kept:
        path.write_text("")
    targets = [tmp_path / "a" / "x.csv", tmp_path / "y.csv", tmp_path / "none" / "w.csv"]
    assert sorted(atomic.remove_leftovers(*targets)) == sorted(leftovers)
    assert sorted(p for p in tmp_path.rglob("*") if p.is_file()) == sorted(kept)
