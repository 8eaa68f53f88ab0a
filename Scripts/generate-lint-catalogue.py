#!/usr/bin/env python3
"""Regenerates the `cors lint` catalogue in Docs/cors/lint-catalogue.md from real output.

For every rule, in the order the sources declare them (CORSPolicyProblem.Code, then
CORSPolicyFinding.Code.configurationCodes), it runs

    cors lint --json Docs/lint-catalogue/CODE.json

and writes the bad policy, and the message and fix of each finding, between the markers
<!-- lint-catalogue:start --> and <!-- lint-catalogue:end -->.

Usage: swift build --product cors && Scripts/generate-lint-catalogue.py [path/to/cors]
"""

import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATALOGUE = os.path.join(ROOT, "Docs", "lint-catalogue")
PAGE = os.path.join(ROOT, "Docs", "cors", "lint-catalogue.md")
START, END = "<!-- lint-catalogue:start -->", "<!-- lint-catalogue:end -->"


def codes():
    core = open(os.path.join(ROOT, "Sources/CORS/Policy/CORSPolicyProblem.swift")).read()
    extra = open(os.path.join(ROOT, "Sources/CORSConfiguration/CORSPolicyFinding+Code.swift")).read()
    ordered = re.findall(r'case \w+ = "([a-z-]+)"', core)
    ordered += re.findall(r'Code\(rawValue: "([a-z-]+)"\)', extra)
    return ordered


def markdown(text):
    """Escapes Markdown emphasis characters outside `code spans`."""
    parts = text.split("`")
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")
    return "`".join(parts)


def section(cors, code):
    path = os.path.join(CATALOGUE, code + ".json")
    policy = open(path).read().strip()
    run = subprocess.run([cors, "lint", "--json", path], capture_output=True, text=True, env={})
    if run.returncode not in (0, 1):
        sys.exit(f"cors lint {path} failed ({run.returncode}): {run.stderr.strip()}")
    findings = json.loads(run.stdout)["findings"]
    own = [f for f in findings if f["code"] == code]
    if not own:
        sys.exit(f"{path} does not report {code}")
    lines = [f"## `{code}` ({own[0]['severity']})", "", "```json", policy, "```", ""]
    for finding in findings:
        lines.append(f"- `{finding['severity']}[{finding['code']}]` at `{finding['path']}`: {markdown(finding['message'])}")
        lines.append(f"  **Fix:** {markdown(finding['fix'])}")
    lines.append(f"- `cors lint` exits {run.returncode}.")
    return "\n".join(lines)


def main():
    cors = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "cors")
    body = "\n\n".join(section(cors, code) for code in codes())
    text = open(PAGE).read()
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    open(PAGE, "w").write(before + START + "\n" + body + "\n" + END + after)
    print(f"{len(codes())} rules written to {os.path.relpath(PAGE, ROOT)}")


if __name__ == "__main__":
    main()
