"""The anthropic engine against a stub of the Messages API that holds Anthropic's documented
request rules (tests/service_stubs.py): request shape, outputs, retries, limits."""

from __future__ import annotations

import base64
import io
import json
import threading
import time

import pytest
from PIL import Image

import docvlm
from docvlm import EngineOptionError, EngineUnavailableError, ExtractionError, Table, TileOptions
from docvlm.engines.anthropic import structured_output_for
from tests.service_stubs import anthropic_error, anthropic_rules

ONE_TILE = TileOptions(dpi=40, tile_size=512)


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")


def engine_for(stub, model="claude-sonnet-4-5", **options):
    options = {"retry_backoff": 0.01, **options}
    return docvlm.get_engine("anthropic", model=model, base_url=stub.root + "/v1", **options)


def scripted(*replies, then=None):
    """Rules that answer the scripted replies first, then by Anthropic's rules."""
    queue = list(replies)
    rules = then or anthropic_rules()

    def answer(request):
        return queue.pop(0) if queue else rules(request)

    return answer


def test_request_carries_headers_image_prompt_and_limits(serve, fixtures):
    stub = serve(anthropic_rules())
    result = docvlm.extract(
        fixtures / "sales_table.pdf", engine=engine_for(stub, max_new_tokens=900), tiles=ONE_TILE
    )
    assert result.errors == [] and len(result.records) == 1
    (request,) = stub.requests
    assert request.headers["x-api-key"] == "sk-ant-test"
    assert request.headers["anthropic-version"] == "2023-06-01"
    body = request.body
    assert body["model"] == "claude-sonnet-4-5" and body["max_tokens"] == 900
    assert body["temperature"] == 0
    image, text = body["messages"][0]["content"]
    assert text["type"] == "text" and text["text"].startswith(Table.task)
    assert image["source"]["media_type"] == "image/png"
    tile = Image.open(io.BytesIO(base64.b64decode(image["source"]["data"])))
    assert tile.size == (331, 468)


def test_the_key_comes_from_the_variable_named(serve, fixtures, monkeypatch):
    monkeypatch.setenv("MY_CLAUDE_KEY", "sk-other")
    stub = serve(anthropic_rules())
    engine = engine_for(stub, api_key_env="MY_CLAUDE_KEY")
    docvlm.extract(fixtures / "sales_table.pdf", engine=engine, tiles=ONE_TILE)
    assert stub.requests[0].headers["x-api-key"] == "sk-other"
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    with pytest.raises(EngineUnavailableError, match="refused the credentials"):
        docvlm.extract(  # asked again, not answered from the first run's cache
            fixtures / "sales_table.pdf",
            engine=engine_for(stub),
            tiles=ONE_TILE,
            strict=True,
            cache=False,
        )


def test_models_with_structured_outputs_are_told_apart_by_name():
    has = ["claude-sonnet-4-5", "claude-opus-4-1-20250805", "claude-haiku-4-5-20251001"]
    has += ["claude-opus-4-6", "claude-sonnet-5"]
    lacks = ["claude-3-5-sonnet-20241022", "claude-sonnet-4-20250514", "claude-3-haiku-20240307"]
    lacks += ["claude-opus-4-20250514", "some-proxy-model"]
    assert {structured_output_for(m) for m in has} == {"json_schema"}
    assert {structured_output_for(m) for m in lacks} == {"tool"}


def test_a_refused_structured_output_steps_down_to_the_tool_and_says_so(serve, fixtures):
    stub = serve(anthropic_rules(structured=False))
    engine = engine_for(stub, "claude-sonnet-4-5")
    first = docvlm.extract(fixtures / "sales_table.pdf", engine=engine, tiles=ONE_TILE)
    second = docvlm.extract(fixtures / "sales_table.pdf", engine=engine, tiles=ONE_TILE)
    assert stub.statuses == [400, 200, 200]
    assert "output_config" in stub.bodies[0] and "tools" in stub.bodies[1]
    assert "output_config" not in stub.bodies[2]  # for the rest of the run
    for result in (first, second):
        assert result.errors == [] and len(result.records) == 1
        (warning,) = [w for w in result.warnings if w.kind == "degraded"]
        assert "as structured output" in warning.message and "forced tool call" in warning.message
        assert "structured outputs are not supported by this model" in warning.message


def test_a_refused_tool_steps_down_to_instructed_json(serve, fixtures):
    refusal = anthropic_error("tools.0.input_schema: JSON schema is invalid")
    stub = serve(scripted(refusal))
    engine = engine_for(stub, "claude-3-5-sonnet-20241022")
    result = docvlm.extract(fixtures / "sales_table.pdf", engine=engine, tiles=ONE_TILE)
    assert stub.statuses == [400, 200] and "tools" not in stub.bodies[1]
    (warning,) = [w for w in result.warnings if w.kind == "degraded"]
    assert "instructed JSON only" in warning.message


def test_overload_and_rate_limits_are_retried_honouring_retry_after(serve, fixtures):
    overloaded = anthropic_error("Overloaded", "overloaded_error", 529)
    limited = (
        *anthropic_error(
            "Number of requests has exceeded your rate limit", "rate_limit_error", 429
        ),
        {"retry-after": "0"},
    )
    stub = serve(scripted(limited, limited))
    started = time.monotonic()
    engine = engine_for(stub, retry_backoff=30.0)  # Retry-After: 0 says no need to wait
    result = docvlm.extract(fixtures / "sales_table.pdf", engine=engine, tiles=ONE_TILE)
    assert stub.statuses == [429, 429, 200] and result.errors == []
    assert time.monotonic() - started < 10
    stub = serve(scripted(overloaded))
    result = docvlm.extract(fixtures / "sales_table.pdf", engine=engine_for(stub), tiles=ONE_TILE)
    assert stub.statuses == [529, 200] and result.errors == []
    stub = serve(scripted(then=lambda request: overloaded))
    result = docvlm.extract(
        fixtures / "sales_table.pdf", engine=engine_for(stub, max_retries=1), tiles=ONE_TILE
    )
    assert len(stub.requests) == 2
    assert "answered HTTP 529, also after 1 retries" in result.errors[0].message


def test_other_refusals_are_reported_with_the_servers_message(serve, fixtures):
    stub = serve(scripted(anthropic_error("model: claude-nope not found", "not_found_error", 404)))
    result = docvlm.extract(fixtures / "sales_table.pdf", engine=engine_for(stub), tiles=ONE_TILE)
    assert len(stub.requests) == 1
    assert result.errors[0].message.endswith("HTTP 404: model: claude-nope not found")


def test_a_cut_off_answer_is_reported_not_returned(serve, fixtures):
    stub = serve(anthropic_rules())
    with pytest.raises(ExtractionError, match="cut the answer off at max_new_tokens=3"):
        docvlm.extract(
            fixtures / "sales_table.pdf",
            engine=engine_for(stub, max_new_tokens=3),
            tiles=ONE_TILE,
            strict=True,
        )


def test_concurrency_is_bounded_and_usage_summed(serve, fixtures):
    rules = anthropic_rules()
    state = {"now": 0, "most": 0}
    lock = threading.Lock()

    def slow(request):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return rules(request)

    stub = serve(slow)
    result = docvlm.extract(
        fixtures / "report_3pages.pdf",
        engine=engine_for(stub, concurrency=3),
        tiles=TileOptions(dpi=100, tile_size=256, overlap=32),
    )
    tiles = len(stub.requests)
    assert result.errors == [] and tiles > 6 and 1 < state["most"] <= 3
    assert result.usage == {
        "input_tokens": 1200 * tiles,
        "output_tokens": 60 * tiles,
        "requests": tiles,
        "cache_misses": tiles,
    }


def test_bad_options_are_refused_before_any_work():
    with pytest.raises(EngineOptionError, match="the anthropic engine needs the option 'model'"):
        docvlm.get_engine("anthropic")
    with pytest.raises(EngineOptionError, match="output='xml': input should be 'auto'"):
        docvlm.get_engine("anthropic", model="claude-sonnet-4-5", output="xml")
    from docvlm.engines import available_engines

    assert "anthropic" in available_engines()


def test_a_schema_structured_outputs_cannot_say_goes_as_the_tool(serve, fixtures):
    from pydantic import BaseModel

    class Tags(BaseModel):
        tags: dict[str, str]

    stub = serve(anthropic_rules())
    engine = engine_for(stub, "claude-sonnet-4-5")
    result = docvlm.extract(
        fixtures / "sales_table.pdf", schema=Tags, engine=engine, tiles=ONE_TILE
    )
    assert stub.statuses == [200] and "tools" in stub.bodies[0]  # never sent, never refused
    assert result.errors == [] and all(type(r) is Tags for r in result.records)
    (warning,) = [w for w in result.warnings if w.kind == "degraded"]
    assert warning.message.startswith("the schema has no form as structured output, so ")
    assert "free-form object" in warning.message


@pytest.mark.parametrize("model", ["claude-sonnet-4-5", "claude-3-5-sonnet-20241022"])
def test_questions_are_answered_page_by_page(serve, fixtures, model):
    stub = serve(anthropic_rules())
    result = docvlm.ask(
        fixtures / "report_3pages.pdf",
        "What is the total in Q4?",
        engine=engine_for(stub, model),
        pages="1,3",
        tiles=TileOptions(dpi=40),
    )
    assert result.errors == [] and stub.statuses == [200, 200]
    assert [(p.page, p.answer) for p in result.pages] == [(1, "ab"), (3, "ab")]


def test_the_command_line_lists_and_runs_it_and_says_what_it_gave_up(serve, fixtures, capsys):
    from docvlm.cli import main

    assert main(["engines"]) == 0
    assert "anthropic" in capsys.readouterr().out.split()
    stub = serve(anthropic_rules(structured=False))
    code = main(
        [
            "extract",
            str(fixtures / "sales_table.pdf"),
            "-e",
            "anthropic",
            "-m",
            "claude-sonnet-4-5",
            "--base-url",
            stub.root + "/v1",
            "--max-new-tokens",
            "700",
            "--dpi",
            "40",
            "--tile-size",
            "512",
            "--no-progress",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0 and len(json.loads(captured.out)) == 1  # one table
    assert stub.statuses == [400, 200] and stub.bodies[1]["max_tokens"] == 700
    lines = [line for line in captured.err.splitlines() if "forced tool call" in line]
    assert len(lines) == 1 and "structured outputs are not supported" in lines[0]
