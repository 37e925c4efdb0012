from __future__ import annotations

import inspect
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_engine_author_names_live_in_docvlm_engines_and_the_old_ones_warn():
    import docvlm.engines

    assert sorted(set(docvlm.engines.__all__)) == sorted(docvlm.engines.__all__)
    for name in docvlm.engines.__all__:
        assert hasattr(docvlm.engines, name), name
    assert not {"Engine", "TileRequest", "EngineReply", "FoundRecord"} & set(docvlm.__all__)
    with pytest.warns(DeprecationWarning, match="docvlm.TileRequest moved to docvlm.engines"):
        assert docvlm.TileRequest is docvlm.engines.TileRequest
    assert not HEAVY & _modules_after("import docvlm.engines.options")


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


def test_pymupdf_markdown_converter_is_imported_on_first_use_only():
    # pymupdf imports pymupdf4llm for Page.to_markdown; docvlm never calls it, so it loads
    # when something does, and still works then.
    code = (
        "import sys\nimport docvlm\nd = docvlm.Document.open('fixtures/sales_table.pdf')\n"
        "d.page(1).words\nprint('pymupdf4llm' in sys.modules)\nimport pymupdf\n"
        "print(pymupdf.TOOLS.mupdf_display_errors(), pymupdf.TOOLS.mupdf_display_warnings())\n"
        "print(pymupdf.TOOLS.unset_quad_corrections())\n"
        "print(bool(pymupdf.pymupdf4llm), callable(pymupdf.pymupdf4llm.to_markdown))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    # MuPDF's own messages stay off standard output, where a command writes its records;
    # glyph boxes are read as the readers were measured with (quad corrections off).
    assert out.stdout.split() == ["False", "False", "False", "True", "True", "True"]


def test_lazy_names_resolve_to_the_objects_themselves():
    from docvlm.ask import AskResult  # importing the module docvlm.ask keeps docvlm.ask a function

    assert callable(docvlm.ask) and docvlm.AskResult is AskResult
    assert docvlm.Table is __import__("docvlm.schemas", fromlist=["Table"]).Table


def test_cli_names_every_builtin_schema():
    from docvlm.cli import SCHEMA_NAMES
    from docvlm.schemas import BUILTIN_SCHEMAS

    assert list(SCHEMA_NAMES) == list(BUILTIN_SCHEMAS)


def _package_imports() -> dict[str, set[str]]:
    """Each module of docvlm and the docvlm modules it imports anywhere: at the top, inside
    functions and under TYPE_CHECKING (each is a dependency, however late it is loaded)."""
    import ast

    root = Path(docvlm.__file__).parent
    modules: dict[str, Path] = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    child = f"{node.module}.{alias.name}"
                    imported.add(child if child in modules else node.module)
        graph[name] = {m for m in imported if m in modules and m != name}
    return graph


def test_the_import_graph_has_no_cycle():
    from graphlib import CycleError, TopologicalSorter

    graph = _package_imports()
    assert "docvlm.provenance" in graph and "docvlm.merge.readings" in graph
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        raise AssertionError(f"import cycle: {' -> '.join(exc.args[1])}") from None


def test_the_layers_contract_names_every_module():
    import re

    import tomllib

    config = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c["type"] == "layers")
    named = {name for layer in layers for name in re.split(r"[|:]", layer.replace(" ", ""))}
    top = {m.split(".")[1] for m in _package_imports() if m.count(".") >= 1}
    assert named == top
