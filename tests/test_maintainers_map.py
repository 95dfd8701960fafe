"""lib/descent/README.md, the maintainers' map, has one line for every module of the package, and no line for
a module that is gone."""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "lib" / "descent"


def test_the_map_lists_every_module_once_and_nothing_else():
    modules = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")}
    listed = re.findall(r"(?m)^([\w/]+\.py)\s", (PACKAGE / "README.md").read_text(encoding="utf-8"))
    assert not modules - set(listed), f"modules missing from lib/descent/README.md: {sorted(modules - set(listed))}"
    assert not set(listed) - modules, f"lib/descent/README.md lists modules that do not exist: {sorted(set(listed) - modules)}"
    repeated = sorted({name for name in listed if listed.count(name) > 1})
    assert not repeated, f"lib/descent/README.md lists these modules more than once: {repeated}"
