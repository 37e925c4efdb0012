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
    special: list[str], eos: str, pad: str, template: str, **named: str
) -> PreTrainedTokenizerFast:
    """``named``: special tokens the family's processor reads by name (``image_token``...)."""
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
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        eos_token=eos,
        pad_token=pad,
        **({"extra_special_tokens": named} if named else {}),
    )
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
    if version == "3":
        from transformers import Qwen3VLConfig, Qwen3VLForConditionalGeneration, Qwen3VLProcessor

        text["rope_parameters"] = dict(text["rope_parameters"], mrope_interleaved=True)
        config = Qwen3VLConfig(
            text_config=dict(text, head_dim=8),
            **tokens,
            vision_config=dict(
                depth=1,
                hidden_size=32,
                intermediate_size=64,
                num_heads=2,
                out_hidden_size=32,
                patch_size=16,
                spatial_merge_size=2,
                num_position_embeddings=64,
                deepstack_visual_indexes=[0],
            ),
        )
        model = Qwen3VLForConditionalGeneration(config)
        processor_class = Qwen3VLProcessor
    elif version == "2":
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
    if version == "3":
        # As Qwen3-VL publishes it: the pixel budget in `size` (pixel counts), 16-px patches
        # merged 2 x 2: a 32-px grid.
        image_processor = Qwen2VLImageProcessor(
            size={"shortest_edge": 64 * 64, "longest_edge": 512 * 512}, patch_size=16
        )
    else:
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


def qwen3_vl(folder: Path) -> Path:
    return qwen2_vl(folder, version="3")


def idefics3(folder: Path, dims: dict | None = None, smolvlm: bool = False) -> Path:
    """Idefics3, the architecture of SmolVLM; ``dims`` overrides the tiny sizes.
    ``smolvlm``: SmolVLM2's own classes (model type ``smolvlm``; its processor needs
    ``num2words``)."""
    import transformers

    prefix = "SmolVLM" if smolvlm else "Idefics3"
    config_class, model_class, image_processor_class, processor_class = (
        getattr(transformers, prefix + name)
        for name in ("Config", "ForConditionalGeneration", "ImageProcessor", "Processor")
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
    config = config_class(
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
    image_processor = image_processor_class(
        size={"longest_edge": dims["longest_edge"]},
        max_image_size={"longest_edge": dims["vision"]["image_size"]},
    )
    extra = {"video_processor": transformers.SmolVLMVideoProcessor()} if smolvlm else {}
    processor = processor_class(
        image_processor=image_processor,
        tokenizer=tok,
        image_seq_len=dims["image_seq_len"],
        chat_template=template,
        **extra,
    )
    model = model_class(config)
    return _save(model, processor, tok, "<end_of_utterance>", folder)


def smolvlm(folder: Path) -> Path:
    return idefics3(folder, smolvlm=True)


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


def gemma3(folder: Path) -> Path:
    from transformers import (
        Gemma3Config,
        Gemma3ForConditionalGeneration,
        Gemma3ImageProcessor,
        Gemma3Processor,
    )

    named = dict(
        boi_token="<start_of_image>", eoi_token="<end_of_image>", image_token="<image_soft_token>"
    )
    special = ["<pad>", "<eos>", "<start_of_turn>", "<end_of_turn>", *named.values()]
    template = _template(
        "<start_of_turn>{{ 'model' if message['role'] == 'assistant' else message['role'] }}\n",
        "<start_of_image>",
        "<end_of_turn>\n",
        "<start_of_turn>model\n",
    )
    tok = train_tokenizer(special, "<end_of_turn>", "<pad>", template, **named)
    boi, eoi, image = _ids(tok, *named.values())
    config = Gemma3Config(
        text_config=dict(
            TEXT,
            model_type="gemma3_text",
            vocab_size=len(tok),
            head_dim=8,
            query_pre_attn_scalar=8,
            sliding_window=64,
            layer_types=["sliding_attention", "full_attention"],
            pad_token_id=tok.pad_token_id,
            bos_token_id=None,
            eos_token_id=None,
        ),
        vision_config=dict(TINY_VISION, model_type="siglip_vision_model"),
        mm_tokens_per_image=4,
        boi_token_index=boi,
        eoi_token_index=eoi,
        image_token_index=image,
    )
    image_processor = Gemma3ImageProcessor(size={"height": 64, "width": 64})
    processor = Gemma3Processor(
        image_processor=image_processor, tokenizer=tok, image_seq_length=4, chat_template=template
    )
    model = Gemma3ForConditionalGeneration(config)
    return _save(model, processor, tok, "<end_of_turn>", folder)


def llava_onevision(folder: Path) -> Path:
    """LLaVA-OneVision: SigLIP crops in any-resolution grids up to the largest pinpoint."""
    from transformers import (
        LlavaOnevisionConfig,
        LlavaOnevisionForConditionalGeneration,
        LlavaOnevisionImageProcessor,
        LlavaOnevisionProcessor,
        LlavaOnevisionVideoProcessor,
    )

    special = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<image>", "<video>"]
    template = _template(
        "<|im_start|>{{ message['role'] }}\n",
        "<image>\n",
        "<|im_end|>\n",
        "<|im_start|>assistant\n",
    )
    tok = train_tokenizer(special, "<|im_end|>", "<|endoftext|>", template)
    image, video = _ids(tok, "<image>", "<video>")
    pinpoints = [[64, 64], [64, 128], [128, 64], [128, 256], [256, 128], [256, 256]]
    config = LlavaOnevisionConfig(
        image_token_index=image,
        video_token_index=video,
        image_grid_pinpoints=pinpoints,
        vision_config=dict(TINY_VISION, model_type="siglip_vision_model"),
        text_config=dict(
            TEXT,
            model_type="qwen2",
            vocab_size=len(tok),
            pad_token_id=tok.pad_token_id,
            bos_token_id=None,
            eos_token_id=None,
        ),
    )
    image_processor = LlavaOnevisionImageProcessor(
        size={"height": 64, "width": 64}, image_grid_pinpoints=pinpoints
    )
    processor = LlavaOnevisionProcessor(
        image_processor=image_processor,
        tokenizer=tok,
        video_processor=LlavaOnevisionVideoProcessor(),
        num_image_tokens=16,
        vision_feature_select_strategy="full",
        chat_template=template,
    )
    model = LlavaOnevisionForConditionalGeneration(config)
    return _save(model, processor, tok, "<|im_end|>", folder)


def mistral3(folder: Path) -> Path:
    """Mistral 3 (Small 3.1+): a Pixtral vision tower, images resized to a longest edge."""
    from transformers import (
        Mistral3Config,
        Mistral3ForConditionalGeneration,
        PixtralImageProcessor,
        PixtralProcessor,
    )

    special = ["<unk>", "</s>", "[INST]", "[/INST]", "[IMG]", "[IMG_BREAK]", "[IMG_END]"]
    template = _template("[INST]", "[IMG]", "[/INST]", "")
    tok = train_tokenizer(special, "</s>", "<unk>", template)
    (image,) = _ids(tok, "[IMG]")
    config = Mistral3Config(
        image_token_index=image,
        spatial_merge_size=2,
        vision_config=dict(
            model_type="pixtral",
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=1,
            num_attention_heads=2,
            head_dim=16,
            patch_size=16,
            image_size=256,
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
    image_processor = PixtralImageProcessor(
        size={"longest_edge": 256}, patch_size={"height": 16, "width": 16}
    )
    processor = PixtralProcessor(
        image_processor=image_processor,
        tokenizer=tok,
        patch_size=16,
        spatial_merge_size=2,
        chat_template=template,
    )
    model = Mistral3ForConditionalGeneration(config)
    return _save(model, processor, tok, "</s>", folder)


def lfm2_vl(folder: Path) -> Path:
    """LFM2-VL: a SigLIP2 NaFlex encoder; large images split into encoder tiles."""
    from transformers import (
        Lfm2VlConfig,
        Lfm2VlForConditionalGeneration,
        Lfm2VlImageProcessor,
        Lfm2VlProcessor,
    )

    special = [
        "<|pad|>",
        "<|im_start|>",
        "<|im_end|>",
        "<image>",
        "<|image_start|>",
        "<|image_end|>",
        "<|img_thumbnail|>",
    ]
    template = _template(
        "<|im_start|>{{ message['role'] }}\n", "<image>", "<|im_end|>\n", "<|im_start|>assistant\n"
    )
    tok = train_tokenizer(special, "<|im_end|>", "<|pad|>", template)
    (image,) = _ids(tok, "<image>")
    config = Lfm2VlConfig(
        image_token_id=image,
        projector_hidden_size=32,
        downsample_factor=2,
        vision_config=dict(
            model_type="siglip2_vision_model",
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=1,
            num_attention_heads=2,
            patch_size=16,
            num_patches=16,
        ),
        text_config=dict(
            TEXT,
            model_type="lfm2",
            layer_types=["conv", "full_attention"],
            block_auto_adjust_ff_dim=False,
            vocab_size=len(tok),
            pad_token_id=tok.pad_token_id,
            bos_token_id=None,
            eos_token_id=None,
        ),
    )
    image_processor = Lfm2VlImageProcessor(
        tile_size=64,
        encoder_patch_size=16,
        downsample_factor=2,
        min_image_tokens=4,
        max_image_tokens=16,
        min_tiles=2,
        max_tiles=4,
        max_num_patches=64,
    )
    processor = Lfm2VlProcessor(
        image_processor=image_processor, tokenizer=tok, chat_template=template
    )
    model = Lfm2VlForConditionalGeneration(config)
    return _save(model, processor, tok, "<|im_end|>", folder)


def mllama(folder: Path) -> Path:
    """Llama 3.2 Vision: image tiles read through cross-attention layers."""
    from transformers import (
        MllamaConfig,
        MllamaForConditionalGeneration,
        MllamaImageProcessor,
        MllamaProcessor,
    )

    special = [
        "<|begin_of_text|>",
        "<|eot_id|>",
        "<|finetune_right_pad_id|>",
        "<|start_header_id|>",
        "<|end_header_id|>",
        "<|image|>",
        "<|python_tag|>",
    ]
    template = _template(
        "<|begin_of_text|><|start_header_id|>{{ message['role'] }}<|end_header_id|>\n\n",
        "<|image|>",
        "<|eot_id|>",
        "<|start_header_id|>assistant<|end_header_id|>\n\n",
    )
    tok = train_tokenizer(special, "<|eot_id|>", "<|finetune_right_pad_id|>", template)
    tok.bos_token = "<|begin_of_text|>"
    (image,) = _ids(tok, "<|image|>")
    config = MllamaConfig(
        image_token_index=image,
        vision_config=dict(
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=2,
            num_global_layers=1,
            attention_heads=2,
            image_size=32,
            patch_size=8,
            max_num_tiles=4,
            intermediate_layers_indices=[0],
            vision_output_dim=64,
        ),
        text_config=dict(
            TEXT,
            cross_attention_layers=[1],
            vocab_size=len(tok),
            pad_token_id=tok.pad_token_id,
            bos_token_id=tok.bos_token_id,
            eos_token_id=None,
        ),
    )
    image_processor = MllamaImageProcessor(size={"height": 32, "width": 32}, max_image_tiles=4)
    processor = MllamaProcessor(
        image_processor=image_processor, tokenizer=tok, chat_template=template
    )
    model = MllamaForConditionalGeneration(config)
    return _save(model, processor, tok, "<|eot_id|>", folder)


def internvl(folder: Path) -> Path:
    """InternVL 3 (the transformers port): an InternViT, images cropped into its patches."""
    from transformers import (
        GotOcr2ImageProcessor,
        InternVLConfig,
        InternVLForConditionalGeneration,
        InternVLProcessor,
        InternVLVideoProcessor,
    )

    named = dict(
        start_image_token="<img>",
        end_image_token="</img>",
        context_image_token="<IMG_CONTEXT>",
        video_token="<video>",
    )
    special = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", *named.values()]
    template = _template(
        "<|im_start|>{{ message['role'] }}\n",
        "<IMG_CONTEXT>\n",
        "<|im_end|>\n",
        "<|im_start|>assistant\n",
    )
    tok = train_tokenizer(special, "<|im_end|>", "<|endoftext|>", template, **named)
    (image,) = _ids(tok, "<IMG_CONTEXT>")
    config = InternVLConfig(
        image_token_id=image,
        image_seq_length=4,
        downsample_ratio=0.5,
        vision_config=dict(
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=1,
            num_attention_heads=2,
            image_size=[32, 32],
            patch_size=[8, 8],
        ),
        text_config=dict(
            TEXT,
            model_type="qwen2",
            vocab_size=len(tok),
            pad_token_id=tok.pad_token_id,
            bos_token_id=None,
            eos_token_id=None,
        ),
    )
    image_processor = GotOcr2ImageProcessor(
        size={"height": 32, "width": 32}, crop_to_patches=True, min_patches=1, max_patches=4
    )
    processor = InternVLProcessor(
        image_processor=image_processor,
        tokenizer=tok,
        video_processor=InternVLVideoProcessor(),
        image_seq_length=4,
        chat_template=template,
    )
    model = InternVLForConditionalGeneration(config)
    return _save(model, processor, tok, "<|im_end|>", folder)


def glm4v(folder: Path) -> Path:
    """GLM-4.1V: images at their own resolution up to a pixel budget, on a 28-px grid."""
    from transformers import (
        Glm4vConfig,
        Glm4vForConditionalGeneration,
        Glm4vImageProcessor,
        Glm4vProcessor,
        Glm4vVideoProcessor,
    )

    media = ["<|image|>", "<|begin_of_image|>", "<|end_of_image|>"]
    media += ["<|video|>", "<|begin_of_video|>", "<|end_of_video|>"]
    special = ["<|endoftext|>", "[gMASK]", "<sop>", "<|user|>", "<|assistant|>", *media]
    template = _template(
        "[gMASK]<sop><|{{ message['role'] }}|>\n",
        "<|begin_of_image|><|image|><|end_of_image|>",
        "",
        "<|assistant|>\n",
    )
    tok = train_tokenizer(special, "<|user|>", "<|endoftext|>", template)
    image, image_start, image_end, video, video_start, video_end = _ids(tok, *media)
    config = Glm4vConfig(
        image_token_id=image,
        image_start_token_id=image_start,
        image_end_token_id=image_end,
        video_token_id=video,
        video_start_token_id=video_start,
        video_end_token_id=video_end,
        vision_config=dict(
            depth=1,
            hidden_size=32,
            intermediate_size=64,
            num_heads=2,
            out_hidden_size=32,
            patch_size=14,
            spatial_merge_size=2,
            image_size=56,
        ),
        text_config=dict(
            TEXT,
            vocab_size=len(tok),
            pad_token_id=tok.pad_token_id,
            rope_parameters={
                "rope_type": "default",
                "rope_theta": 10000.0,
                "mrope_section": [2, 1, 1],
            },
        ),
    )
    image_processor = Glm4vImageProcessor(
        size={"shortest_edge": 56 * 56, "longest_edge": 256 * 256}, patch_size=14, merge_size=2
    )
    processor = Glm4vProcessor(
        image_processor=image_processor,
        tokenizer=tok,
        video_processor=Glm4vVideoProcessor(),
        chat_template=template,
    )
    model = Glm4vForConditionalGeneration(config)
    return _save(model, processor, tok, "<|user|>", folder)


BUILDERS: dict[str, Callable[[Path], Path]] = {
    "qwen2_vl": qwen2_vl,
    "qwen2_5_vl": qwen2_5_vl,
    "qwen3_vl": qwen3_vl,
    "idefics3": idefics3,
    "smolvlm": smolvlm,
    "idefics2": idefics2,
    "llava": llava,
    "gemma3": gemma3,
    "llava_next": llava_next,
    "llava_onevision": llava_onevision,
    "mistral3": mistral3,
    "lfm2_vl": lfm2_vl,
    "mllama": mllama,
    "internvl": internvl,
    "glm4v": glm4v,
}


def build(family: str, folder: Path) -> Path:
    torch.manual_seed(0)
    return BUILDERS[family](folder)
