"""The answer cache (docvlm/cache.py): a re-run answers from it with no engine call, any
change in what decides an answer misses it, it can be bypassed, inspected and cleared, and
threads and processes share it safely."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

import docvlm
from docvlm import Menu, TileOptions
from docvlm.cache import FILE_NAME, AnswerCache, tile_key
from docvlm.cli import main
from docvlm.engines.base import EngineCapabilities, EngineReply
from tests.service_stubs import ServiceStub, openai_rules

ONE_TILE = TileOptions(dpi=40, tile_size=512)
TILES = TileOptions(dpi=60, tile_size=256, overlap=32)  # several tiles per page


@pytest.fixture
def stub():
    server = ServiceStub(openai_rules())
    yield server
    server.close()


def openai(stub, **options):
    options = {"profile": "openai", "retry_backoff": 0.01, **options}
    return docvlm.get_engine("openai", model="gpt-4o", base_url=stub.root + "/v1", **options)


def records(result):
    return [item.to_dict() for item in result.items]


def test_a_second_run_answers_from_the_cache_without_calling_the_server(stub, fixtures):
    pdf = fixtures / "report_3pages.pdf"
    first = docvlm.extract(pdf, engine=openai(stub), tiles=TILES)
    sent = len(stub.requests)
    assert first.errors == [] and first.items and sent > 3
    assert first.usage["cache_misses"] == sent and "cache_hits" not in first.usage
    assert first.usage["requests"] == sent

    second = docvlm.extract(pdf, engine=openai(stub), tiles=TILES)
    assert len(stub.requests) == sent  # no request at all
    assert records(second) == records(first)
    assert second.warnings == first.warnings
    # Nothing was spent: only the hits are counted.
    assert second.usage == {"cache_hits": sent}


def test_each_thing_that_decides_an_answer_is_part_of_the_key(stub, fixtures, monkeypatch):
    pdf = fixtures / "sales_table.pdf"

    def run(schema="table", **options):
        before = len(stub.requests)
        result = docvlm.extract(pdf, schema=schema, engine=openai(stub, **options), tiles=ONE_TILE)
        assert result.errors == []
        return len(stub.requests) - before, result.usage

    assert run() == (
        1,
        {"input_tokens": 900, "output_tokens": 40, "requests": 1, "cache_misses": 1},
    )
    assert run() == (0, {"cache_hits": 1})
    assert run(schema=Menu)[0] == 1  # another response schema
    assert run(max_new_tokens=2048)[0] == 1  # another generation option
    # Another prompt (a new prompt version says so in its text).
    import docvlm.pipeline as pipeline

    original = pipeline.build_prompt
    monkeypatch.setattr(
        pipeline, "build_prompt", lambda *args: original(*args) + "\n\nPrompt version 2."
    )
    assert run()[0] == 1
    assert run()[0] == 0
    monkeypatch.setattr(pipeline, "build_prompt", original)
    assert run() == (0, {"cache_hits": 1})  # the first answers are still there


def test_another_image_model_or_server_misses(stub, fixtures):
    pdf = fixtures / "sales_table.pdf"
    docvlm.extract(pdf, engine=openai(stub), tiles=ONE_TILE)
    sent = len(stub.requests)
    docvlm.extract(pdf, engine=openai(stub), tiles=TileOptions(dpi=41, tile_size=512))
    assert len(stub.requests) == sent + 1  # other pixels
    other = docvlm.get_engine(
        "openai", model="gpt-4.1", profile="openai", base_url=stub.root + "/v1"
    )
    docvlm.extract(pdf, engine=other, tiles=ONE_TILE)
    assert len(stub.requests) == sent + 2  # another model
    second = ServiceStub(openai_rules())
    try:
        docvlm.extract(pdf, engine=openai(second), tiles=ONE_TILE)
        assert len(second.requests) == 1  # another server
    finally:
        second.close()


def test_cache_false_and_a_folder_of_ones_own(stub, fixtures, tmp_path, _answer_cache):
    pdf = fixtures / "sales_table.pdf"
    for _ in range(2):
        result = docvlm.extract(pdf, engine=openai(stub), tiles=ONE_TILE, cache=False)
        assert "cache_misses" not in result.usage and "cache_hits" not in result.usage
    assert len(stub.requests) == 2
    assert not _answer_cache.exists()  # nothing was written anywhere
    folder = tmp_path / "mine"
    docvlm.extract(pdf, engine=openai(stub), tiles=ONE_TILE, cache=folder)
    result = docvlm.extract(pdf, engine=openai(stub), tiles=ONE_TILE, cache=str(folder))
    assert len(stub.requests) == 3 and result.usage == {"cache_hits": 1}
    assert (folder / FILE_NAME).exists() and not _answer_cache.exists()


def test_failed_and_cut_off_answers_are_not_kept(fixtures, _answer_cache):
    def rules(reply):
        return lambda request: (200, reply)

    def completion(content, finish="stop"):
        message = {"role": "assistant", "content": content}
        return {"choices": [{"index": 0, "finish_reason": finish, "message": message}]}

    for reply in (completion('{"records": [{"rows": [["A"]]'), completion("not json")):
        stub = ServiceStub(rules(reply))
        try:
            for _ in range(2):
                result = docvlm.extract(
                    fixtures / "sales_table.pdf", engine=openai(stub), tiles=ONE_TILE
                )
                assert result.errors and not result.items
                assert result.usage["cache_misses"] == 2  # the answer and its repair
            # Refused after its repair (two requests): every run asks again.
            assert len(stub.requests) == 2 * 2
        finally:
            stub.close()
    cut = ServiceStub(rules(completion('{"records": []}', finish="length")))
    try:
        for _ in range(2):
            result = docvlm.extract(
                fixtures / "sales_table.pdf", engine=openai(cut), tiles=ONE_TILE
            )
            assert "cut the answer off" in result.errors[0].message
            assert result.usage == {"cache_misses": 1}  # a failed call's lookup counts
        assert len(cut.requests) == 2
    finally:
        cut.close()
    assert AnswerCache(_answer_cache).info()["answers"] == 0


def test_an_answer_kept_after_its_repair_replays_both_attempts(fixtures):
    valid = json.dumps({"records": [{"header_rows": 1, "rows": [["Region"], ["North"]]}]})
    answers = ["not json", valid]
    sent = []

    def rules(request):
        sent.append(request)
        content = answers[min(len(sent), 2) - 1]
        message = {"role": "assistant", "content": content}
        return 200, {"choices": [{"index": 0, "finish_reason": "stop", "message": message}]}

    stub = ServiceStub(rules)
    try:
        first = docvlm.extract(fixtures / "sales_table.pdf", engine=openai(stub), tiles=ONE_TILE)
        assert first.errors == [] and len(sent) == 2
        second = docvlm.extract(fixtures / "sales_table.pdf", engine=openai(stub), tiles=ONE_TILE)
        assert len(sent) == 2 and second.usage == {"cache_hits": 2}
        assert records(second) == records(first)
    finally:
        stub.close()


def test_the_native_engine_caches_nothing(fixtures, _answer_cache):
    result = docvlm.extract(fixtures / "sales_table.pdf")
    assert result.items and not {"cache_hits", "cache_misses"} & set(result.usage)
    assert not _answer_cache.exists()


def test_an_engine_that_cannot_name_its_model_is_not_cached(fixtures, _answer_cache):
    class Anonymous:
        name = "anonymous"
        capabilities = EngineCapabilities(preferred_tile_size=512)
        calls = 0

        def run(self, request):
            Anonymous.calls += 1
            return EngineReply(text=json.dumps({"records": [{"rows": [["A"]]}]}))

    class Unknown(Anonymous):
        name = "unknown"

        def cache_identity(self):
            return None  # e.g. weights it cannot fingerprint

    for engine in (Anonymous(), Anonymous(), Unknown(), Unknown()):
        result = docvlm.extract(fixtures / "sales_table.pdf", engine=engine, tiles=ONE_TILE)
        assert result.items and "cache_misses" not in result.usage
    assert Anonymous.calls == 4 and not _answer_cache.exists()


def test_cli_cache_options_and_the_cache_command(stub, fixtures, tmp_path, capsys):
    folder = tmp_path / "answers"
    command = [
        "extract",
        str(fixtures / "sales_table.pdf"),
        "--engine",
        "openai",
        "--model",
        "gpt-4o",
        "--base-url",
        stub.root + "/v1",
        "-E",
        "profile=openai",
        "--dpi",
        "40",
        "--tile-size",
        "512",
        "-f",
        "json",
    ]
    assert main([*command, "--no-cache"]) == 0
    assert main([*command, "--no-cache"]) == 0
    assert len(stub.requests) == 2 and not folder.exists()
    assert main([*command, "--cache", str(folder)]) == 0
    assert main([*command, "--cache", str(folder)]) == 0
    assert len(stub.requests) == 3
    runs = capsys.readouterr().out
    assert '"cache_hits": 1' in runs

    assert main(["cache", "info", "--cache", str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"path: {folder / FILE_NAME}"
    assert lines[1] == "answers: 1"
    assert lines[2].startswith("size: ") and lines[2].endswith(" MB")
    assert lines[3] == "  openai gpt-4o: 1"
    assert main(["cache", "info", "--cache", str(folder), "-f", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["answers"] == 1 and info["bytes"] > 0
    assert info["models"] == [{"engine": "openai", "model": "gpt-4o", "answers": 1}]

    assert main(["cache", "clear", "--cache", str(folder)]) == 0
    assert capsys.readouterr().out == f"removed 1 answers from {folder / FILE_NAME}\n"
    assert main(["cache", "info", "--cache", str(folder)]) == 0
    assert "answers: 0" in capsys.readouterr().out
    assert main([*command, "--cache", str(folder)]) == 0
    assert len(stub.requests) == 4  # asked again after the clear


def test_cache_and_no_cache_together_is_a_usage_error(fixtures, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["extract", str(fixtures / "sales_table.pdf"), "--cache", "x", "--no-cache"])
    assert exit_.value.code == 2
    assert "--cache and --no-cache" in capsys.readouterr().err


def test_the_default_folder_is_the_user_cache_folder(monkeypatch):
    import platformdirs

    from docvlm.cache import default_folder

    monkeypatch.delenv("DOCVLM_CACHE_DIR")
    assert str(default_folder()) == platformdirs.user_cache_dir("docvlm", appauthor=False)


def test_a_new_file_switched_to_wal_by_another_connection_is_waited_for(tmp_path, monkeypatch):
    """SQLite refuses a journal-mode switch at once, without waiting, while another
    connection writes; two runs opening a new cache together must not fail on it."""
    import sqlite3

    import docvlm.cache

    tmp_path.mkdir(exist_ok=True)
    other = sqlite3.connect(tmp_path / FILE_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    pauses = []

    def pause(seconds):  # the other connection finishes while the cache waits
        pauses.append(seconds)
        other.execute("ROLLBACK")

    monkeypatch.setattr(docvlm.cache.time, "sleep", pause)
    with AnswerCache(tmp_path) as cache:
        assert cache.get("no such key") is None
    assert len(pauses) == 1
    other.close()


def test_two_threads_share_one_cache(stub, fixtures, tmp_path):
    """Two documents' runs at once, each with tiles in flight on several threads, into one
    cache (one shared AnswerCache, and one each on the same file)."""
    shared = AnswerCache(tmp_path / "shared")
    pdf = fixtures / "report_3pages.pdf"
    outcomes: dict[str, list] = {"shared": [], "own": []}

    def run(kind):
        cache = shared if kind == "shared" else AnswerCache(tmp_path / "shared")
        for _ in range(2):
            result = docvlm.extract(
                pdf, engine=openai(stub, concurrency=4), tiles=TILES, cache=cache
            )
            outcomes[kind].append(result)

    threads = [threading.Thread(target=run, args=(kind,)) for kind in outcomes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results = outcomes["shared"] + outcomes["own"]
    assert len(results) == 4 and all(r.errors == [] for r in results), [r.errors for r in results]
    tiles = results[0].usage.get("cache_hits", 0) + results[0].usage.get("cache_misses", 0)
    assert all(records(r) == records(results[0]) for r in results)
    # Each tile was asked for at most twice (both threads missing it at once), every
    # lookup is a hit or a miss that was asked for, and everything is in the cache once.
    misses = sum(r.usage.get("cache_misses", 0) for r in results)
    hits = sum(r.usage.get("cache_hits", 0) for r in results)
    assert tiles <= len(stub.requests) == misses <= 2 * tiles
    assert hits + misses == 4 * tiles
    assert all(r.usage == {"cache_hits": tiles} for r in (results[1], results[3]))
    assert shared.info()["answers"] == tiles
    shared.close()


PROCESS_WRITER = """
import sys
from docvlm.cache import AnswerCache
from docvlm.engines.base import EngineReply
cache = AnswerCache(sys.argv[1])
for i in range(300):
    cache.put([(f"{sys.argv[2]}-{i}", "e", "m", EngineReply(text=str(i)))])
    assert cache.get(f"{sys.argv[2]}-{i}").text == str(i)
"""


def test_threads_and_processes_write_at_once(tmp_path):
    folder = tmp_path / "c"
    processes = [
        subprocess.Popen([sys.executable, "-c", PROCESS_WRITER, str(folder), f"p{n}"])
        for n in range(2)
    ]
    cache = AnswerCache(folder)
    errors: list[BaseException] = []

    def write(prefix):
        try:
            for i in range(300):
                cache.put([(f"{prefix}-{i}", "e", "m", EngineReply(text=str(i)))])
                reply = cache.get(f"{prefix}-{i}")
                assert reply is not None and reply.text == str(i)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(f"t{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    assert errors == []
    assert cache.info()["answers"] == 4 * 300
    mode = cache._db().execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    cache.close()


def test_keys_differ_by_prompt_schema_and_pixels(fixtures):
    from PIL import Image

    from docvlm.engines.base import TileRequest

    class Engine:
        name = "x"

    image = Image.new("RGB", (8, 8), "white")
    request = TileRequest(None, None, Menu, {"a": 1}, "p", lambda: image)  # type: ignore[arg-type]
    key = tile_key(Engine(), {"model": "m"}, request)  # type: ignore[arg-type]
    assert key == tile_key(Engine(), {"model": "m"}, request)  # type: ignore[arg-type]
    others = [
        TileRequest(None, None, Menu, {"a": 2}, "p", lambda: image),  # type: ignore[arg-type]
        TileRequest(None, None, Menu, {"a": 1}, "q", lambda: image),  # type: ignore[arg-type]
        TileRequest(
            None,  # type: ignore[arg-type]
            None,  # type: ignore[arg-type]
            Menu,
            {"a": 1},
            "p",
            lambda: Image.new("RGB", (8, 8), "black"),
        ),
    ]
    keys = {tile_key(Engine(), {"model": "m"}, r) for r in others}  # type: ignore[arg-type]
    keys.add(tile_key(Engine(), {"model": "n"}, request))  # type: ignore[arg-type]
    assert key not in keys and len(keys) == 4


# --- a local model ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("llguidance")
    from tests.tiny_vlms import build

    return str(build("idefics3", tmp_path_factory.mktemp("tiny-vlm") / "idefics3"))


@pytest.mark.slow  # over 10 s (pytest --durations)
def test_a_second_run_with_a_local_model_generates_nothing(tiny_model, fixtures):
    engine = docvlm.get_engine("transformers", model=tiny_model, device="cpu", max_new_tokens=600)
    calls = []
    generate = engine.model.generate

    def counting(*args, **kwargs):
        calls.append(1)
        return generate(*args, **kwargs)

    engine.model.generate = counting
    pdf = fixtures / "sales_table.pdf"
    first = docvlm.extract(pdf, schema=Menu, engine=engine, tiles=ONE_TILE)
    assert calls and first.usage["cache_misses"] == 1
    if first.errors:  # a random model's answer ran out of tokens: nothing is kept
        pytest.skip(f"the tiny model gave no valid answer: {first.errors[0].message}")
    asked = len(calls)
    second = docvlm.extract(pdf, schema=Menu, engine=engine, tiles=ONE_TILE)
    assert len(calls) == asked  # no generate() call
    assert second.usage == {"cache_hits": 1}
    assert records(second) == records(first)
    # Another generation option misses.
    other = docvlm.get_engine("transformers", model=tiny_model, device="cpu", max_new_tokens=601)
    third = docvlm.extract(pdf, schema=Menu, engine=other, tiles=ONE_TILE)
    assert "cache_hits" not in third.usage


def test_weights_are_fingerprinted_or_nothing_is_cached(tiny_model, tmp_path):
    from docvlm.engines.transformers import weights_fingerprint

    class Model:
        class config:
            _commit_hash = None

    fingerprint = weights_fingerprint(tiny_model, Model())
    assert fingerprint is not None and fingerprint.startswith("sha256:")
    assert weights_fingerprint(tiny_model, Model()) == fingerprint
    Model.config._commit_hash = "abc123"
    assert weights_fingerprint("org/name", Model()) == "commit:abc123"
    Model.config._commit_hash = None
    assert weights_fingerprint("org/name", Model()) is None  # unknown: not cached
    # Changed weights (same names and sizes) give another fingerprint.
    import shutil
    from pathlib import Path

    copy = tmp_path / "copy"
    shutil.copytree(tiny_model, copy)
    weights = next(p for p in Path(copy).iterdir() if p.suffix == ".safetensors")
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    assert weights_fingerprint(str(copy), Model()) != fingerprint
