from __future__ import annotations

import inspect
import pickle
import subprocess
import sys

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
