from __future__ import annotations

import inspect
import pickle
import subprocess
import sys
from pathlib import Path

import docvlm
from docvlm import errors


def test_import_docvlm_does_not_import_model_runtimes():
    code = (
        "import sys, docvlm; bad = [m for m in ('torch', 'transformers', 'httpx', 'openai')"
        " if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_name_in_all_exists():
    assert sorted(set(docvlm.__all__)) == sorted(docvlm.__all__)
    for name in docvlm.__all__:
        assert hasattr(docvlm, name), name


def test_public_errors_have_docstrings_and_pickle():
    classes = [
        c
        for _, c in inspect.getmembers(errors, inspect.isclass)
        if issubclass(c, errors.DocvlmError)
    ]
    assert len(classes) >= 10
    for cls in classes:
        assert cls.__doc__ and cls.__doc__.strip(), cls.__name__
        assert issubclass(cls, errors.DocvlmError)
        error = cls("something went wrong", "file.pdf")
        clone = pickle.loads(pickle.dumps(error))
        assert type(clone) is cls and str(clone) == "file.pdf: something went wrong"
        assert clone.path == "file.pdf"


def test_layering_contract_holds():
    lint = subprocess.run(
        [sys.executable, "-m", "importlinter.cli", "--no-cache"], capture_output=True, text=True
    )
    if "No module named" in lint.stderr:
        import pytest

        pytest.skip("import-linter is not installed")
    assert lint.returncode == 0, lint.stdout + lint.stderr


def _modules_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


HEAVY = {"pandas", "pymupdf", "PIL", "numpy", "pyarrow", "rapidocr", "tesserocr", "tqdm"}
HEAVY |= {"torch", "transformers", "onnxruntime", "cv2", "httpx", "matplotlib", "ray"}


def test_import_docvlm_and_the_help_load_nothing_heavy():
    # What makes `docvlm --help` and `import docvlm` slow is imported on first use only.
    assert not HEAVY & _modules_after("import docvlm")
    assert not HEAVY & _modules_after(
        "from docvlm.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    )
    listed = _modules_after("from docvlm.cli import main\nmain(['schemas'])")
    assert not HEAVY & listed, HEAVY & listed


def test_pymupdf_layout_model_loads_with_the_first_table_only():
    assert "pymupdf" in _modules_after("import sys\nfrom docvlm import Document")
    code = (
        "import docvlm\nd = docvlm.Document.open('fixtures/sales_table.pdf')\n"
        "d.page(1).words\nprint('layout' if 'pymupdf.layout' in sys.modules else 'none')"
    )
    out = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    assert out.stdout.split()[0] == "none"


def test_lazy_names_resolve_to_the_objects_themselves():
    from docvlm.ask import AskResult  # importing the module docvlm.ask keeps docvlm.ask a function

    assert callable(docvlm.ask) and docvlm.AskResult is AskResult
    assert docvlm.Table is __import__("docvlm.schemas", fromlist=["Table"]).Table


def test_cli_names_every_builtin_schema():
    from docvlm.cli import SCHEMA_NAMES
    from docvlm.schemas import BUILTIN_SCHEMAS

    assert list(SCHEMA_NAMES) == list(BUILTIN_SCHEMAS)
