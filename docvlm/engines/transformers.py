"""The ``transformers`` engine: a local vision-language model, never downloaded at run time.

Loads with ``AutoProcessor`` / ``AutoModelForImageTextToText`` from a folder or the local
Hugging Face cache (``local_files_only``), generates greedily (deterministic by default),
and constrains generation by the answer's JSON Schema so the output always parses.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docvlm.engines.base import Engine, EngineCapabilities, EngineReply, TileRequest
from docvlm.engines.options import TransformersOptions
from docvlm.engines.profiles import ModelProfile, profile_for, working_families
from docvlm.errors import EngineUnavailableError, ExtractionError

INSTALL_HINT = "install the VLM extra: pip install 'docvlm[vlm]'"
WEIGHTS_HINT = (
    "download the weights once on a machine with network access, e.g. "
    "`huggingface-cli download Qwen/Qwen2.5-VL-7B-Instruct --local-dir /models/qwen`, "
    "then pass --model /models/qwen"
)


class TransformersEngine(Engine):
    """A local VLM through Hugging Face transformers. Options
    (:class:`~docvlm.engines.options.TransformersOptions`):

    ``model``: a folder with the weights, or a repository id already in the local cache.
    ``device``: ``"cpu"``, ``"cuda"``, ``"cuda:1"`` or ``"auto"`` (CUDA when available).
    ``dtype``: ``"auto"`` (bfloat16 on CUDA, float32 on CPU), ``"float32"``, ``"bfloat16"``…
    ``constrained``: decode under the schema's grammar (default) so answers always parse.
    ``batch_size``: tiles generated together (worth it on a GPU); the next tiles are
    rendered while the model generates either way.
    """

    name = "transformers"
    options_model = TransformersOptions

    def __init__(self, options: TransformersOptions) -> None:
        self.options = options
        model, device, max_new_tokens = options.model, options.device, options.max_new_tokens
        constrained = options.constrained
        torch, transformers = _import_runtime()
        self.model_name = str(model)
        self.max_new_tokens = max_new_tokens
        self.constrained = constrained
        self.device = _pick_device(torch, device)
        torch.manual_seed(options.seed)
        _refuse_unworkable(transformers, self.model_name)
        torch_dtype = _pick_dtype(torch, options.dtype, self.device)
        self.processor, self.model = _load(transformers, self.model_name, self.device, torch_dtype)
        self.tokenizer = self.processor.tokenizer
        self.profile: ModelProfile = profile_for(self.model.config.model_type)
        self.eos_ids = _eos_ids(self.model, self.tokenizer)
        self.pad_id = self.tokenizer.pad_token_id
        if self.pad_id is None:
            self.pad_id = self.eos_ids[0]
        self.tokenizer.padding_side = "left"  # batched generation continues from the right
        self.capabilities = EngineCapabilities(
            preferred_tile_size=self.profile.tile_size(self.processor.image_processor),
            batch_size=options.batch_size,
        )
        self._grammars: Any = None
        self._lock = threading.Lock()  # one generate() at a time per model
        weights = weights_fingerprint(self.model_name, self.model)
        # Greedy decoding: the answer depends on the weights, the numbers they are computed
        # in and the options below, not on the seed. Without a fingerprint of the weights
        # nothing is cached (None).
        self._identity = (
            None
            if weights is None
            else {
                "model": self.model_name,
                "weights": weights,
                "dtype": str(torch_dtype),
                "device": self.device.split(":")[0],
                "max_new_tokens": max_new_tokens,
                "constrained": constrained,
            }
        )

    def cache_identity(self) -> dict[str, Any] | None:
        """What decides this engine's answers beside the tile (see :mod:`docvlm.cache`), or
        None when the weights cannot be told apart from others of the same name."""
        return self._identity

    def run(self, request: TileRequest) -> EngineReply:
        (reply,) = self.run_batch([request])
        if isinstance(reply, Exception):
            raise reply
        return reply

    def run_batch(self, requests: Sequence[TileRequest]) -> list[EngineReply | Exception]:
        """Generate for several tiles in one batch (left-padded); one reply per tile."""
        inputs = self._inputs([r.prompt or "" for r in requests], [r.image() for r in requests])
        prompt_length = int(inputs["input_ids"].shape[1])
        from docvlm.engines.constrained import AnswerProbability

        processors = []
        if self.constrained:
            processors.append(self._logits_processor([r.json_schema for r in requests]))
        probability = AnswerProbability(self.eos_ids)
        processors.append(probability)
        with self._lock:
            output = self.model.generate(
                **inputs,
                max_new_tokens=self.max_new_tokens,
                do_sample=False,
                logits_processor=processors,
                pad_token_id=self.pad_id,
                eos_token_id=self.eos_ids,
            )
        mask = inputs.get("attention_mask")
        chances = probability.probabilities(output[:, -1])
        replies: list[EngineReply | Exception] = []
        for row in range(len(requests)):
            prompt_tokens = int(mask[row].sum()) if mask is not None else prompt_length
            reply = self._reply(output[row, prompt_length:].tolist(), prompt_tokens)
            if isinstance(reply, EngineReply) and row < len(chances):
                reply.probability = chances[row]
            replies.append(reply)
        return replies

    def _reply(self, generated: list[int], prompt_tokens: int) -> EngineReply | Exception:
        end = next((i for i, token in enumerate(generated) if token in self.eos_ids), None)
        if end is None:
            return ExtractionError(
                f"the answer was cut off at max_new_tokens={self.max_new_tokens} "
                "(raise it with --max-new-tokens, or use smaller tiles)"
            )
        text = self.tokenizer.decode(generated[:end], skip_special_tokens=True)
        usage = {"input_tokens": prompt_tokens, "output_tokens": end + 1}
        return EngineReply(text=text, usage=usage)

    def _inputs(self, prompts: list[str], images: list[Any]) -> Any:
        texts = [
            self.processor.apply_chat_template(
                [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": p}]}],
                add_generation_prompt=True,
            )
            for p in prompts
        ]
        inputs = self.processor(
            text=texts,
            images=self.profile.images_argument(images),
            return_tensors="pt",
            padding=len(texts) > 1,
        )
        return inputs.to(self.device)

    def _logits_processor(self, schemas: list[dict[str, Any]]) -> Any:
        from docvlm.engines.constrained import GrammarCache, SchemaLogitsProcessor

        vocab_size = self.model.get_output_embeddings().weight.shape[0]
        if self._grammars is None:
            self._grammars = GrammarCache(self.tokenizer, vocab_size, self.eos_ids)
        matchers = [self._grammars.matcher(schema) for schema in schemas]
        return SchemaLogitsProcessor(matchers, vocab_size, self.eos_ids)


FINGERPRINT_BYTES = 1 << 20


def weights_fingerprint(name: str, model: Any) -> str | None:
    """Which weights ``name`` holds: for a folder, a SHA-256 over each file's name, size
    and first and last MiB (weights that differ in any tensor's bytes almost always differ
    there; hashing gigabytes at each start would not do); for a repository id, the commit
    of the cached snapshot the weights came from. None when neither can be known."""
    folder = Path(name)
    if folder.is_dir():
        digest = hashlib.sha256()
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            size = path.stat().st_size
            digest.update(f"{path.relative_to(folder).as_posix()}:{size}:".encode())
            with path.open("rb") as file:
                digest.update(file.read(FINGERPRINT_BYTES))
                if size > FINGERPRINT_BYTES:
                    file.seek(max(FINGERPRINT_BYTES, size - FINGERPRINT_BYTES))
                    digest.update(file.read())
        return "sha256:" + digest.hexdigest()
    commit = getattr(getattr(model, "config", None), "_commit_hash", None)
    return f"commit:{commit}" if isinstance(commit, str) and commit else None


def _import_runtime() -> tuple[Any, Any]:
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise EngineUnavailableError(
            f"the transformers engine needs {exc.name}: {INSTALL_HINT}"
        ) from None
    return torch, transformers


def _refuse_unworkable(transformers: Any, name: str) -> None:
    """Refuse, before any weights load, a family that cannot work with this engine."""
    try:
        config, _ = transformers.PretrainedConfig.get_config_dict(name, local_files_only=True)
    except (OSError, ValueError):
        return  # no readable configuration: loading says what is missing
    profile = profile_for(str(config.get("model_type", "")))
    if profile.refused:
        raise EngineUnavailableError(
            f"{name!r} cannot be used: {profile.refused}. Families that work: "
            + ", ".join(working_families())
        )


def _load(transformers: Any, name: str, device: str, dtype: Any) -> tuple[Any, Any]:
    try:
        processor = transformers.AutoProcessor.from_pretrained(name, local_files_only=True)
        model = transformers.AutoModelForImageTextToText.from_pretrained(
            name, local_files_only=True, dtype=dtype
        )
    except OSError as exc:
        where = "folder" if Path(name).exists() else "local Hugging Face cache"
        raise EngineUnavailableError(
            f"no usable model weights for {name!r} in the {where} ({_first_line(exc)}); "
            + WEIGHTS_HINT
        ) from None
    except ImportError as exc:  # a processor's own dependency (SmolVLM2's num2words)
        raise EngineUnavailableError(
            f"{name!r} needs a package that is not installed ({_first_line(exc)}); " + INSTALL_HINT
        ) from None
    except ValueError as exc:
        raise EngineUnavailableError(
            f"{name!r} is not a vision-language model transformers can load "
            f"({_first_line(exc)}); families that work: {', '.join(working_families())}"
        ) from None
    return processor, model.to(device).eval()


def _pick_device(torch: Any, device: str) -> str:
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise EngineUnavailableError(
            f"device {device!r} asked for, but no CUDA device is available"
        )
    return device


def _pick_dtype(torch: Any, dtype: str, device: str) -> Any:
    if dtype == "auto":
        return torch.bfloat16 if device.startswith("cuda") else torch.float32
    try:
        return getattr(torch, dtype)
    except AttributeError:
        raise EngineUnavailableError(f"unknown dtype {dtype!r}") from None


def _eos_ids(model: Any, tokenizer: Any) -> list[int]:
    eos = model.generation_config.eos_token_id
    if eos is None:
        eos = tokenizer.eos_token_id
    ids = eos if isinstance(eos, list) else [eos]
    return [int(i) for i in ids if i is not None]


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
