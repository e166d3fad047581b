"""Every ``xp.<name>`` used under headwater/ exists in CuPy's namespace.

NumPy has functions CuPy lacks; calling one would only fail on a GPU. This test
reads the source, so it catches them on the CPU. With CuPy importable it checks
against CuPy itself, else against ``cupy_names.txt`` (regenerate it with
``python scripts/gen_cupy_names.py``).
"""

from __future__ import annotations

import pathlib
import re

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "headwater"
NAMES_FILE = PACKAGE / "tensor" / "backend" / "cupy_names.txt"
USE = re.compile(r"\bxp\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)")


def _known_names() -> set[str]:
    lines = NAMES_FILE.read_text().splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def _used_names() -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for lineno, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            for match in USE.finditer(code):
                if match.group(1).startswith("__"):
                    continue  # module attributes such as xp.__name__ exist everywhere
                used.setdefault(match.group(1), []).append(f"{path.relative_to(PACKAGE.parent)}:{lineno}")
    return used


def _exists(dotted: str, known: set[str]) -> bool:
    head, _, tail = dotted.partition(".")
    if head not in known:
        return False
    has_children = any(name.startswith(head + ".") for name in known)
    if not tail or not has_children:
        return True  # attribute of a dtype or class, e.g. xp.float32.itemsize
    return f"{head}.{tail}" in known



def test_every_xp_name_exists_in_cupy():
    known = _known_names()
    try:
        import cupy

        def exists(dotted: str) -> bool:
            obj = cupy
            for part in dotted.split("."):
                if not hasattr(obj, part):
                    return _exists(dotted, known)
                obj = getattr(obj, part)
            return True
    except ImportError:

        def exists(dotted: str) -> bool:
            return _exists(dotted, known)

    missing = {name: where for name, where in _used_names().items() if not exists(name)}
    assert not missing, "NumPy-only names used through xp (not in CuPy): " + "; ".join(
        f"xp.{name} at {', '.join(where[:3])}" for name, where in sorted(missing.items())
    )


def test_the_checker_catches_a_numpy_only_name():
    known = _known_names()
    assert _exists("bincount", known)
    assert _exists("add.at", known)
    assert _exists("random.default_rng", known)
    assert not _exists("nanargmax_unicorn", known)
    assert not _exists("random.nonexistent_sampler", known)
