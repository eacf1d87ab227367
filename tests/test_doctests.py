"""The examples in docstrings are tests too: every module of these packages that shows one runs.

Add a package to PACKAGES to have its doctests run; a module is picked up as soon as its
source holds an example (``>>>``), and fails if none of them ran (a typo in the prompt, an
example outside any docstring) or if one gives another result.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil

import pytest

PACKAGES = ("kwali.agreement",)


def modules_with_examples() -> list[str]:
    found = []
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        names = [package_name] + [
            info.name for info in pkgutil.walk_packages(package.__path__, f"{package_name}.")
        ]
        found += [
            name for name in names if ">>>" in inspect.getsource(importlib.import_module(name))
        ]
    return found


MODULES = modules_with_examples()


def test_there_are_examples_to_run():
    assert MODULES, f"no doctests found in {', '.join(PACKAGES)}"


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name, record_property):
    """As ``python -m doctest`` runs them (no option flags); the report shows what failed."""
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner()
    report: list[str] = []
    failed = attempted = 0
    for test in doctest.DocTestFinder().find(module, name):
        result = runner.run(test, out=report.append)
        failed, attempted = failed + result.failed, attempted + result.attempted
    record_property("doctest_examples", attempted)
    print(f"{name}: {attempted} examples, {failed} failed")  # shown with -rP
    assert attempted > 0, f"{name} shows examples (>>>) but none of them ran"
    assert failed == 0, f"{failed} of {attempted} examples failed:\n" + "".join(report)
