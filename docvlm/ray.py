"""Many machines: documents to the long layout as a Ray Data ``Dataset``.

:func:`extract_dataset` reads files with ``ray.data.read_binary_files`` (local folders,
``s3://``, ``gs://``: whatever Ray's filesystems read) and extracts them in a pool of
actors, each of which builds its engine once and caps its native threads at the CPUs Ray
gives it. Every block has the long layout's fixed Arrow schema (``docvlm.long_layout``),
so the dataset writes to Parquet as it is. Ray is an optional dependency
(``pip install 'docvlm[ray]'``), imported when this module is.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import ray.data

from docvlm.batch import build_engine
from docvlm.errors import DocvlmError
from docvlm.long_layout import arrow_schema, long_rows
from docvlm.threads import cap_threads

if TYPE_CHECKING:
    import pyarrow as pa

    from docvlm.schemas import SchemaSpec

log = logging.getLogger("docvlm")

# The suffixes read from a folder (as the command's folder expansion).
FILE_EXTENSIONS = ["pdf", "png", "jpg", "jpeg", "tif", "tiff", "webp", "bmp", "gif"]


def extract_dataset(
    paths_or_dataset: str | Sequence[str] | ray.data.Dataset,
    schema: SchemaSpec = "table",
    engine: str = "native",
    engine_options: dict[str, Any] | None = None,
    concurrency: int | tuple[int, int] | None = None,
    num_cpus: float = 1,
    **extract_options: Any,
) -> ray.data.Dataset:
    """The long layout of every document in ``paths_or_dataset`` (files, folders or a
    dataset with ``bytes`` and ``path`` columns, as ``read_binary_files(...,
    include_paths=True)`` gives), extracted by ``concurrency`` actors [Ray's choice] of
    ``num_cpus`` CPUs each. ``extract_options`` go to :func:`docvlm.extract` (``pages``,
    ``tiles``, ``merge_pages``, ``cache``...). A file that cannot be read gives no rows and
    a warning in the actor's log."""
    if isinstance(paths_or_dataset, ray.data.Dataset):
        files = paths_or_dataset
    else:
        paths = paths_or_dataset if isinstance(paths_or_dataset, str) else list(paths_or_dataset)
        files = ray.data.read_binary_files(
            paths, include_paths=True, file_extensions=FILE_EXTENSIONS
        )
    return files.map_batches(
        Extractor,
        fn_constructor_kwargs={
            "schema": schema,
            "engine": engine,
            "engine_options": engine_options or {},
            "threads": max(1, int(num_cpus)),
            "extract_options": extract_options,
        },
        batch_size=1,  # a document is the unit of work: spread them over every actor
        batch_format="numpy",
        concurrency=concurrency,
        num_cpus=num_cpus,
    )


class Extractor:
    """A Ray actor's extraction: the engine is built once, when the actor starts."""

    def __init__(
        self,
        schema: SchemaSpec,
        engine: str,
        engine_options: dict[str, Any],
        threads: int,
        extract_options: dict[str, Any],
    ) -> None:
        cap_threads(threads)
        self.schema = schema
        self.engine = build_engine(engine, engine_options)
        self.options = extract_options

    def __call__(self, batch: dict[str, Any]) -> pa.Table:
        import pyarrow as pa

        from docvlm.pipeline import extract

        results = []
        for data, path in zip(batch["bytes"], batch["path"], strict=True):
            stream = io.BytesIO(bytes(data))
            stream.name = str(path)  # the name the records' source column shows
            try:
                results.append(extract(stream, self.schema, self.engine, **self.options))
            except DocvlmError as exc:
                log.warning("%s", exc)
        return pa.Table.from_pylist(long_rows(results), schema=arrow_schema())
