"""Engine options: one typed model per engine, the same checks from Python and the command
line, specs that pickle, and one route for the OCR backend."""

from __future__ import annotations

import pickle

import pytest

import docvlm
from docvlm import EngineOptionError, EngineSpec
from docvlm.engines import NativeOptions, OpenAIOptions
from docvlm.engines.options import BUILTIN_OPTIONS, OcrBackendName
from docvlm.engines.registry import build_engine
from tests.service_stubs import openai_rules


def test_a_bad_value_names_the_option_and_what_it_takes_before_any_work():
    with pytest.raises(EngineOptionError) as raised:
        docvlm.get_engine("openai", model="m", timeout="soon")
    message = str(raised.value)
    assert message.startswith("openai engine option timeout='soon': ")
    assert "seconds" in message and "\n" not in message


def test_an_unknown_option_is_named_with_the_valid_ones():
    with pytest.raises(EngineOptionError) as raised:
        docvlm.get_engine("native", colour="red")
    assert str(raised.value) == (
        "the native engine has no option 'colour'; its options: ocr, date_order, languages, tables"
    )


def test_a_missing_model_is_named():
    with pytest.raises(EngineOptionError, match="the anthropic engine needs the option 'model'"):
        docvlm.get_engine("anthropic")


@pytest.mark.parametrize(
    ("engine", "options", "named"),
    [
        ("native", {"ocr": "abbyy"}, "ocr='abbyy'"),
        ("native", {"date_order": "DDMM"}, "date_order='DDMM'"),
        ("openai", {"model": "m", "concurrency": 0}, "concurrency=0"),
        ("openai", {"model": "m", "response_format": "xml"}, "response_format='xml'"),
        ("openai", {"model": "m", "profile": "nope"}, "profile='nope'"),
        ("anthropic", {"model": "m", "output": "xml"}, "output='xml'"),
        ("transformers", {"model": "m", "device": "gpu"}, "device='gpu'"),
        ("transformers", {"model": "m", "dtype": "int3"}, "dtype='int3'"),
    ],
)
def test_each_engine_refuses_values_it_cannot_take(engine, options, named):
    with pytest.raises(EngineOptionError, match=f"^{engine} engine option {named}: "):
        docvlm.get_engine(engine, **options)


def test_strings_as_the_command_line_gives_them_are_read_by_the_model():
    options = OpenAIOptions.model_validate(
        {"model": "m", "timeout": "30", "concurrency": "2", "inline_refs": "true"}
    )
    assert (options.timeout, options.concurrency, options.inline_refs) == (30.0, 2, True)
    native = NativeOptions.model_validate({"ocr": "none", "languages": "en, de"})
    assert native.ocr is None and native.languages == ("en", "de")
    assert OpenAIOptions.model_validate({"model": "m", "base_url": "null"}).base_url is None


def test_engine_options_from_extract_are_checked_alike(fixtures):
    with pytest.raises(EngineOptionError, match=r"^native engine option date_order='DDMM'"):
        docvlm.extract(fixtures / "sales_table.pdf", engine_options={"date_order": "DDMM"})


def test_the_ocr_backends_and_table_modes_are_those_of_their_modules():
    from docvlm.engines.native.tables import TABLE_MODES
    from docvlm.ocr import BACKENDS

    assert set(OcrBackendName.__args__) == set(BACKENDS)
    assert set(NativeOptions.model_fields["tables"].annotation.__args__) == set(TABLE_MODES)


def test_ocr_is_one_option_and_extract_ocr_sets_it(fixtures):
    engine, grounding = build_engine("native", {}, "tesseract")
    assert engine.options == NativeOptions(ocr="tesseract") and grounding == "tesseract"
    engine, grounding = build_engine("native", {"ocr": None})
    assert engine.ocr is None and grounding is None
    with pytest.raises(EngineOptionError, match="ocr='tesseract' and engine option ocr=None"):
        build_engine("native", {"ocr": None}, "tesseract")
    with pytest.raises(EngineOptionError, match=r"^native engine option ocr='abbyy'"):
        docvlm.extract(fixtures / "sales_table.pdf", ocr="abbyy")


def test_a_spec_is_validated_when_made_and_pickles():
    spec = EngineSpec("native", {"date_order": "MDY", "languages": "en,de"})
    assert spec.options == NativeOptions(date_order="MDY", languages=("en", "de"))
    with pytest.raises(EngineOptionError, match="date_order"):
        EngineSpec("native", {"date_order": "sometime"})
    copy = pickle.loads(pickle.dumps(spec))
    assert copy == spec
    engine = copy.build()
    assert engine.name == "native" and engine.options == spec.options
    assert (engine.date_order, engine.languages) == ("MDY", ("en", "de"))  # type: ignore[attr-defined]
    assert docvlm.get_engine(copy).options == spec.options


def test_an_openai_spec_builds_in_another_process_without_asking_the_server(serve):
    stub = serve(openai_rules())
    spec = EngineSpec("openai", {"model": "gpt-4o", "base_url": stub.root + "/v1", "timeout": "9"})
    engine = pickle.loads(pickle.dumps(spec)).build()
    assert engine.options == spec.options and engine.options.timeout == 9.0  # type: ignore[union-attr]
    assert engine.url == stub.root + "/v1/chat/completions"  # type: ignore[attr-defined]
    assert engine.cache_identity() == spec.build().cache_identity()
    assert stub.requests == []


def test_options_are_not_taken_with_an_engine_already_built():
    with pytest.raises(EngineOptionError, match=r"options \(ocr\) given with an engine already"):
        docvlm.get_engine(docvlm.get_engine("native"), ocr=None)


def test_every_built_in_engine_has_an_options_model():
    assert set(BUILTIN_OPTIONS) == {"native", "transformers", "openai", "anthropic"}
    for model in BUILTIN_OPTIONS.values():
        assert model.model_config["extra"] == "forbid" and model.model_config["frozen"]


def test_a_third_party_engine_with_an_options_model_is_validated_like_the_built_ins(
    monkeypatch,
):
    from docvlm.engines import Engine, EngineCapabilities, EngineOptions, registry

    class ShoutOptions(EngineOptions):
        volume: int = 3

    class Shout(Engine):
        name = "shout"
        options_model = ShoutOptions
        capabilities = EngineCapabilities(needs_image=False)

    monkeypatch.setattr(registry, "_REGISTRY", {"shout": Shout})
    engine = docvlm.get_engine("shout", volume="11")
    assert isinstance(engine, Shout) and engine.options == ShoutOptions(volume=11)
    with pytest.raises(EngineOptionError) as raised:
        docvlm.get_engine("shout", volume="loud")
    assert str(raised.value) == (
        "shout engine option volume='loud': input should be a valid integer, unable to parse "
        "string as an integer"
    )
