"""A notebook run end to end in a real kernel: extract, display, typed frame, chart plot."""

from __future__ import annotations

import ast
import base64
import io
import json
import sys
from pathlib import Path

import pytest

from tests.conftest import SALES

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "tests" / "notebooks" / "table_and_chart.ipynb"
KERNEL = "docvlm-test"


@pytest.fixture
def kernel(tmp_path, monkeypatch):
    """A kernel spec for this interpreter (the test's virtual environment), importing
    docvlm from this checkout, with Jupyter's files kept in ``tmp_path``."""
    spec = tmp_path / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "docvlm tests",
                "language": "python",
                "env": {
                    "PYTHONPATH": str(ROOT),
                    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
                },
            }
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    return KERNEL


def _outputs(cell, kind: str) -> list:
    return [o["data"][kind] for o in cell.outputs if kind in o.get("data", {})]


def test_the_notebook_runs_end_to_end(kernel):
    import nbformat
    from nbclient import NotebookClient
    from PIL import Image

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook, kernel_name=kernel, timeout=120, resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    _, display, dtypes, total, plot = notebook.cells
    (page,) = _outputs(display, "text/html")
    assert "<th>records</th><td>1 table</td>" in page
    for row in SALES:
        assert all(f">{cell}</t" in page for cell in row)
    (printed,) = _outputs(dtypes, "text/plain")
    types = ast.literal_eval(printed)
    assert list(types) == SALES[0] and [types[q] for q in SALES[0][1:]] == ["float64"] * 4
    assert float(_outputs(total, "text/plain")[0]) == pytest.approx(2 * 58.5)
    (png,) = _outputs(plot, "image/png")
    width, height = Image.open(io.BytesIO(base64.b64decode(png))).size
    assert width > 200 and height > 150
