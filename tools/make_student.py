"""Write the chapters without their solutions, for handing out (``make student``).

    python tools/make_student.py                       # into _build/student/chapters/
    python tools/make_student.py --out handout/ chapters/01_gradient_descent.ipynb

Each copy is the chapter with every ``{solution}`` directive removed and without the hidden checks tagged
``solution`` (they check what a solution says); everything else is kept, so the copies run as the chapters do
and each exercise's checker says "not implemented yet" until the student writes the code. The copies are
normalised like the chapters (no outputs). ``tests/test_exercises.py`` makes and runs them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

import notebook_rules

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "_build" / "student" / "chapters"


def chapters_in_toc() -> list:
    """The chapter notebooks listed in _toc.yml, in order."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = []

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts", toc.get("chapters", [])))
    return [ROOT / f"{name}.ipynb" for name in files if (ROOT / f"{name}.ipynb").is_file()]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every chapter in _toc.yml")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"default: {DEFAULT_OUT.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in args.notebooks or chapters_in_toc():
        nb = nbformat.read(path, as_version=4)
        copy = notebook_rules.student_copy(nb)
        target = args.out / path.name
        target.write_text(notebook_rules.text(copy), encoding="utf-8")
        removed = len(notebook_rules.solutions(nb))
        print(f"{target}  ({removed} solutions removed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
