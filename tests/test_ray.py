"""docvlm.ray on a local Ray cluster: the dataset equals the command's long output."""

from __future__ import annotations

import pytest

ray = pytest.importorskip("ray")
pq = pytest.importorskip("pyarrow.parquet")

from docvlm.cli import main  # noqa: E402
from docvlm.long_layout import arrow_schema  # noqa: E402

pytestmark = pytest.mark.slow
INPUTS = ["sales_table.pdf", "report_3pages.pdf", "chart_bar.png"]


@pytest.fixture(scope="session")
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _sorted_rows(table) -> list[dict]:
    rows = table.to_pylist()
    return sorted(rows, key=lambda r: (r["source"], r["page"], r["record"], r["path"]))


def test_extract_dataset_equals_the_long_output_of_the_command(cluster, fixtures, tmp_path):
    import pyarrow as pa

    from docvlm.ray import extract_dataset

    paths = [str(fixtures / name) for name in INPUTS]
    out = tmp_path / "long.parquet"
    assert main(["extract", "--no-progress", *paths, "--layout", "long", "-o", str(out)]) == 0
    expected = pq.read_table(out)

    # Two actors of half a CPU each leave a CPU for the file reads.
    dataset = extract_dataset(paths, schema="table", concurrency=2, num_cpus=0.5)
    got = pa.concat_tables(ray.get(dataset.to_arrow_refs()))
    assert got.schema.remove_metadata() == arrow_schema()
    assert expected.num_rows > 20 and {r["source"] for r in got.to_pylist()} == set(paths[:2])
    assert _sorted_rows(got) == _sorted_rows(expected)
