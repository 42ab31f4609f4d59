"""`make audit`: pip-audit over the project's environment, with a verdict that stays honest offline.

pip-audit asks an advisory service about every installed package. When the service cannot be reached, or knows
none of the packages (a registry mirror without that metadata), nothing was audited: this says so with the
reason and exits 0, so that an offline machine is not blocked. A known vulnerability exits 1 and names it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys


def verdict(report_json: str, stderr: str) -> tuple[int, str]:
    """(exit code, message) from pip-audit's JSON report and its stderr."""
    try:
        report = json.loads(report_json) if report_json.strip() else None
    except json.JSONDecodeError:
        report = None
    if not isinstance(report, dict):
        last = next((line.strip() for line in reversed(stderr.splitlines()) if line.strip()), "no output")
        return 0, f"audit skipped: the advisory database could not be reached ({last[:200]})"
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    if vulnerable:
        lines = [
            f"  {d['name']} {d['version']}: {v['id']} (fixed in {', '.join(v.get('fix_versions') or ['no release yet'])})"
            for d in vulnerable
            for v in d["vulns"]
        ]
        return 1, "known vulnerabilities:\n" + "\n".join(lines)
    if not audited:
        return 0, (
            f"audit skipped: the advisory database knows none of the {len(dependencies)} installed packages "
            "(an offline mirror?), so nothing was checked"
        )
    skipped = len(dependencies) - len(audited)
    return 0, f"no known vulnerabilities in {len(audited)} packages" + (
        f" ({skipped} could not be checked)" if skipped else ""
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Audit the installed packages with pip-audit; skipped with a note when the advisory "
        "database cannot be reached."
    )
    parser.add_argument("--service", choices=["pypi", "osv"], default="pypi", help="pip-audit's advisory service")
    args = parser.parse_args(argv)
    command = [
        sys.executable, "-m", "pip_audit", "--skip-editable", "--progress-spinner", "off", "--format", "json",
        "--vulnerability-service", args.service, "--timeout", "15",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if "No module named pip_audit" in result.stderr:
        print("pip-audit is not installed: run `make install`")
        return 2
    code, message = verdict(result.stdout, result.stderr)
    print(message)
    return code


if __name__ == "__main__":
    sys.exit(main())
