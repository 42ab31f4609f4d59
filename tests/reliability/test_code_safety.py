"""Case 8: nothing in rag/ or ui/ can unpickle a file; case 20: dependency floors above known advisories, and
`make audit` that says so when the advisory database cannot be reached."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from helpers import REPO

SOURCES = sorted([*(REPO / "rag").rglob("*.py"), *(REPO / "ui").rglob("*.py")])
FORBIDDEN_TEXT = re.compile(
    r"pickle\.loads?\b|torch\.load\b|allow_dangerous_deserialization|allow_pickle\s*=\s*True|"
    r"joblib\.load\b|dill\.loads?\b|cloudpickle|marshal\.loads?\b|shelve\.open\b|weights_only\s*=\s*False"
)
UNPICKLING_MODULES = {"pickle", "_pickle", "cPickle", "dill", "cloudpickle", "joblib", "shelve", "marshal"}
AUDIT = REPO / "tests" / "reliability" / "audit_dependencies.py"


# -- case 8 ------------------------------------------------------------------------------------------------------


def test_case_08_no_unpickling_anywhere_in_rag_or_ui():
    assert len(SOURCES) > 20
    found = []
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(REPO)
        for match in FORBIDDEN_TEXT.finditer(text):
            found.append(f"{name}:{text.count(chr(10), 0, match.start()) + 1}: {match.group()}")
        for node in ast.walk(ast.parse(text, filename=str(path))):
            if isinstance(node, ast.Import):
                found += [f"{name}:{node.lineno}: import {a.name}" for a in node.names
                          if a.name.split(".")[0] in UNPICKLING_MODULES]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in UNPICKLING_MODULES:
                found.append(f"{name}:{node.lineno}: from {node.module} import ...")
            elif isinstance(node, ast.Call):
                for keyword in node.keywords:  # np.load(..., allow_pickle=<anything but False>)
                    if keyword.arg == "allow_pickle" and not (
                        isinstance(keyword.value, ast.Constant) and keyword.value.value is False
                    ):
                        found.append(f"{name}:{node.lineno}: allow_pickle={ast.unparse(keyword.value)}")
    assert found == [], "\n".join(found)


def test_case_08_the_bm25_arrays_are_read_without_pickle():
    tree = ast.parse((REPO / "rag" / "index.py").read_text(encoding="utf-8"))
    loads = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and ast.unparse(node.func) == "bm25s.BM25.load"]
    assert loads
    for call in loads:
        options = {k.arg: k.value for k in call.keywords}
        assert isinstance(options.get("allow_pickle"), ast.Constant) and options["allow_pickle"].value is False


# -- case 20 -----------------------------------------------------------------------------------------------------

# package -> the lowest version the project may use, and why
FLOORS = {
    "gradio": ("6.16", "file-serving, upload and path-traversal advisories fixed before 6.16"),
    "pypdf": ("7.1", "LimitReachedError and the Configuration limits against decompression bombs and loops"),
}


def _requirements() -> dict[str, Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = {}
    for line in [*project["dependencies"], *project["optional-dependencies"]["dev"]]:
        requirement = Requirement(line)
        found[requirement.name.lower()] = requirement
    return found


@pytest.mark.parametrize("package", sorted(FLOORS))
def test_case_20_dependency_floors_are_above_known_advisories(package):
    floor, why = FLOORS[package]
    requirement = _requirements()[package]
    lowest = [Version(s.version) for s in requirement.specifier if s.operator in (">=", "==", "~=")]
    assert lowest and min(lowest) >= Version(floor), f"{requirement}: needs >= {floor} ({why})"
    installed = Version(metadata.version(package))
    assert requirement.specifier.contains(installed, prereleases=True), (package, installed)


def test_case_20_pypdf_has_the_limits_ingest_relies_on():
    from pypdf import Configuration, apply_configuration
    from pypdf.errors import LimitReachedError

    from rag import ingest

    assert issubclass(LimitReachedError, Exception)
    for name in ingest._PDF_OUTPUT_LIMITS:
        assert hasattr(Configuration, name), name
    with apply_configuration(zlib_maximum_output_length=1):
        pass


def test_case_20_pip_audit_is_a_dev_dependency_and_make_audit_runs_it():
    assert "pip-audit" in _requirements()
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^audit:", makefile, re.MULTILINE) and "audit_dependencies.py" in makefile


@pytest.mark.parametrize(
    ("report", "stderr", "code", "expected"),
    [
        ({"dependencies": [{"name": "a", "version": "1", "vulns": []}]}, "", 0, "no known vulnerabilities in 1"),
        ({"dependencies": [{"name": "a", "version": "1", "vulns": [{"id": "GHSA-x", "fix_versions": ["2"]}]}]},
         "", 1, "GHSA-x"),
        ({"dependencies": [{"name": "a", "version": "1", "skip_reason": "Dependency not found on PyPI"}]},
         "", 0, "skipped"),
        (None, "requests.exceptions.ConnectionError: Failed to resolve", 0, "skipped"),
    ],
    ids=["clean", "vulnerable", "database-without-the-packages", "database-unreachable"],
)
def test_case_20_the_audit_verdict(tmp_path, report, stderr, code, expected):
    """What `make audit` concludes from pip-audit's output (pip-audit itself needs the network; not run here)."""
    sys.path.insert(0, str(AUDIT.parent))
    try:
        from audit_dependencies import verdict
    finally:
        sys.path.remove(str(AUDIT.parent))
    returned, message = verdict(json.dumps(report) if report is not None else "", stderr)
    assert returned == code and expected in message, (returned, message)


def test_case_20_the_audit_script_runs(tmp_path):
    result = subprocess.run([sys.executable, str(AUDIT), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "pip-audit" in result.stdout
