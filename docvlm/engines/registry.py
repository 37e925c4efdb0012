"""Engines by name: the registry, engine specs, and building an engine from its options.

``get_engine(name, **options)`` builds the engine registered as ``name``. An
``EngineSpec(name, options)`` is the same request as a value: frozen, picklable, its
options validated when it is made, so a worker process can build its own engine::

    spec = EngineSpec("openai", {"model": "gpt-4o", "timeout": "30"})
    spec.options.timeout        # 30.0: validated by the engine's options model
    engine = spec.build()       # or get_engine(spec); in any process

The four built-in engines (``native``, ``transformers``, ``openai``, ``anthropic``) are
imported only when first built; their options models (:mod:`docvlm.engines.options`) are
known without importing them. Third parties add engines with :func:`register_engine` or
through the ``docvlm.engines`` entry-point group; each names a factory. A factory that is
an :class:`~docvlm.engines.base.Engine` subclass with an ``options_model`` is called with
its validated options; any other is called with keyword options, checked against its
signature. An engine that does not subclass ``Engine`` (docvlm 0.1's protocol) is wrapped
so that the base class's defaults apply. A worker process finds the built-in engines and
those of entry points by name; one added with ``register_engine`` must be added there too.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any

from pydantic import BaseModel

from docvlm.engines.base import (
    Engine,
    EngineFactory,
    EngineProtocol,
    EngineReply,
    TileRequest,
)
from docvlm.engines.options import BUILTIN_OPTIONS, EngineOptions, validate_options
from docvlm.errors import EngineOptionError, EngineUnavailableError

ENTRY_POINT_GROUP = "docvlm.engines"
AUTO = "auto"  # extract(ocr=): as the engine's options say
_REGISTRY: dict[str, EngineFactory] = {}
# Engines that ship with docvlm, imported only when first built.
_BUILTIN = {
    "native": "docvlm.engines.native:NativeEngine",
    "transformers": "docvlm.engines.transformers:TransformersEngine",
    "openai": "docvlm.engines.openai:OpenAIEngine",
    "anthropic": "docvlm.engines.anthropic:AnthropicEngine",
}


@dataclass(frozen=True)
class EngineSpec:
    """An engine by name with its options, validated when the spec is made (an
    :class:`~docvlm.errors.EngineOptionError` names the option at fault). ``options`` is
    the engine's options model, or a dict for an engine without one. Pickles; ``build()``
    makes the engine."""

    name: str
    options: EngineOptions | Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        checked = _checked_options(self.name, _factory(self.name), self.options)
        object.__setattr__(self, "options", checked)

    def build(self) -> Engine:
        factory = _factory(self.name)
        if isinstance(self.options, EngineOptions):
            built = factory(self.options)
        else:
            built = factory(**self.options)
        return built if isinstance(built, Engine) else _Adapted(built)


def register_engine(name: str, factory: EngineFactory) -> None:
    """Make ``factory`` available as ``engine=name``."""
    _REGISTRY[name] = factory


def available_engines() -> list[str]:
    _load_entry_points()
    return sorted(_REGISTRY)


def get_engine(engine: str | EngineSpec | Engine | EngineProtocol, **options: Any) -> Engine:
    """The engine registered as ``engine``, built with ``options``; a spec, built; an
    engine instance as it is (wrapped when it does not subclass Engine)."""
    if isinstance(engine, str):
        return EngineSpec(engine, options).build()
    if options:
        raise EngineOptionError(
            f"options ({', '.join(options)}) given with an engine already built: name the "
            "engine, or build it with them"
        )
    if isinstance(engine, EngineSpec):
        return engine.build()
    return engine if isinstance(engine, Engine) else _Adapted(engine)


def build_engine(
    engine: str | EngineSpec | Engine | EngineProtocol,
    options: Mapping[str, Any] | None = None,
    ocr: str | None = AUTO,
) -> tuple[Engine, str | None]:
    """The engine to run, and the OCR backend values are grounded in. ``ocr`` (unless
    ``"auto"``) is the engine's ``ocr`` option, validated as such."""
    options = dict(options or {})
    if ocr != AUTO:
        name = engine if isinstance(engine, str) else "the"
        ocr = validate_options(name, EngineOptions, {"ocr": ocr}).ocr
        if options.get("ocr", ocr) != ocr:
            raise EngineOptionError(
                f"ocr={ocr!r} and engine option ocr={options['ocr']!r} differ: give one"
            )
        if isinstance(engine, EngineSpec) and isinstance(engine.options, EngineOptions):
            engine = EngineSpec(engine.name, engine.options.model_copy(update={"ocr": ocr}))
        elif isinstance(engine, str) and options_model(engine) is not None:
            options["ocr"] = ocr
    runner = get_engine(engine, **options)
    return runner, runner.ocr if ocr == AUTO else ocr


def options_model(name: str) -> type[EngineOptions] | None:
    """The options model of the engine registered as ``name`` (None for a third-party
    engine without one)."""
    return _options_model(_factory(name))


def _factory(name: str) -> EngineFactory:
    if name not in _REGISTRY:
        _load_entry_points()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise EngineUnavailableError(
            f"unknown engine {name!r}; available: {', '.join(available_engines())}"
        ) from None


def _options_model(factory: EngineFactory) -> type[EngineOptions] | None:
    if isinstance(factory, _Lazy):
        return factory.options_model
    if isinstance(factory, type) and issubclass(factory, Engine):
        return factory.options_model
    return None


def _checked_options(
    name: str, factory: EngineFactory, options: EngineOptions | Mapping[str, Any]
) -> EngineOptions | dict[str, Any]:
    model = _options_model(factory)
    if model is not None:
        return validate_options(name, model, options)
    if isinstance(options, EngineOptions):
        options = options.model_dump(exclude_unset=True)
    try:  # no options model: the factory's signature says what it takes
        inspect.signature(factory).bind(**options)
    except TypeError as exc:
        raise EngineOptionError(f"engine {name!r} does not take these options: {exc}") from None
    except ValueError:  # no signature to check (a builtin): let the call decide
        pass
    return dict(options)


def _load_entry_points() -> None:
    for name, target in _BUILTIN.items():
        if name not in _REGISTRY:
            _REGISTRY[name] = _Lazy(target, BUILTIN_OPTIONS[name])
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.name in _REGISTRY:
            continue
        try:
            _REGISTRY[entry.name] = entry.load()
        except Exception as exc:  # a broken plug-in must not break docvlm itself
            message = f"engine {entry.name!r} ({entry.value}) failed to load: {exc}"
            _REGISTRY[entry.name] = _unavailable(message)


class _Lazy:
    """A built-in engine's factory: imports the engine class only when first called."""

    def __init__(self, path: str, options_model: type[EngineOptions]) -> None:
        self.path = path
        self.options_model = options_model

    def __call__(self, options: EngineOptions) -> Engine:
        module, _, attribute = self.path.partition(":")
        engine: Engine = getattr(import_module(module), attribute)(options)
        return engine


def _unavailable(message: str) -> EngineFactory:
    def factory(**_: Any) -> Engine:
        raise EngineUnavailableError(message)

    return factory


class _Adapted(Engine):
    """An engine that does not subclass :class:`Engine`, given the base class's defaults
    for what it lacks. The one place optional methods are looked up by name."""

    def __init__(self, engine: EngineProtocol) -> None:
        self.engine = engine
        self.name = engine.name
        self.capabilities = engine.capabilities

    @property
    def notices(self) -> Iterable[str]:  # type: ignore[override]
        return getattr(self.engine, "notices", ())

    @property
    def ocr(self) -> str | None:
        return getattr(self.engine, "ocr", super().ocr)

    def run(self, request: TileRequest) -> EngineReply:
        return self.engine.run(request)

    def run_batch(self, requests: Sequence[TileRequest]) -> list[EngineReply | Exception]:
        batch = getattr(self.engine, "run_batch", None)
        return list(batch(requests)) if batch is not None else super().run_batch(requests)

    def supports(self, model: type[BaseModel]) -> str | None:
        supports = getattr(self.engine, "supports", None)
        return (supports(model) if supports is not None else None) or super().supports(model)

    def cache_identity(self) -> dict[str, Any] | None:
        identify = getattr(self.engine, "cache_identity", None)
        return identify() if identify is not None else None
