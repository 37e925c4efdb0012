"""The openai engine: request shape, faults and retries against a local stub, and a real
OpenAI-compatible server (``transformers serve``) running a tiny model on 127.0.0.1."""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from PIL import Image

import docvlm
from docvlm import EngineUnavailableError, ExtractionError, Table, TileOptions
from docvlm.engines.profiles import inline_refs
from docvlm.prompts import response_schema

ONE_TILE = TileOptions(dpi=40, tile_size=512)
VALID = json.dumps({"records": [{"header_rows": 1, "rows": [["Region", "Q1"], ["North", "12.5"]]}]})


def completion(content: str, finish: str = "stop") -> dict:
    return {
        "choices": [
            {
                "index": 0,
                "finish_reason": finish,
                "message": {"role": "assistant", "content": content},
            }
        ],
        "usage": {"prompt_tokens": 321, "completion_tokens": 12},
    }


def unpack(reply) -> tuple[int, dict, dict, float]:
    """A scripted reply: a payload for 200, or (status, payload[, headers[, delay]])."""
    if isinstance(reply, dict):
        return 200, reply, {}, 0.0
    status, payload, *rest = reply
    return status, payload, (rest[0] if rest else {}), (rest[1] if len(rest) > 1 else 0.0)


class Stub:
    """A scripted chat-completions server: each request takes the next scripted reply."""

    def __init__(self, replies):
        self.replies = list(replies)
        self.bodies: list[dict] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with stub.lock:
                    stub.bodies.append(body)
                    stub.in_flight += 1
                    stub.max_in_flight = max(stub.max_in_flight, stub.in_flight)
                    reply = stub.replies.pop(0) if len(stub.replies) > 1 else stub.replies[0]
                status, payload, headers, delay = unpack(reply)
                time.sleep(delay)
                with stub.lock:  # before answering, so the client cannot overlap it
                    stub.in_flight -= 1
                data = json.dumps(payload).encode()
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def engine(self, **options):
        options = {"model": "stub", "base_url": self.url, "retry_backoff": 0.01, **options}
        return docvlm.get_engine("openai", **options)

    def close(self):
        self.server.shutdown()


@pytest.fixture
def stub(request):
    servers = []

    def make(*replies):
        servers.append(Stub(replies))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


def test_request_carries_image_prompt_and_schema(stub, fixtures):
    server = stub(completion(VALID))
    result = docvlm.extract(fixtures / "sales_table.pdf", engine=server.engine(), tiles=ONE_TILE)
    assert result.status == "ok"
    assert [t.rows for t in result.records] == [[["Region", "Q1"], ["North", "12.5"]]]
    assert result.usage == {
        "input_tokens": 321,
        "output_tokens": 12,
        "requests": 1,
        "cache_misses": 1,
    }
    (body,) = server.bodies
    assert body["model"] == "stub" and body["temperature"] == 0
    image_part, text_part = body["messages"][0]["content"]
    assert text_part["text"].startswith(Table.task)
    uri = image_part["image_url"]["url"]
    assert uri.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    assert image.size == (331, 468)  # the page at 40 DPI, one tile
    assert body["response_format"]["json_schema"]["schema"] == response_schema(Table)


MENU = json.dumps(
    {
        "records": [
            {
                "sections": [
                    {"name": "Mains", "items": [{"name": "Fish", "price": 12.5, "currency": "EUR"}]}
                ]
            }
        ]
    }
)


def test_menu_through_a_server_that_honours_the_schema(stub, fixtures):
    from docvlm import Menu

    server = stub(completion(MENU))
    result = docvlm.extract(
        fixtures / "sales_table.pdf", schema="menu", engine=server.engine(), tiles=ONE_TILE
    )
    assert result.status == "ok"
    (menu,) = result.records
    assert isinstance(menu, Menu) and menu.sections[0].items[0].price == 12.5
    schema = server.bodies[0]["response_format"]["json_schema"]["schema"]
    assert schema == response_schema(Menu)


def test_server_ignoring_the_schema_gets_one_repair_request(stub, fixtures):
    server = stub(completion("Here is the table: Region Q1"), completion(VALID))
    result = docvlm.extract(fixtures / "sales_table.pdf", engine=server.engine(), tiles=ONE_TILE)
    assert result.status == "ok" and len(result.records) == 1
    assert len(server.bodies) == 2
    repair = server.bodies[1]["messages"][0]["content"][1]["text"]
    assert "Here is the table: Region Q1" in repair and "not valid JSON" in repair
    assert result.usage["requests"] == 2


def test_server_refusing_response_format_is_asked_without_it_from_then_on(stub, fixtures):
    refusal = (400, {"error": {"message": "response_format json_schema is not supported"}})
    server = stub(refusal, completion(VALID))
    engine = server.engine()
    docvlm.extract(fixtures / "sales_table.pdf", engine=engine, tiles=ONE_TILE)
    docvlm.extract(fixtures / "sales_table.pdf", engine=engine, tiles=ONE_TILE)
    assert ["response_format" in body for body in server.bodies] == [True, False, False]


def test_rate_limits_and_server_errors_are_retried(stub, fixtures):
    server = stub(
        (429, {"error": "slow down"}, {"Retry-After": "0"}),
        (503, {"error": "busy"}),
        completion(VALID),
    )
    result = docvlm.extract(fixtures / "sales_table.pdf", engine=server.engine(), tiles=ONE_TILE)
    assert result.status == "ok" and len(server.bodies) == 3


def test_persistent_failure_is_a_page_error_after_the_retries(stub, fixtures):
    server = stub((500, {"error": "down"}))
    result = docvlm.extract(
        fixtures / "sales_table.pdf", engine=server.engine(max_retries=2), tiles=ONE_TILE
    )
    assert result.status == "failed" and len(server.bodies) == 3
    assert "answered HTTP 500, also after 2 retries" in result.errors[0].message


def test_timeouts_are_retried_then_reported(stub, fixtures):
    server = stub((200, completion(VALID), {}, 1.0))
    result = docvlm.extract(
        fixtures / "sales_table.pdf",
        engine=server.engine(timeout=0.2, max_retries=1),
        tiles=ONE_TILE,
    )
    assert "timed out, also after 1 retries" in result.errors[0].message


def test_client_errors_are_not_retried(stub, fixtures):
    server = stub((404, {"error": "no such model"}))
    result = docvlm.extract(fixtures / "sales_table.pdf", engine=server.engine(), tiles=ONE_TILE)
    assert len(server.bodies) == 1 and "HTTP 404" in result.errors[0].message
    server = stub((401, {"error": "bad key"}))
    with pytest.raises(EngineUnavailableError, match="credentials"):
        docvlm.extract(
            fixtures / "sales_table.pdf", engine=server.engine(), tiles=ONE_TILE, strict=True
        )


def test_length_cut_off_is_reported(stub, fixtures):
    server = stub(completion('{"records": [{"rows": [["Reg', finish="length"))
    with pytest.raises(ExtractionError, match="cut the answer off at max_new_tokens=50"):
        docvlm.extract(
            fixtures / "sales_table.pdf",
            engine=server.engine(max_new_tokens=50),
            tiles=ONE_TILE,
            strict=True,
        )


def test_api_key_comes_from_the_environment(stub, fixtures, monkeypatch):
    seen = []
    server = stub(completion(VALID))
    original = server.server.RequestHandlerClass.do_POST

    def spy(handler):
        seen.append(handler.headers.get("Authorization"))
        original(handler)

    server.server.RequestHandlerClass.do_POST = spy
    monkeypatch.setenv("DOCVLM_TEST_KEY", "sk-test")
    docvlm.extract(
        fixtures / "sales_table.pdf",
        engine=server.engine(api_key_env="DOCVLM_TEST_KEY"),
        tiles=ONE_TILE,
    )
    monkeypatch.delenv("DOCVLM_TEST_KEY")
    docvlm.extract(
        fixtures / "sales_table.pdf",
        engine=server.engine(api_key_env="DOCVLM_TEST_KEY"),
        tiles=ONE_TILE,
        cache=False,  # asked again, not answered from the first run's cache
    )
    assert seen == ["Bearer sk-test", None]


def test_concurrency_is_bounded(stub, fixtures):
    server = stub((200, completion(VALID), {}, 0.05))
    engine = server.engine(concurrency=3)
    result = docvlm.extract(
        fixtures / "report_3pages.pdf",
        engine=engine,
        tiles=TileOptions(dpi=100, tile_size=256, overlap=32),
    )
    assert result.status == "ok" and len(server.bodies) > 6
    assert server.max_in_flight <= 3
    assert [p.page for p in result.provenance] == sorted(p.page for p in result.provenance)


def test_inline_refs_removes_defs():
    from docvlm import Menu

    schema = response_schema(Menu)
    assert "$defs" in schema
    flat = inline_refs(schema)
    assert "$defs" not in json.dumps(flat) and "$ref" not in json.dumps(flat)
    items = flat["properties"]["records"]["items"]["properties"]["sections"]["items"]
    assert "price" in items["properties"]["items"]["items"]["properties"]


def test_bad_options_are_refused_before_any_work():
    with pytest.raises(EngineUnavailableError, match="needs a model name"):
        docvlm.get_engine("openai")
    with pytest.raises(EngineUnavailableError, match="does not take these options"):
        docvlm.get_engine("openai", model="x", device="cuda")


# --- a real OpenAI-compatible server ------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def served_model(tmp_path_factory):
    pytest.importorskip("fastapi")
    from tests.tiny_vlms import build

    exe = shutil.which("transformers") or pytest.skip("transformers CLI not installed")
    folder = build("qwen2_vl", tmp_path_factory.mktemp("served") / "qwen2_vl")
    port = free_port()
    log_path = tmp_path_factory.mktemp("serve-log") / "serve.log"
    with open(log_path, "w+") as log:
        yield from _serve(exe, folder, port, log)


def _serve(exe, folder, port, log):
    process = subprocess.Popen(
        [exe, "serve", str(folder), "--host", "127.0.0.1", "--port", str(port), "--device", "cpu"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            pytest.fail(f"transformers serve exited: {log.read()[-2000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("transformers serve did not start within 90 s")
    yield str(folder), f"{url}/v1"
    process.terminate()
    process.wait(timeout=30)


@pytest.mark.slow  # over 10 s (pytest --durations)
def test_real_server_round_trip_with_the_image(served_model, fixtures):
    folder, url = served_model
    engine = docvlm.get_engine(
        "openai", model=folder, base_url=url, max_new_tokens=40, concurrency=2
    )
    result = docvlm.extract(fixtures / "sales_table.pdf", engine=engine, tiles=ONE_TILE)
    # A random model answers noise and this server ignores response_format: the answer
    # is refused, asked for once more, and the failure is reported, never returned.
    assert result.records == []
    assert result.errors and "no valid answer after 2 attempts" in result.errors[0].message
    # The image reached the model: the prompt counts its tokens beside the text's.
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    prompt = docvlm.prompts.build_prompt(
        Table,
        docvlm.Document.open(fixtures / "sales_table.pdf").page(1),
        docvlm.TilePlan.for_page(
            docvlm.Document.open(fixtures / "sales_table.pdf").page(1), ONE_TILE
        ).tiles[0],
        1,
    )
    text_tokens = len(tokenizer(prompt)["input_ids"])
    # 331 x 468 pixels in 28-pixel cells: 12 x 17 = 204 image tokens (within the 448^2 cap).
    assert result.usage["requests"] == 2
    first_request_tokens = result.usage["input_tokens"] / 2
    assert first_request_tokens >= text_tokens + 150


@pytest.mark.slow  # over 10 s (pytest --durations)
def test_real_server_through_the_command_line(served_model, fixtures, capsys):
    from docvlm.cli import main

    folder, url = served_model
    code = main(
        [
            "extract",
            str(fixtures / "sales_table.pdf"),
            "--engine",
            "openai",
            "--model",
            folder,
            "--base-url",
            url,
            "--max-new-tokens",
            "20",
            "--dpi",
            "40",
            "--tile-size",
            "512",
            "--no-progress",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 1 and json.loads(out)[0]["status"] == "failed"
    assert "no valid answer after 2 attempts" in err


def test_ask_answers_page_by_page(stub, fixtures):
    answers = [
        completion(json.dumps({"records": [{"answer": "not found"}]})),
        completion(json.dumps({"records": [{"answer": "305"}]})),
        completion(json.dumps({"records": [{"answer": "not found"}]})),
    ]
    server = stub(*answers)
    result = docvlm.ask(
        fixtures / "report_3pages.pdf",
        "How many staff work in Operations?",
        engine=server.engine(concurrency=1),
    )
    assert [(p.page, p.answer) for p in result.pages] == [
        (1, "not found"),
        (2, "305"),
        (3, "not found"),
    ]
    assert (result.answer, result.page) == ("305", 2)
    prompt = server.bodies[0]["messages"][0]["content"][1]["text"]
    assert "How many staff work in Operations?" in prompt
    schema = server.bodies[0]["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["records"]["items"]["required"] == ["answer"]


def test_ask_from_the_command_line(stub, fixtures, capsys):
    from docvlm.cli import main

    server = stub(completion(json.dumps({"records": [{"answer": "58.5"}]})))
    code = main(
        [
            "ask",
            str(fixtures / "sales_table.pdf"),
            "Total in Q4?",
            "--engine",
            "openai",
            "--model",
            "stub",
            "--base-url",
            server.url,
        ]
    )
    assert code == 0 and capsys.readouterr().out == "58.5\n"
    code = main(["ask", str(fixtures / "sales_table.pdf"), "Total in Q4?", "-e", "native"])
    assert code == 2 and "questions need a model engine" in capsys.readouterr().err
