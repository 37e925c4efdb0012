"""Each model service's documented rules, held by stubs on 127.0.0.1 (tests/service_stubs.py):
every built-in schema and a user model with optional and nested fields goes through with
the schema on the call that answers, and what a service refuses is handled, never silently."""

from __future__ import annotations

import datetime
import json
from typing import Literal

import pytest
from pydantic import BaseModel, Field, HttpUrl

import docvlm
from docvlm import Chart, KeyValues, Menu, Table, TileOptions
from docvlm.engines.dialects import ANTHROPIC_STRUCTURED, GEMINI, OPENAI_STRICT
from docvlm.engines.profiles import server_profile
from docvlm.prompts import response_schema
from tests.service_stubs import (
    anthropic_rules,
    example,
    gemini_problem,
    gemini_rules,
    openai_rules,
    strict_problem,
    structured_problem,
)

ONE_TILE = TileOptions(dpi=40, tile_size=512)


class Address(BaseModel):
    street: str = Field(description="Street and number", min_length=2)
    city: str | None = None
    postcode: str = Field("0000", max_length=10)


class Line(BaseModel):
    item: str
    quantity: int = Field(1, ge=1)
    amount: float | None = Field(None, ge=0)


class Invoice(BaseModel):
    """An invoice's head and lines."""

    number: str = Field(description="The invoice number")
    currency: Literal["EUR", "USD"] = "EUR"
    paid: bool = False
    issued: datetime.date | None = None
    website: HttpUrl | None = None
    billing: Address = Field(description="Where the bill goes")
    shipping: Address | None = None
    lines: list[Line] = []


SCHEMAS = [Table, Menu, Chart, KeyValues, Invoice]


def extract(engine, schema):
    return docvlm.extract("fixtures/sales_table.pdf", schema=schema, engine=engine, tiles=ONE_TILE)


def check_answered(result, schema, stub):
    assert result.errors == [] and result.status == "ok", result.errors
    assert result.records and all(type(r) is schema for r in result.records)
    assert [w for w in result.warnings if w.kind == "degraded"] == []
    assert stub.statuses[-1] == 200


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch, fixtures):
    monkeypatch.chdir(fixtures.parent)


# --- the transform ------------------------------------------------------------------------


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: s.__name__)
def test_every_schema_has_a_strict_form_openai_takes(schema):
    full = response_schema(schema)
    assert strict_problem(full) is not None  # as Pydantic writes it, strict mode refuses it
    assert strict_problem(OPENAI_STRICT.schema(full)) is None
    assert gemini_problem(full) is not None
    assert gemini_problem(GEMINI.schema(full)) is None
    assert structured_problem(ANTHROPIC_STRUCTURED.schema(full)) is None
    assert OPENAI_STRICT.schema(full) != full and response_schema(schema) == full  # a copy


def test_strict_form_makes_optional_fields_nullable_and_keeps_their_meaning():
    strict = OPENAI_STRICT.schema(response_schema(Invoice))
    record = strict["properties"]["records"]["items"]
    assert record["required"] == list(Invoice.model_fields)
    currency = record["properties"]["currency"]
    assert currency["anyOf"][1] == {"type": "null"}
    assert "default" not in currency and "default" not in currency["anyOf"][0]
    assert currency["description"] == 'default: "EUR"'  # said in words instead
    # Keywords strict mode lacks go into the description, where the model still reads them.
    street = strict["$defs"]["Address"]["properties"]["street"]
    assert street["description"] == "Street and number (minLength: 2)"
    # A $ref beside a description is written out in full.
    billing = record["properties"]["billing"]
    assert "$ref" not in billing and billing["description"] == "Where the bill goes"
    assert billing["additionalProperties"] is False


def test_answers_to_the_strict_form_map_back_to_defaults():
    full = response_schema(Invoice)
    answer = example(OPENAI_STRICT.schema(full))
    record = answer["records"][0]
    assert record["currency"] is None and record["paid"] is None  # what strict mode allows
    restored = OPENAI_STRICT.answer(answer, full)["records"][0]
    invoice = Invoice.model_validate(restored)
    assert (invoice.currency, invoice.paid, invoice.shipping) == ("EUR", False, None)
    assert invoice.billing.postcode == "0000" and invoice.lines[0].quantity == 1
    assert invoice.lines[0].amount is None  # null where the record allows it stays null


def test_recursive_and_free_form_schemas_are_refused_by_the_dialects_that_cannot_say_them():
    from docvlm.errors import SchemaError

    class Node(BaseModel):
        name: str
        children: list[Node] = []

    class Tags(BaseModel):
        tags: dict[str, str]

    with pytest.raises(SchemaError, match="recursive"):
        GEMINI.schema(response_schema(Node))
    assert strict_problem(OPENAI_STRICT.schema(response_schema(Node))) is None
    with pytest.raises(SchemaError, match="free-form object"):
        OPENAI_STRICT.schema(response_schema(Tags))


def test_profiles_come_from_the_base_url_or_by_name():
    def name(url, profile="auto"):
        return server_profile(profile, url).name

    assert name(None) == "openai" and name("https://api.openai.com/v1") == "openai"
    assert name("https://me.openai.azure.com/openai/v1") == "openai"
    assert name("https://generativelanguage.googleapis.com/v1beta/openai/") == "gemini"
    assert name("https://api.anthropic.com/v1/") == "anthropic"
    assert name("http://localhost:8000/v1") == "generic"
    assert name("http://localhost:8000/v1", "gemini") == "gemini"
    assert name("http://localhost:11434/v1", "ollama") == "generic"
    with pytest.raises(docvlm.EngineOptionError, match="profile='nope': unknown server profile"):
        docvlm.get_engine("openai", model="m", profile="nope")


# --- OpenAI -------------------------------------------------------------------------------


def openai_engine(stub, model="gpt-4o", **options):
    options = {"profile": "openai", "retry_backoff": 0.01, **options}
    return docvlm.get_engine("openai", model=model, base_url=stub.root + "/v1", **options)


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: s.__name__)
@pytest.mark.parametrize("model", ["gpt-4o", "gpt-5"])
def test_openai_takes_every_schema_first_time(serve, schema, model):
    stub = serve(openai_rules(reasoning=model == "gpt-5"))
    result = extract(openai_engine(stub, model), schema)
    check_answered(result, schema, stub)
    (body,) = stub.bodies  # nothing refused, nothing asked twice
    assert body["response_format"]["json_schema"]["strict"] is True
    assert "max_tokens" not in body and body["max_completion_tokens"] == 4096
    assert ("temperature" in body) is (model == "gpt-4o")
    assert result.usage == {
        "input_tokens": 900,
        "output_tokens": 40,
        "requests": 1,
        "cache_misses": 1,
    }


def test_openai_user_model_comes_back_with_its_defaults(serve):
    stub = serve(openai_rules())
    (invoice,) = extract(openai_engine(stub), Invoice).records
    assert isinstance(invoice, Invoice)
    assert (invoice.number, invoice.currency, invoice.paid) == ("ab", "EUR", False)
    assert invoice.billing == Address(street="ab") and invoice.shipping is None
    assert [(line.item, line.quantity) for line in invoice.lines] == [("ab", 1)]


def test_a_refused_max_tokens_is_renamed_once_and_logged(serve, caplog):
    stub = serve(openai_rules(reasoning=True))
    # Through a proxy docvlm does not know, so max_tokens goes out first.
    engine = openai_engine(stub, "o4-mini", profile="generic", response_format="none")
    with caplog.at_level("WARNING", logger="docvlm"):
        first = extract(engine, Table)
        second = extract(engine, Table)
    assert stub.statuses[:3] == [400, 400, 200]  # max_tokens, then temperature
    assert "max_tokens" in stub.bodies[0] and "max_completion_tokens" in stub.bodies[1]
    assert all("max_tokens" not in body for body in stub.bodies[1:])
    assert stub.statuses[3:] == [200]  # the next run asks right away
    assert "refused max_tokens; sending max_completion_tokens instead" in caplog.text
    assert first.errors == second.errors == []
    # Leaving out temperature is a weaker way of working: said in every run's result.
    for result in (first, second):
        (warning,) = [w for w in result.warnings if w.kind == "degraded"]
        assert "refused temperature=0" in warning.message and "unsupported_value" in warning.message


def test_a_refused_schema_is_left_out_and_said_in_the_result(serve):
    stub = serve(openai_rules())
    engine = openai_engine(stub, profile="generic")  # full JSON Schema, which strict refuses
    result = extract(engine, Menu)
    assert stub.statuses == [400, 200] and "response_format" not in stub.bodies[1]
    (warning,) = [w for w in result.warnings if w.kind == "degraded"]
    assert warning.page is None
    assert "refused the answer's JSON Schema" in warning.message
    assert "Invalid schema for response_format 'records'" in warning.message
    assert result.errors == []  # the prompt still carries the schema; answers are checked


def test_a_required_schema_is_never_left_out(serve):
    stub = serve(openai_rules())
    engine = openai_engine(stub, profile="generic", response_format="json_schema")
    result = extract(engine, Menu)
    assert stub.statuses == [400] and result.status == "failed"
    assert "Invalid schema for response_format" in result.errors[0].message


def test_a_server_known_to_ignore_the_schema_is_not_sent_it_and_that_is_said(serve):
    stub = serve(openai_rules())
    result = extract(openai_engine(stub, profile="transformers"), Table)
    (body,) = stub.bodies
    assert "response_format" not in body and body["max_tokens"] == 4096
    (warning,) = [w for w in result.warnings if w.kind == "degraded"]
    assert warning.message.startswith("transformers serve ignores response_format")
    assert result.errors == [] and stub.statuses == [200]


def test_the_command_line_says_what_was_dropped_in_one_line(serve, capsys):
    from docvlm.cli import main

    stub = serve(openai_rules())
    code = main(
        [
            "extract",
            "fixtures/sales_table.pdf",
            "-e",
            "openai",
            "-m",
            "gpt-4o",
            "--base-url",
            stub.root + "/v1",
            "-E",
            "profile=vllm",
            "--dpi",
            "40",
            "--tile-size",
            "512",
            "--no-progress",
        ]
    )
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "refused the answer's JSON Schema" in line]
    assert code == 0 and len(lines) == 1
    assert lines[0].startswith("docvlm: fixtures/sales_table.pdf: the server refused")


# --- Gemini -------------------------------------------------------------------------------


def gemini_engine(stub, monkeypatch, **options):
    monkeypatch.setenv("GEMINI_API_KEY", "gm-test")
    url = stub.root + "/v1beta/openai/"
    options = {"profile": "gemini", "retry_backoff": 0.01, **options}
    return docvlm.get_engine("openai", model="gemini-2.5-flash", base_url=url, **options)


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: s.__name__)
def test_gemini_takes_every_schema_first_time(serve, monkeypatch, schema):
    stub = serve(gemini_rules)
    result = extract(gemini_engine(stub, monkeypatch), schema)
    check_answered(result, schema, stub)
    (request,) = stub.requests
    assert request.headers["authorization"] == "Bearer gm-test"
    assert request.body["max_tokens"] == 4096 and "strict" not in json.dumps(
        request.body["response_format"]["json_schema"]
    )
    assert request.body["response_format"]["json_schema"]["schema"] == GEMINI.schema(
        response_schema(schema)
    )


def test_gemini_refusing_the_full_schema_is_recognised_by_its_own_words(serve, monkeypatch):
    stub = serve(gemini_rules)
    engine = gemini_engine(stub, monkeypatch, profile="generic", api_key_env="GEMINI_API_KEY")
    result = extract(engine, Table)
    assert stub.statuses == [400, 200] and result.errors == []
    (warning,) = [w for w in result.warnings if w.kind == "degraded"]
    assert "generation_config.response_schema" in warning.message
    assert "INVALID_ARGUMENT" not in warning.message and "Unknown name" in warning.message


# --- Anthropic ----------------------------------------------------------------------------


def anthropic_engine(stub, monkeypatch, model, **options):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    options = {"retry_backoff": 0.01, **options}
    return docvlm.get_engine("anthropic", model=model, base_url=stub.root + "/v1", **options)


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: s.__name__)
def test_claude_with_structured_outputs_takes_every_schema_first_time(serve, monkeypatch, schema):
    stub = serve(anthropic_rules())
    result = extract(anthropic_engine(stub, monkeypatch, "claude-sonnet-4-5"), schema)
    check_answered(result, schema, stub)
    (body,) = stub.bodies
    sent = body["output_config"]["format"]
    assert sent == {
        "type": "json_schema",
        "schema": ANTHROPIC_STRUCTURED.schema(response_schema(schema)),
    }
    assert "tools" not in body and "tool_choice" not in body
    assert result.usage == {
        "input_tokens": 1200,
        "output_tokens": 60,
        "requests": 1,
        "cache_misses": 1,
    }


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: s.__name__)
def test_claude_without_them_answers_every_schema_through_a_forced_tool(serve, monkeypatch, schema):
    stub = serve(anthropic_rules(structured=False))
    result = extract(anthropic_engine(stub, monkeypatch, "claude-3-5-sonnet-20241022"), schema)
    check_answered(result, schema, stub)
    (body,) = stub.bodies
    (tool,) = body["tools"]
    assert tool["input_schema"] == response_schema(schema)
    assert body["tool_choice"] == {"type": "tool", "name": tool["name"]}
    assert "output_config" not in body


@pytest.mark.parametrize("model", ["claude-sonnet-4-5", "claude-3-5-sonnet-20241022"])
def test_claude_user_model_comes_back_as_answered(serve, monkeypatch, model):
    # The stub answers every property (true for booleans, null wherever null is allowed).
    stub = serve(anthropic_rules())
    (invoice,) = extract(anthropic_engine(stub, monkeypatch, model), Invoice).records
    assert isinstance(invoice, Invoice)
    assert (invoice.number, invoice.currency, invoice.paid) == ("ab", "EUR", True)
    assert (invoice.issued, invoice.website, invoice.shipping) == (None, None, None)
    assert invoice.billing == Address(street="ab", city=None, postcode="ab")
    assert [(line.item, line.quantity, line.amount) for line in invoice.lines] == [("ab", 1, None)]
