"""Bring chapter notebooks to the course's conventions (see ``tools/notebook_rules.py`` and README,
"How a chapter is made"), in place.

    python tools/normalize_notebooks.py                 # every notebook under chapters/
    python tools/normalize_notebooks.py chapters/04_adagrad.ipynb
    python tools/normalize_notebooks.py --check         # change nothing; list the notebooks that differ

It sets the one kernelspec, clears outputs, execution counts, saved widget state and front-end metadata
(what JupyterLab adds when it saves), collapses the source of cells tagged ``remove-cell`` or ``hide-input``,
tags the hidden checks of the exercises ``solution``, writes the JupyterLab caption cell after each numbered
figure (with the chapter's number from ``_toc.yml``), gives every cell an id, and writes nbformat's layout.
``make normalize`` runs it on every chapter; ``tests/test_notebooks.py`` fails on a notebook it would change.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
import yaml

import notebook_rules

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: chapters/*.ipynb")
    parser.add_argument("--check", action="store_true", help="only report notebooks that would change")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "chapters").glob("*.ipynb"))
    numbers = notebook_rules.chapter_numbers(yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8")))
    differing = []
    for path in paths:
        before = path.read_text(encoding="utf-8")
        number = numbers.get(path.resolve().relative_to(ROOT).with_suffix("").as_posix())
        after = notebook_rules.text(notebook_rules.normalize(nbformat.reads(before, as_version=4), number))
        if after != before:
            differing.append(path)
            if not args.check:
                path.write_text(after, encoding="utf-8")
    verb = "would change" if args.check else "normalised"
    for path in differing:
        print(f"{verb}: {path}")
    return 1 if (args.check and differing) else 0


if __name__ == "__main__":
    sys.exit(main())
