"""Summarises the wrk runs of compare.sh: a table on stdout, JSON, CSV, Markdown and a PNG chart.

usage: report.py RAW_DIR RESULTS_DIR SETTINGS_JSON

RAW_DIR holds one wrk --latency output per run, named FRAMEWORK-CORS.SCENARIO.ROUND.txt.
Each figure is the median over the rounds; the ratios compare medians with the no-CORS server
of the same framework (for preflights: with its GET /me, since without CORS there is no
preflight answer) and with the framework's own CORS middleware.
"""
import csv
import json
import re
import statistics
import sys
from pathlib import Path

FRAMEWORKS = ["hummingbird", "vapor", "fastapi"]
FRAMEWORK_NAMES = {"hummingbird": "Hummingbird 2", "vapor": "Vapor 4", "fastapi": "FastAPI (uvicorn)"}
CORS_LAYERS = ["none", "builtin", "ours"]
CORS_NAMES = {
    "none": "no CORS",
    "builtin": "built-in CORSMiddleware",
    "ours": "swift-cors",
}
SCENARIOS = ["get", "preflight"]
SCENARIO_NAMES = {"get": "GET /me (trusted Origin)", "preflight": "Preflight (PUT, 2 headers)"}

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def parse_wrk(text):
    """Requests/s, p99 latency (ms), request count and non-2xx/3xx count of one wrk run."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
    total = re.search(r"(\d+) requests in", text)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    socket_errors = re.search(r"Socket errors:.*", text)
    if not (rps and p99 and total):
        raise ValueError("unreadable wrk output:\n" + text)
    return {
        "requests_per_second": float(rps.group(1)),
        "p99_ms": float(p99.group(1)) * UNITS[p99.group(2)],
        "requests": int(total.group(1)),
        "non_2xx_3xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(0) if socket_errors else None,
    }


def ratio(value, reference):
    return None if value is None or not reference else value / reference


def fmt_ratio(value):
    return "–" if value is None else f"{value:.3f}×"


def main():
    raw_dir, results_dir, settings_path = map(Path, sys.argv[1:4])
    settings = json.loads(settings_path.read_text())
    runs = {}
    for path in sorted(raw_dir.glob("*.txt")):
        server, scenario, round_text = path.stem.split(".")
        framework, cors = server.split("-")
        result = parse_wrk(path.read_text())
        result["round"] = int(round_text)
        runs.setdefault((framework, cors, scenario), []).append(result)

    summary = {}
    for key, results in runs.items():
        rps = [r["requests_per_second"] for r in results]
        p99 = [r["p99_ms"] for r in results]
        summary[key] = {
            "requests_per_second": statistics.median(rps),
            "requests_per_second_min": min(rps),
            "requests_per_second_max": max(rps),
            "p99_ms": statistics.median(p99),
            "p99_ms_min": min(p99),
            "p99_ms_max": max(p99),
            "non_2xx_3xx": sum(r["non_2xx_3xx"] for r in results),
            "rounds": sorted(results, key=lambda r: r["round"]),
        }

    rows = []
    for scenario in SCENARIOS:
        for framework in FRAMEWORKS:
            base = summary.get((framework, "none", "get"))
            builtin = summary.get((framework, "builtin", scenario))
            for cors in CORS_LAYERS:
                entry = summary.get((framework, cors, scenario))
                if entry is None:
                    continue
                rows.append({
                    "scenario": scenario,
                    "framework": framework,
                    "cors": cors,
                    "requests_per_second": round(entry["requests_per_second"], 1),
                    "requests_per_second_min": round(entry["requests_per_second_min"], 1),
                    "requests_per_second_max": round(entry["requests_per_second_max"], 1),
                    "rps_vs_no_cors": ratio(entry["requests_per_second"], base and base["requests_per_second"]),
                    "rps_vs_builtin": ratio(entry["requests_per_second"], builtin and builtin["requests_per_second"]),
                    "p99_ms": round(entry["p99_ms"], 4),
                    "p99_vs_no_cors": ratio(entry["p99_ms"], base and base["p99_ms"]),
                    "p99_vs_builtin": ratio(entry["p99_ms"], builtin and builtin["p99_ms"]),
                    "non_2xx_3xx": entry["non_2xx_3xx"],
                    "rounds": len(entry["rounds"]),
                })

    results_dir.mkdir(parents=True, exist_ok=True)
    document = {
        "settings": settings,
        "note": "medians over rounds; ratios are median / median. Preflight ratios to no CORS "
                "compare with that framework's no-CORS GET /me.",
        "rows": rows,
        "runs": [
            {"framework": f, "cors": c, "scenario": s, **run}
            for (f, c, s), entry in sorted(summary.items()) for run in entry["rounds"]
        ],
    }
    (results_dir / "compare.json").write_text(json.dumps(document, indent=2) + "\n")

    with open(results_dir / "compare.csv", "w", newline="") as handle:
        fields = [k for k in rows[0] if k != "rounds"] + ["rounds"]
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (f"{v:.4f}" if isinstance(v, float) and k.endswith(("cors", "builtin")) else v)
                             for k, v in row.items()})

    lines = []
    for scenario in SCENARIOS:
        lines.append(f"**{SCENARIO_NAMES[scenario]}**")
        lines.append("")
        lines.append("| Server | req/s | × no CORS | × built-in | p99 | × no CORS | × built-in |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        for row in (r for r in rows if r["scenario"] == scenario):
            name = f"{FRAMEWORK_NAMES[row['framework']]}, {CORS_NAMES[row['cors']]}"
            flag = f" ({row['non_2xx_3xx']} non-2xx)" if row["non_2xx_3xx"] and scenario == "get" else ""
            lines.append(
                f"| {name}{flag} | {row['requests_per_second']:,.0f} | {fmt_ratio(row['rps_vs_no_cors'])} | "
                f"{fmt_ratio(row['rps_vs_builtin'])} | {row['p99_ms'] * 1000:,.0f} µs | "
                f"{fmt_ratio(row['p99_vs_no_cors'])} | {fmt_ratio(row['p99_vs_builtin'])} |")
        lines.append("")
    markdown = "\n".join(lines)
    (results_dir / "compare.md").write_text(markdown)
    print(markdown)

    chart(summary, results_dir / "compare.png", settings)


def chart(summary, path, settings):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colors = {"none": "#9e9e9e", "builtin": "#e69f00", "ours": "#0072b2"}
    figure, axes = plt.subplots(2, 2, figsize=(12, 7.5))
    width = 0.26
    for column, scenario in enumerate(SCENARIOS):
        for row, (metric, label) in enumerate([("requests_per_second", "requests/s (higher is better)"),
                                                ("p99_ms", "p99 latency, µs (lower is better)")]):
            axis = axes[row][column]
            for offset, cors in enumerate(CORS_LAYERS):
                xs, heights, lows, highs = [], [], [], []
                for index, framework in enumerate(FRAMEWORKS):
                    entry = summary.get((framework, cors, scenario))
                    if entry is None:
                        continue
                    scale = 1000 if metric == "p99_ms" else 1
                    value = entry[metric] * scale
                    xs.append(index + (offset - 1) * width)
                    heights.append(value)
                    lows.append(value - entry[metric + "_min"] * scale)
                    highs.append(entry[metric + "_max"] * scale - value)
                bars = axis.bar(xs, heights, width, yerr=[lows, highs], capsize=3, color=colors[cors],
                                label=CORS_NAMES[cors])
                axis.bar_label(bars, labels=[f"{h:,.0f}" for h in heights], fontsize=7, padding=2)
            axis.set_xticks(range(len(FRAMEWORKS)), [FRAMEWORK_NAMES[f] for f in FRAMEWORKS])
            axis.set_title(f"{SCENARIO_NAMES[scenario]}: {label}", fontsize=10)
            axis.margins(y=0.15)
            if row == 0 and column == 0:
                axis.legend(fontsize=8)
    figure.suptitle(
        f"swift-cors vs built-in CORS middleware — wrk -t{settings['threads']} -c{settings['connections']}, "
        f"{settings['duration_seconds']} s × {settings['rounds']} rounds (median, min–max), "
        f"{settings['machine']}, {settings['date']}", fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=90)


if __name__ == "__main__":
    main()
