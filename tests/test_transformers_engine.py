"""The transformers engine on tiny random models of each supported family (no model hub)."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("llguidance")

import docvlm
from docvlm import Document, EngineUnavailableError, Menu, Table, TileOptions
from docvlm.engines.profiles import PROFILES, working_families
from tests.tiny_vlms import BUILDERS, build

# The families end-to-end tests cover; every family in BUILDERS runs batched below.
FAMILIES = ["idefics2", "idefics3", "llava", "llava_next", "qwen2_5_vl", "qwen2_vl"]
ONE_TILE = TileOptions(dpi=40, tile_size=512)  # the whole page in one small tile


class _Built(dict):
    """Tiny models by family, each built the first time a test asks for it."""

    def __init__(self, root, make):
        super().__init__()
        self.root, self.make = root, make

    def __missing__(self, family):
        self[family] = self.make(family, self.root)
        return self[family]


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("tiny-vlms")
    return _Built(root, lambda family, root: str(build(family, root / family)))


@pytest.fixture(scope="session")
def engines(tiny_models):
    def load(family, _root):
        path = tiny_models[family]
        return docvlm.get_engine("transformers", model=path, device="cpu", max_new_tokens=4000)

    return _Built(None, load)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("schema", [Menu, Table])
def test_each_family_extracts_valid_records_end_to_end(engines, fixtures, family, schema):
    engine = engines[family]
    result = docvlm.extract(
        fixtures / "sales_table.pdf", schema=schema, engine=engine, tiles=ONE_TILE
    )
    # A random model may answer with no record: that is an empty page, never a failure.
    assert result.errors == [] and result.status == ("ok" if result.records else "empty")
    if not result.records:
        assert [w.message for w in result.warnings] == [f"no {schema.schema_name} found"]
    assert all(type(record) is schema for record in result.records)
    assert all(p.engine == "transformers" and p.tiles == [0] for p in result.provenance)
    assert result.usage["output_tokens"] > 0
    assert result.usage["input_tokens"] > 100  # the prompt carries the schema and word hints


@pytest.mark.parametrize("family", FAMILIES)
def test_engine_loads_through_the_public_registry_by_path(tiny_models, fixtures, family):
    result = docvlm.extract(
        fixtures / "sales_table.pdf",
        schema="table",
        engine="transformers",
        engine_options={"model": tiny_models[family], "device": "cpu"},
        tiles=ONE_TILE,
    )
    assert result.errors == [] and result.status in ("ok", "empty")


class Cell(BaseModel):
    text: str = Field(min_length=1, max_length=4)


class Grid(BaseModel):
    """A test schema whose every valid answer has content: 2-3 rows of 2 cells."""

    rows: list[list[Cell]] = Field(min_length=2, max_length=3)
    total: float = Field(ge=0, le=100)


def test_constrained_decoding_yields_valid_nested_content(engines, fixtures):
    for family in ("qwen2_vl", "llava"):
        result = docvlm.extract(
            fixtures / "sales_table.pdf", schema=Grid, engine=engines[family], tiles=ONE_TILE
        )
        assert result.errors == [], family
        for grid in result.records:
            assert isinstance(grid, Grid) and 2 <= len(grid.rows) <= 3
            assert 0 <= grid.total <= 100


def test_length_cut_off_is_reported_not_returned(tiny_models, fixtures):
    engine = docvlm.get_engine(
        "transformers", model=tiny_models["qwen2_vl"], device="cpu", max_new_tokens=3
    )
    result = docvlm.extract(
        fixtures / "sales_table.pdf", schema=Grid, engine=engine, tiles=ONE_TILE
    )
    assert result.records == [] and result.status == "failed"
    assert "cut off at max_new_tokens=3" in result.errors[0].message


def test_tiles_follow_the_model_input_size(engines, fixtures):
    engine = engines["qwen2_vl"]
    assert engine.capabilities.preferred_tile_size == 448  # max_pixels = 448 * 448
    seen = []
    original = engine._inputs

    def spy(prompts, images):
        seen.extend(image.size for image in images)
        return original(prompts, images)

    engine._inputs = spy
    try:
        docvlm.extract(
            fixtures / "sales_table.pdf", schema="table", engine=engine, tiles=TileOptions(dpi=72)
        )
    finally:
        del engine._inputs
    # A 595 x 842 pt page at 72 DPI in 448-pixel tiles overlapping by 64: 2 columns, 3 rows.
    assert seen == [(448, 448)] * 6


def test_missing_weights_say_how_to_get_them(tmp_path):
    with pytest.raises(EngineUnavailableError, match="huggingface-cli download"):
        docvlm.get_engine("transformers", model=str(tmp_path / "no-model"))
    with pytest.raises(EngineUnavailableError, match="needs a model"):
        docvlm.get_engine("transformers")
    with pytest.raises(EngineUnavailableError, match="huggingface-cli download"):
        docvlm.get_engine("transformers", model="someone/not-in-the-cache")


def test_ask_with_a_local_model_returns_an_answer_per_page(engines, fixtures):
    result = docvlm.ask(
        fixtures / "report_3pages.pdf",
        "What is the total in Q4?",
        engine=engines["idefics3"],
        pages="1,3",
        dpi=40,
    )
    assert result.errors == []
    assert [p.page for p in result.pages] == [1, 3]
    assert all(isinstance(p.answer, str) for p in result.pages)


@pytest.mark.parametrize("family", sorted(BUILDERS))  # each builds and runs in 2-12 s on CPU
def test_tiles_are_generated_in_batches(tiny_models, fixtures, family):
    if family == "smolvlm":
        pytest.importorskip("num2words")  # in the vlm extra: SmolVLM2's processor needs it
    engine = docvlm.get_engine(
        "transformers", model=tiny_models[family], device="cpu", max_new_tokens=4000, batch_size=3
    )
    calls = []
    original = engine.model.generate

    def counting(*args, **kwargs):
        calls.append(kwargs["input_ids"].shape[0])
        return original(*args, **kwargs)

    engine.model.generate = counting
    result = docvlm.extract(
        fixtures / "report_3pages.pdf",
        schema="table",
        engine=engine,
        pages="1-2",
        tiles=TileOptions(dpi=40, tile_size=256, overlap=32),
    )
    # 331 x 468 px pages in 256-px tiles: 2 x 2 tiles a page, 8 tiles in batches of 3 -
    # batches cross page boundaries, repair requests (if any) go one by one.
    assert calls[:3] == [3, 3, 2]
    # A random model's answer may run past the token limit; nothing else may go wrong.
    assert [e for e in result.errors if "cut off at max_new_tokens" not in e.message] == []
    assert all(type(r) is Table for r in result.records)
    assert {p.page for p in result.provenance} <= {1, 2}
    assert engine.profile.family == family and family in working_families()


def test_each_family_reads_its_own_input_size(tiny_models):
    sizes = {
        family: docvlm.get_engine(
            "transformers", model=tiny_models[family], device="cpu"
        ).capabilities.preferred_tile_size
        for family in ("qwen3_vl", "llava_onevision", "glm4v")
    }
    # Qwen3-VL: a 512 x 512 pixel budget in `size`, on a 32-px grid (28 would give 504).
    # LLaVA-OneVision: its largest pinpoint, not its 64-px crop. GLM-4V: 256^2 on 28 px.
    assert sizes == {"qwen3_vl": 512, "llava_onevision": 256, "glm4v": 252}


def test_published_processor_settings_give_each_familys_tile():
    import transformers as t

    def side(family, processor):
        return PROFILES[family].tile_size(processor)

    qwen3 = t.Qwen2VLImageProcessor(
        size={"shortest_edge": 65536, "longest_edge": 1003520}, patch_size=16
    )
    assert side("qwen3_vl", qwen3) == 992  # isqrt(1003520) = 1001, on a 32-px grid
    assert side("qwen2_5_vl", t.Qwen2VLImageProcessor(max_pixels=1003520)) == 980  # 28-px
    assert side("llava_onevision", t.LlavaOnevisionImageProcessor()) == 2048  # 2304, capped
    assert side("mistral3", t.PixtralImageProcessor(size={"longest_edge": 1540})) == 1540
    assert side("llava", t.PixtralImageProcessor()) == 1024  # Pixtral-12B is a llava
    mllama = t.MllamaImageProcessor(size={"height": 560, "width": 560}, max_image_tiles=4)
    assert side("mllama", mllama) == 1120  # 2 x 2 tiles of 560
    assert side("internvl", t.GotOcr2ImageProcessor(size={"height": 448, "width": 448})) == 448
    assert side("gemma3", t.Gemma3ImageProcessor(size={"height": 896, "width": 896})) == 896
    assert side("lfm2_vl", t.Lfm2VlImageProcessor()) == 512
    assert side("smolvlm", t.SmolVLMImageProcessor()) == 1456


@pytest.mark.parametrize(
    ("model_type", "reason"),
    [
        ("paligemma", "PaliGemma has no chat template"),
        ("florence2", "Florence-2 has no chat template"),
        ("phi4_multimodal", "Phi-4-multimodal is a causal language model"),
        ("phi4mm", "Phi-4-multimodal is a causal language model"),
    ],
)
def test_families_that_cannot_work_are_refused_before_loading(tmp_path, model_type, reason):
    import json

    (tmp_path / "config.json").write_text(json.dumps({"model_type": model_type}))
    with pytest.raises(EngineUnavailableError) as refused:
        docvlm.get_engine("transformers", model=str(tmp_path), device="cpu")
    message = str(refused.value)
    assert reason in message
    families = message.split("Families that work: ")[1].split(", ")
    # The families named are exactly those tested on a tiny model (tests/tiny_vlms.py),
    # in order, and not the refused one.
    assert families == sorted(BUILDERS) and model_type not in families


@pytest.mark.slow  # over 10 s (pytest --durations)
def test_model_answers_are_grounded_value_by_value(engines, fixtures):
    """Noise from a random model, on a two-page document: every value of every record is
    looked up on its page; what is not printed there comes out not_found, kept."""
    from docvlm.provenance import leaf_values

    result = docvlm.extract(
        fixtures / "report_3pages.pdf",
        schema=Menu,
        engine=engines["idefics3"],
        pages="1-2",
        tiles=ONE_TILE,
    )
    assert result.errors == [] and result.records  # this family's noise holds menus
    assert sum(len(item.provenance.fields) for item in result.items) > 0
    for item in result.items:
        page = Document.open(fixtures / "report_3pages.pdf").page(item.provenance.page)
        texts = {w.text for w in page.words}
        fields = {f.path: f for f in item.provenance.fields}
        assert set(fields) == {path for path, _ in leaf_values(item.record)}
        for path, value in leaf_values(item.record):
            found = fields[path]
            assert 0 <= found.confidence <= 1 and found.page == item.provenance.page
            if found.status == "exact":
                assert found.bbox is not None and str(value).split()[0] in texts
            if found.status == "not_found":
                assert found.bbox is None


def test_answer_probability_is_the_geometric_mean_of_the_chosen_tokens():
    import math

    import torch

    from docvlm.engines.constrained import AnswerProbability

    eos = 3
    recorder = AnswerProbability([eos])
    prompt = torch.tensor([[9], [9]])
    steps = [
        torch.log(torch.tensor([[0.5, 0.5, 0.0, 0.0], [0.1, 0.9, 0.0, 0.0]])),
        torch.log(torch.tensor([[0.2, 0.0, 0.0, 0.8], [0.0, 0.0, 0.0, 1.0]])),
    ]
    chosen = [torch.tensor([0, 1]), torch.tensor([3, 3])]
    ids = prompt
    for scores, picked in zip(steps, chosen, strict=True):
        recorder(ids, scores)  # type: ignore[arg-type]
        ids = torch.cat([ids, picked[:, None]], dim=1)
    first, second = recorder.probabilities(ids[:, -1])
    assert first == pytest.approx(math.sqrt(0.5 * 0.8))
    assert second == pytest.approx(math.sqrt(0.9 * 1.0))


def test_model_replies_carry_their_probability(engines, fixtures):
    result = docvlm.extract(
        fixtures / "sales_table.pdf", schema=Menu, engine=engines["idefics3"], tiles=ONE_TILE
    )
    exact = [f for item in result.items for f in item.provenance.fields if f.status == "exact"]
    not_found = [
        f for item in result.items for f in item.provenance.fields if f.status == "not_found"
    ]
    assert exact or not_found
    # Scaled by 0.5 + 0.5 x the answer's probability, below the unscaled value.
    assert all(0.5 <= f.confidence <= 1.0 for f in exact)
    assert all(0.1 <= f.confidence <= 0.2 for f in not_found)
    assert any(f.confidence < 1.0 for f in exact) or any(f.confidence < 0.2 for f in not_found)


def test_the_readme_lists_every_family_that_works():
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    table = readme.split("### Model families")[1].split("\n### ")[0]
    assert [f for f in working_families() if f"`{f}`" not in table] == []
    assert "PaliGemma" in table and "Florence-2" in table and "Phi-4-multimodal" in table
