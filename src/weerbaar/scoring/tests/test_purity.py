"""weerbaar.scoring is pure Python: no Django, so it can be reasoned about, tested and reused alone."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
SRC = PACKAGE.parent.parent


def test_importing_the_package_loads_no_django_module() -> None:
    program = (
        "import sys\n"
        "import weerbaar.scoring, weerbaar.scoring.examples\n"
        "from weerbaar.scoring.examples import EXAMPLES\n"
        "for process in EXAMPLES.values(): weerbaar.scoring.score(process).explanation\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
        "print('weerbaar.scoring.model' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        cwd=SRC,
        env={"PYTHONPATH": str(SRC)},
        timeout=60,
    )
    loaded, model_loaded = done.stdout.splitlines()
    assert model_loaded == "True"  # the check ran against the real package
    assert loaded == "[]"


def _imported_modules(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
            names += [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
    return names


def test_no_module_of_the_model_imports_django_or_another_weerbaar_app() -> None:
    sources = list(PACKAGE.rglob("*.py"))  # the tests too: they must run without Django as well
    assert {path.name for path in sources} >= {"__init__.py", "model.py", "parameters.py", "inputs.py", "results.py"}
    for path in sources:
        for name in _imported_modules(path):
            assert name.split(".")[0] != "django", f"{path.name} imports {name}"
            if name.startswith("weerbaar"):
                assert name.startswith("weerbaar.scoring"), f"{path.name} imports {name}"


def test_the_ast_check_would_see_a_django_import(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("from django.utils import timezone\nimport django.conf as c\n__import__('django')\n")
    assert _imported_modules(sneaky) == ["django.utils", "django.conf", "django"]
