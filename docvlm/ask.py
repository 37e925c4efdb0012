"""ask(): free-form questions about a document, answered page by page by a model engine."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import Field, create_model

from docvlm.cache import AnswerCache
from docvlm.document import Source
from docvlm.engines.base import Engine
from docvlm.pages import PageSpec
from docvlm.pipeline import ProgressCallback, extract
from docvlm.result import PageError
from docvlm.schemas.base import Record
from docvlm.tiling import TileOptions

NOT_FOUND = "not found"
# Whole pages go to the model in one image; its processor resizes them to its input size.
WHOLE_PAGE = 1_000_000


class Answer(Record):
    """A free-form answer to a question about one page."""

    schema_name: ClassVar[str] = "answer"
    needs_model: ClassVar[str] = "questions"
    answer: str = Field(
        max_length=2000,
        description=f"The answer, as the page states it; '{NOT_FOUND}' when the page does not say",
    )


@dataclass(frozen=True)
class PageAnswer:
    page: int
    answer: str

    @property
    def found(self) -> bool:
        return self.answer.strip().lower() not in ("", NOT_FOUND)


@dataclass
class AskResult:
    """The answers to one question: one per page, and the document's."""

    source: str
    question: str
    pages: list[PageAnswer] = field(default_factory=list)
    errors: list[PageError] = field(default_factory=list)
    usage: dict[str, int] = field(default_factory=dict)

    @property
    def answer(self) -> str | None:
        """The document's answer: that of the first page that has one, else 'not found';
        None when no page could be asked (every page failed: ``errors`` says why)."""
        if not self.pages:
            return None
        return next((p.answer for p in self.pages if p.found), NOT_FOUND)

    @property
    def page(self) -> int | None:
        """The page the document's answer comes from."""
        return next((p.page for p in self.pages if p.found), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "question": self.question,
            "answer": self.answer,
            "page": self.page,
            "pages": [{"page": p.page, "answer": p.answer} for p in self.pages],
            "errors": [e.model_dump() for e in self.errors],
            "usage": self.usage,
        }


def ask(
    source: Source,
    question: str,
    engine: str | Engine = "transformers",
    pages: PageSpec = None,
    *,
    password: str | None = None,
    dpi: float = 150.0,
    engine_options: dict[str, Any] | None = None,
    strict: bool = False,
    progress: ProgressCallback | None = None,
    cache: bool | str | os.PathLike[str] | AnswerCache | None = True,
) -> AskResult:
    """Ask ``question`` of every selected page; ``.pages`` has each answer, ``.answer`` the
    document's (the first page that answers). Needs a model engine (transformers, openai,
    anthropic)."""
    question = " ".join(question.split())
    if not question:
        raise ValueError("the question is empty")
    schema = _answer_schema(question)
    result = extract(
        source,
        schema=schema,
        engine=engine,
        pages=pages,
        password=password,
        tiles=TileOptions(dpi=dpi, tile_size=WHOLE_PAGE),
        engine_options=engine_options,
        strict=strict,
        progress=progress,
        cache=cache,
    )
    answers: dict[int, str] = {}
    for item in result.items:
        answers.setdefault(item.provenance.page, item.record.answer)
    failed = {error.page for error in result.errors}
    pages_done = [
        PageAnswer(number, answers.get(number, NOT_FOUND))
        for number in result.page_numbers
        if number not in failed
    ]
    return AskResult(result.source, question, pages_done, result.errors, result.usage)


def _answer_schema(question: str) -> type[Answer]:
    model: type[Answer] = create_model("Answer", __base__=Answer)
    model.task = (
        f"Answer this question from the page image, briefly and exactly as the page states it: "
        f"{question!r}. If the page does not answer it, answer '{NOT_FOUND}'."
    )
    model.schema_name = "answer"
    return model
