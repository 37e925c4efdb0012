"""Tiny randomly initialised vision-language models of real architectures, built offline.

Each builder trains a small byte-level BPE tokenizer, adds the family's special tokens and a
chat template of the family's shape, pairs it with the family's real image processor, and
saves model and processor with ``save_pretrained`` so tests load them back through the
engine's real ``from_pretrained`` path. Weights are random: outputs are noise, but every
stage around the model is real.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

VOCAB = 700
TEXT = dict(
    hidden_size=32,
    intermediate_size=64,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    max_position_embeddings=8192,
)


def train_tokenizer(
    special: list[str], eos: str, pad: str, template: str
) -> PreTrainedTokenizerFast:
    # A fixed corpus: the tokenizer (and so each random model's behaviour) must not change
    # when a schema does.
    corpus = [
        '{"records": [{"rows": [["Region", "Q1"], ["North", "12.5"]], "header_rows": 1}]}',
        '{"sections": [{"name": "Soup", "items": [{"name": "Tea", "price": 4.5, "currency": '
        '"EUR"}]}], "title": null, "description": "string", "type": "object"}',
        "Extract the table: rows of cells, header rows first. Answer with JSON only. "
        "The quick brown fox jumps over the lazy dog 0123456789 € $ £ ",
    ]
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB,
        special_tokens=special,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tokenizer.train_from_iterator(corpus * 10, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, eos_token=eos, pad_token=pad)
    fast.chat_template = template
    return fast


def _template(start: str, image: str, end: str, assistant: str) -> str:
    return (
        "{% for message in messages %}" + start + "{% if message['content'] is string %}"
        "{{ message['content'] }}{% else %}{% for c in message['content'] %}"
        "{% if c['type'] == 'image' %}" + image + "{% elif c['type'] == 'text' %}{{ c['text'] }}"
        "{% endif %}{% endfor %}{% endif %}" + end + "{% endfor %}"
        "{% if add_generation_prompt %}" + assistant + "{% endif %}"
    )


def _save(model, processor, tokenizer, eos: str, folder: Path) -> Path:
    model.generation_config.eos_token_id = tokenizer.convert_tokens_to_ids(eos)
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder


def _ids(tokenizer, *tokens: str) -> list[int]:
    return [tokenizer.convert_tokens_to_ids(t) for t in tokens]


def qwen2_vl(folder: Path, version: str = "2") -> Path:
    from transformers import Qwen2VLImageProcessor, Qwen2VLVideoProcessor

    special = [
        "<|endoftext|>",
        "<|im_start|>",
        "<|im_end|>",
        "<|vision_start|>",
        "<|vision_end|>",
        "<|image_pad|>",
        "<|video_pad|>",
    ]
    template = _template(
        "<|im_start|>{{ message['role'] }}\n",
        "<|vision_start|><|image_pad|><|vision_end|>",
        "<|im_end|>\n",
        "<|im_start|>assistant\n",
    )
    tok = train_tokenizer(special, "<|im_end|>", "<|endoftext|>", template)
    pad, end, vs, ve, image, video = _ids(
        tok,
        "<|endoftext|>",
        "<|im_end|>",
        "<|vision_start|>",
        "<|vision_end|>",
        "<|image_pad|>",
        "<|video_pad|>",
    )
    text = dict(
        TEXT,
        vocab_size=len(tok),
        eos_token_id=end,
        pad_token_id=pad,
        bos_token_id=None,
        rope_parameters={"rope_type": "default", "rope_theta": 10000.0, "mrope_section": [2, 1, 1]},
    )
    tokens = dict(
        image_token_id=image, video_token_id=video, vision_start_token_id=vs, vision_end_token_id=ve
    )
    if version == "2":
        from transformers import Qwen2VLConfig, Qwen2VLForConditionalGeneration, Qwen2VLProcessor

        config = Qwen2VLConfig(
            text_config=text,
            **tokens,
            vision_config=dict(depth=1, embed_dim=32, hidden_size=32, num_heads=2, mlp_ratio=2),
        )
        model = Qwen2VLForConditionalGeneration(config)
        processor_class = Qwen2VLProcessor
    else:
        from transformers import (
            Qwen2_5_VLConfig,
            Qwen2_5_VLForConditionalGeneration,
            Qwen2_5_VLProcessor,
        )

        config = Qwen2_5_VLConfig(
            text_config=text,
            **tokens,
            vision_config=dict(
                depth=1,
                hidden_size=32,
                intermediate_size=64,
                out_hidden_size=32,
                num_heads=2,
                fullatt_block_indexes=[0],
                window_size=56,
            ),
        )
        model = Qwen2_5_VLForConditionalGeneration(config)
        processor_class = Qwen2_5_VLProcessor
    image_processor = Qwen2VLImageProcessor(min_pixels=56 * 56, max_pixels=448 * 448)
    processor = processor_class(
        image_processor=image_processor,
        tokenizer=tok,
        video_processor=Qwen2VLVideoProcessor(),
        chat_template=template,
    )
    return _save(model, processor, tok, "<|im_end|>", folder)


def qwen2_5_vl(folder: Path) -> Path:
    return qwen2_vl(folder, version="2.5")


def idefics3(folder: Path, dims: dict | None = None) -> Path:
    """Idefics3, the architecture of SmolVLM; ``dims`` overrides the tiny sizes."""
    from transformers import (
        Idefics3Config,
        Idefics3ForConditionalGeneration,
        Idefics3ImageProcessor,
        Idefics3Processor,
    )

    dims = {**IDEFICS3_TINY, **(dims or {})}
    special = [
        "<|endoftext|>",
        "<end_of_utterance>",
        "<fake_token_around_image>",
        "<image>",
        "<global-img>",
    ]
    template = _template(
        "<|im_start|>{{ message['role'] | capitalize }}:",
        "<image>",
        "<end_of_utterance>\n",
        "Assistant:",
    )
    tok = train_tokenizer(special, "<end_of_utterance>", "<|endoftext|>", template)
    (image,) = _ids(tok, "<image>")
    config = Idefics3Config(
        image_token_id=image,
        scale_factor=dims["scale_factor"],
        vision_config=dims["vision"],
        text_config=dict(
            dims["text"],
            model_type="llama",
            vocab_size=max(len(tok), dims["vocab_size"]),
            pad_token_id=tok.pad_token_id,
            bos_token_id=None,
            eos_token_id=None,
        ),
    )
    image_processor = Idefics3ImageProcessor(
        size={"longest_edge": dims["longest_edge"]},
        max_image_size={"longest_edge": dims["vision"]["image_size"]},
    )
    processor = Idefics3Processor(
        image_processor=image_processor,
        tokenizer=tok,
        image_seq_len=dims["image_seq_len"],
        chat_template=template,
    )
    model = Idefics3ForConditionalGeneration(config)
    return _save(model, processor, tok, "<end_of_utterance>", folder)


# A one-layer SigLIP-style vision tower, shared by the tiny Idefics2 and Idefics3.
TINY_VISION = dict(
    hidden_size=32,
    intermediate_size=64,
    num_hidden_layers=1,
    num_attention_heads=2,
    patch_size=16,
    image_size=64,
)
IDEFICS3_TINY = dict(
    vision=TINY_VISION,
    text=TEXT,
    vocab_size=0,
    scale_factor=2,
    image_seq_len=4,
    longest_edge=128,
)
# SmolVLM-256M-Instruct's dimensions (its published config): a SigLIP-base vision tower at
# 512 pixels, a 30-layer 576-wide Llama text model, 64 tokens per 512-pixel crop.
SMOLVLM_256M = dict(
    vision=dict(
        hidden_size=768,
        intermediate_size=3072,
        num_hidden_layers=12,
        num_attention_heads=12,
        patch_size=16,
        image_size=512,
    ),
    text=dict(
        hidden_size=576,
        intermediate_size=1536,
        num_hidden_layers=30,
        num_attention_heads=9,
        num_key_value_heads=3,
        max_position_embeddings=8192,
        rope_parameters={"rope_type": "default", "rope_theta": 100000.0},
    ),
    vocab_size=49280,
    scale_factor=4,
    image_seq_len=64,
    longest_edge=2048,
)


def idefics2(folder: Path) -> Path:
    from transformers import (
        Idefics2Config,
        Idefics2ForConditionalGeneration,
        Idefics2ImageProcessor,
        Idefics2Processor,
    )

    special = ["<unk>", "<end_of_utterance>", "<fake_token_around_image>", "<image>"]
    template = _template(
        "{{ message['role'] | capitalize }}:", "<image>", "<end_of_utterance>\n", "Assistant:"
    )
    tok = train_tokenizer(special, "<end_of_utterance>", "<unk>", template)
    (image,) = _ids(tok, "<image>")
    config = Idefics2Config(
        image_token_id=image,
        vision_config=TINY_VISION,
        perceiver_config=dict(
            hidden_size=32,
            resampler_n_latents=4,
            resampler_depth=1,
            resampler_n_heads=2,
            resampler_head_dim=8,
            num_key_value_heads=1,
        ),
        text_config=dict(
            TEXT,
            model_type="mistral",
            vocab_size=len(tok),
            pad_token_id=tok.pad_token_id,
            bos_token_id=None,
            eos_token_id=None,
        ),
    )
    image_processor = Idefics2ImageProcessor(
        do_image_splitting=False, size={"longest_edge": 64, "shortest_edge": 32}
    )
    processor = Idefics2Processor(
        image_processor=image_processor, tokenizer=tok, image_seq_len=4, chat_template=template
    )
    model = Idefics2ForConditionalGeneration(config)
    return _save(model, processor, tok, "<end_of_utterance>", folder)


CLIP_VISION = dict(
    model_type="clip_vision_model",
    hidden_size=32,
    intermediate_size=64,
    num_hidden_layers=2,
    num_attention_heads=2,
    image_size=32,
    patch_size=8,
    projection_dim=32,
)


def llava(folder: Path) -> Path:
    from transformers import (
        CLIPImageProcessor,
        LlavaConfig,
        LlavaForConditionalGeneration,
        LlavaProcessor,
    )

    special = ["<unk>", "</s>", "<image>"]
    template = _template("{{ message['role'] | upper }}: ", "<image>\n", " ", "ASSISTANT:")
    tok = train_tokenizer(special, "</s>", "<unk>", template)
    (image,) = _ids(tok, "<image>")
    config = LlavaConfig(
        image_token_index=image,
        image_seq_length=16,
        vision_config=CLIP_VISION,
        text_config=dict(
            TEXT,
            model_type="llama",
            vocab_size=len(tok),
            pad_token_id=tok.pad_token_id,
            bos_token_id=None,
            eos_token_id=None,
        ),
    )
    image_processor = CLIPImageProcessor(
        size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32}
    )
    processor = LlavaProcessor(
        image_processor=image_processor,
        tokenizer=tok,
        patch_size=8,
        vision_feature_select_strategy="default",
        num_additional_image_tokens=1,
        chat_template=template,
    )
    model = LlavaForConditionalGeneration(config)
    return _save(model, processor, tok, "</s>", folder)


def llava_next(folder: Path) -> Path:
    """LLaVA-NeXT (LLaVA 1.6): any-resolution grids of crops."""
    from transformers import (
        LlavaNextConfig,
        LlavaNextForConditionalGeneration,
        LlavaNextImageProcessor,
        LlavaNextProcessor,
    )

    special = ["<unk>", "</s>", "<image>"]
    template = _template("[INST] ", "<image>\n", " [/INST]", "")
    tok = train_tokenizer(special, "</s>", "<unk>", template)
    (image,) = _ids(tok, "<image>")
    pinpoints = [[32, 32], [32, 64], [64, 32], [64, 64]]
    config = LlavaNextConfig(
        image_token_index=image,
        vision_config=CLIP_VISION,
        image_grid_pinpoints=pinpoints,
        text_config=dict(
            TEXT,
            model_type="mistral",
            vocab_size=len(tok),
            pad_token_id=tok.pad_token_id,
            bos_token_id=None,
            eos_token_id=None,
        ),
    )
    image_processor = LlavaNextImageProcessor(
        size={"shortest_edge": 32},
        crop_size={"height": 32, "width": 32},
        image_grid_pinpoints=pinpoints,
    )
    processor = LlavaNextProcessor(
        image_processor=image_processor,
        tokenizer=tok,
        patch_size=8,
        vision_feature_select_strategy="default",
        num_additional_image_tokens=1,
        chat_template=template,
    )
    model = LlavaNextForConditionalGeneration(config)
    return _save(model, processor, tok, "</s>", folder)


BUILDERS: dict[str, Callable[[Path], Path]] = {
    "qwen2_vl": qwen2_vl,
    "qwen2_5_vl": qwen2_5_vl,
    "idefics3": idefics3,
    "idefics2": idefics2,
    "llava": llava,
    "llava_next": llava_next,
}


def build(family: str, folder: Path) -> Path:
    torch.manual_seed(0)
    return BUILDERS[family](folder)
