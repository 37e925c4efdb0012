from __future__ import annotations

import json

import pytest

from docvlm import Document, ExtractionError, Menu, Table, TilePlan
from docvlm.engines import Engine, EngineCapabilities, EngineReply, FoundRecord, TileRequest
from docvlm.extraction import extract_tile, parse_answer
from docvlm.prompts import build_prompt, response_schema


class ScriptedEngine(Engine):
    """Answers with the given texts in turn and remembers the prompts it was sent."""

    name = "scripted"
    capabilities = EngineCapabilities(needs_image=False)

    def __init__(self, answers: list[str]) -> None:
        self.answers = list(answers)
        self.prompts: list[str | None] = []

    def run(self, request: TileRequest) -> EngineReply:
        self.prompts.append(request.prompt)
        return EngineReply(text=self.answers.pop(0), usage={"output_tokens": 7})


def make_request(fixtures, schema=Table) -> TileRequest:
    page = Document.open(fixtures / "sales_table.pdf").page(1)
    tile = TilePlan.whole_page(page).tiles[0]
    return TileRequest(
        page, tile, schema, response_schema(schema), build_prompt(schema, page, tile, 1)
    )


GOOD = json.dumps({"records": [{"header_rows": 1, "rows": [["a", "b"], ["1", "2"]]}]})


def test_valid_answer_is_parsed_on_the_first_attempt(fixtures):
    engine = ScriptedEngine([GOOD])
    result = extract_tile(engine, make_request(fixtures))
    assert [r.record.rows for r in result.records] == [[["a", "b"], ["1", "2"]]]  # type: ignore[attr-defined]
    assert len(result.attempts) == 1 and result.attempts[0].raw == GOOD
    assert result.usage == {"output_tokens": 7}


def test_invalid_answer_is_asked_again_with_the_error(fixtures):
    bad = json.dumps({"records": [{"header_rows": 50, "rows": [["a"]]}]})
    engine = ScriptedEngine([bad, "```json\n" + GOOD + "\n```"])
    result = extract_tile(engine, make_request(fixtures))
    assert len(result.records) == 1 and len(result.attempts) == 2
    assert "header_rows" in (result.attempts[0].error or "")
    second_prompt = engine.prompts[1] or ""
    assert bad in second_prompt and "less than or equal to 20" in second_prompt
    assert result.usage == {"output_tokens": 14}


def test_two_invalid_answers_raise_with_the_last_error(fixtures):
    engine = ScriptedEngine(["not json", '{"records": [{"rows": 3}]}'])
    with pytest.raises(ExtractionError, match=r"tile 1: no valid answer after 2 attempts.*rows"):
        extract_tile(engine, make_request(fixtures))


def test_parse_answer_accepts_a_bare_record_and_a_list():
    assert len(parse_answer('{"rows": [["x"]]}', Table)) == 1
    assert len(parse_answer('[{"rows": [["x"]]}, {"rows": []}]', Table)) == 2
    assert parse_answer('{"records": []}', Table) == []


def test_records_from_record_engines_are_validated(fixtures):
    class BrokenEngine(Engine):
        name = "broken"
        capabilities = EngineCapabilities(returns_records=True, needs_image=False)

        def run(self, request):
            return EngineReply(records=[FoundRecord({"sections": "none"})])

    # The record is left out with the reason; the page (and its other records) stays.
    result = extract_tile(BrokenEngine(), make_request(fixtures, Menu))
    assert result.records == []
    (note,) = result.left_out
    assert note.startswith(
        "a menu record the broken engine read does not fit the schema and was left out ("
    )
    assert "sections" in note


def test_prompt_carries_task_schema_position_and_text_hints(fixtures):
    page = Document.open(fixtures / "sales_table.pdf").page(1)
    from docvlm import TileOptions

    plan = TilePlan.for_page(page, TileOptions(dpi=150, tile_size=512, overlap=64))
    tile = plan.tiles[0]
    prompt = build_prompt(Table, page, tile, len(plan))
    assert Table.task in prompt
    assert json.dumps(response_schema(Table), separators=(",", ":")) in prompt
    assert f"tile 1 of {len(plan)} of page 1" in prompt
    assert "Quarterly sales by region" in prompt  # words inside the top-left tile
    assert "Total" not in prompt.split("reading order")[1]  # that row lies outside it
