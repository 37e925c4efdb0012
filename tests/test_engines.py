from __future__ import annotations

import dataclasses
from importlib.metadata import EntryPoint

import pytest

import docvlm
from docvlm import EngineOptionError, EngineUnavailableError
from docvlm.engines import (
    Engine,
    EngineCapabilities,
    EngineProtocol,
    EngineReply,
    FoundRecord,
    TileRequest,
    available_engines,
    register_engine,
    registry,
)
from tests.conftest import SALES


class OneCellEngine:
    """A third-party engine of docvlm 0.1: the protocol, no base class, no options model."""

    name = "one-cell"
    capabilities = EngineCapabilities(
        returns_records=True, needs_image=False, reads_whole_page=True
    )

    def __init__(self, text: str = "x") -> None:
        self.text = text

    def run(self, request):
        return EngineReply(records=[FoundRecord({"rows": [[self.text]]})])


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(registry, "_REGISTRY", {})


def test_registered_engine_is_used_by_name_with_options(clean_registry, fixtures):
    register_engine("one-cell", OneCellEngine)
    assert "one-cell" in available_engines() and "native" in available_engines()
    result = docvlm.extract(
        fixtures / "sales_table.pdf", engine="one-cell", engine_options={"text": "hello"}
    )
    assert result.records[0].rows == [["hello"]]
    assert result.provenance[0].engine == "one-cell"


def test_native_is_built_in_even_without_entry_points(clean_registry, monkeypatch, fixtures):
    monkeypatch.setattr(registry, "entry_points", lambda group: [])
    engine = docvlm.get_engine("native")
    assert engine.name == "native" and engine.capabilities.returns_records
    assert docvlm.extract(fixtures / "sales_table.pdf", engine=engine).records[0].rows == SALES


def test_entry_point_plugins_load_and_broken_ones_say_why(clean_registry, monkeypatch):
    good = EntryPoint("plug", "tests.test_engines:OneCellEngine", registry.ENTRY_POINT_GROUP)
    broken = EntryPoint("broken", "no_such_module:Engine", registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "entry_points", lambda group: [good, broken])
    assert docvlm.get_engine("plug").name == "one-cell"
    with pytest.raises(EngineUnavailableError, match=r"engine 'broken' .* failed to load"):
        docvlm.get_engine("broken")


def test_installed_package_declares_the_native_entry_point():
    from importlib.metadata import entry_points

    names = {e.name: e.value for e in entry_points(group="docvlm.engines")}
    assert names.get("native") == "docvlm.engines.native:NativeEngine"


def test_an_engine_of_the_old_protocol_is_wrapped_with_the_base_class_defaults(fixtures):
    assert isinstance(OneCellEngine(), EngineProtocol) and not isinstance(OneCellEngine(), Engine)
    engine = docvlm.get_engine(OneCellEngine("y"))
    assert isinstance(engine, Engine) and engine.name == "one-cell"
    assert engine.notices == () and engine.ocr == "rapidocr" and engine.cache_identity() is None
    assert engine.supports(docvlm.Table) is None
    result = docvlm.extract(fixtures / "sales_table.pdf", engine=OneCellEngine("z"))
    assert result.records[0].rows == [["z"]]  # type: ignore[attr-defined]


def test_built_in_engines_subclass_the_base_class():
    native = docvlm.get_engine("native")
    assert isinstance(native, Engine) and docvlm.get_engine(native) is native


def test_a_third_party_engine_without_an_options_model_is_checked_by_its_signature(
    clean_registry,
):
    register_engine("one-cell", OneCellEngine)
    reply = docvlm.get_engine("one-cell", text="t").run(None)  # type: ignore[arg-type]
    assert reply.records[0].data == {"rows": [["t"]]}
    with pytest.raises(EngineOptionError, match="engine 'one-cell' does not take these options"):
        docvlm.get_engine("one-cell", colour="red")


class Echo(Engine):
    """Answers each tile with its prompt; fails on the prompt 'boom'."""

    name = "echo"
    capabilities = EngineCapabilities(schemas=frozenset({"table", "menu"}))

    def run(self, request):
        if request.prompt == "boom":
            raise RuntimeError("boom")
        return EngineReply(text=request.prompt)


def test_default_run_batch_gives_each_request_its_reply_or_its_exception():
    requests = [_request(prompt) for prompt in ("a", "boom", "c")]
    first, failed, last = Echo().run_batch(requests)
    assert isinstance(first, EngineReply) and first.text == "a"
    assert isinstance(failed, RuntimeError) and str(failed) == "boom"
    assert isinstance(last, EngineReply) and last.text == "c"


def test_default_supports_reads_the_capabilities_schemas(fixtures):
    assert Echo().supports(docvlm.Menu) is None
    assert Echo().supports(docvlm.Chart) == (
        "it cannot extract 'chart' records (it reads: menu, table)"
    )
    with pytest.raises(EngineUnavailableError, match="echo engine: it cannot extract 'chart'"):
        docvlm.extract(fixtures / "sales_table.pdf", schema="chart", engine=Echo())


def test_default_engine_says_it_caches_nothing_and_has_no_notices():
    engine = Echo()
    assert engine.cache_identity() is None and list(engine.notices) == []
    assert engine.ocr == "rapidocr" and engine.options is None
    with pytest.raises(NotImplementedError, match="Bare does not implement run"):
        type("Bare", (Engine,), {"name": "bare"})().run(_request("a"))


def test_a_tile_request_is_frozen():
    request = _request("a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.prompt = "b"  # type: ignore[misc]
    assert dataclasses.replace(request, prompt="b").prompt == "b" and request.prompt == "a"


def _request(prompt: str) -> TileRequest:
    return TileRequest(None, None, docvlm.Table, {}, prompt)  # type: ignore[arg-type]
