"""Summarises the wrk runs of compare.sh: a table on stdout, JSON, CSV, Markdown and a PNG chart.

usage: report.py RAW_DIR RESULTS_DIR SETTINGS_JSON

RAW_DIR holds one wrk --latency output per run, named FRAMEWORK-CORS.SCENARIO.ROUND.txt.

On a shared or noisy machine the rounds differ more than the servers do, so the servers are
compared within each round: every round gives each server's ratio to the no-CORS server of the
same framework (for preflights: its GET /me, since without CORS there is no preflight answer) and
to the framework's own CORS middleware, measured minutes apart in the same round. The tables show
the median of those per-round ratios, with their range; raw requests/s and p99 stay in the JSON.

The "proxy" framework compares `cors proxy` with nginx `proxy_pass` in front of the same
upstream: its reference rows are "direct" (the upstream itself) and "nginx".
"""
import csv
import json
import re
import statistics
import sys
from pathlib import Path

FRAMEWORKS = ["hummingbird", "vapor", "fastapi", "proxy"]
FRAMEWORK_NAMES = {"hummingbird": "Hummingbird 2", "vapor": "Vapor 4", "fastapi": "FastAPI (uvicorn)",
                   "proxy": "Proxy"}
CORS_LAYERS = ["none", "builtin", "ours"]
CORS_NAMES = {
    "none": "no CORS",
    "builtin": "built-in CORSMiddleware",
    "ours": "swift-cors",
}
# For the proxy rows: "none" is the upstream reached directly, "builtin" nginx proxy_pass with a
# CORS map, "ours" `cors proxy --policy` (both add the tutorial's CORS fields).
PROXY_NAMES = {"none": "upstream, direct", "builtin": "nginx proxy_pass", "ours": "cors proxy"}
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



def fmt_ratio(value):
    return "–" if value is None else f"{value:.3f}×"


def fmt_range(bounds):
    return "" if not bounds else f" ({bounds[0]:.2f}–{bounds[1]:.2f})"


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

    def per_round_ratios(entry, reference, metric):
        """The entry's metric over the reference's, round by round: (median, min, max, list)."""
        if entry is None or reference is None:
            return None
        by_round = {r["round"]: r[metric] for r in reference["rounds"]}
        values = [r[metric] / by_round[r["round"]] for r in entry["rounds"] if by_round.get(r["round"])]
        if not values:
            return None
        return {"median": statistics.median(values), "min": min(values), "max": max(values),
                "rounds": [round(v, 4) for v in values]}

    rows = []
    for scenario in SCENARIOS:
        for framework in FRAMEWORKS:
            base = summary.get((framework, "none", "get"))
            builtin = summary.get((framework, "builtin", scenario))
            for cors in CORS_LAYERS:
                entry = summary.get((framework, cors, scenario))
                if entry is None:
                    continue
                rps_none = per_round_ratios(entry, base, "requests_per_second")
                rps_builtin = per_round_ratios(entry, builtin, "requests_per_second")
                p99_none = per_round_ratios(entry, base, "p99_ms")
                p99_builtin = per_round_ratios(entry, builtin, "p99_ms")
                rows.append({
                    "scenario": scenario,
                    "framework": framework,
                    "cors": cors,
                    "requests_per_second": round(entry["requests_per_second"], 1),
                    "requests_per_second_min": round(entry["requests_per_second_min"], 1),
                    "requests_per_second_max": round(entry["requests_per_second_max"], 1),
                    "rps_vs_no_cors": rps_none and rps_none["median"],
                    "rps_vs_builtin": rps_builtin and rps_builtin["median"],
                    "rps_vs_no_cors_range": rps_none and [rps_none["min"], rps_none["max"]],
                    "rps_vs_builtin_range": rps_builtin and [rps_builtin["min"], rps_builtin["max"]],
                    "rps_vs_no_cors_per_round": rps_none and rps_none["rounds"],
                    "rps_vs_builtin_per_round": rps_builtin and rps_builtin["rounds"],
                    "p99_ms": round(entry["p99_ms"], 4),
                    "p99_added_ms_vs_no_cors": None if base is None else round(
                        statistics.median(r["p99_ms"] for r in entry["rounds"])
                        - statistics.median(r["p99_ms"] for r in base["rounds"]), 4),
                    "p99_vs_no_cors": p99_none and p99_none["median"],
                    "p99_vs_builtin": p99_builtin and p99_builtin["median"],
                    "non_2xx_3xx": entry["non_2xx_3xx"],
                    "rounds": len(entry["rounds"]),
                })

    results_dir.mkdir(parents=True, exist_ok=True)
    document = {
        "settings": settings,
        "note": "requests/s and p99 are medians over rounds; every ratio is the median of the "
                "per-round ratios (each round compares servers measured minutes apart). Preflight "
                "ratios to no CORS compare with that framework's no-CORS GET /me.",
        "rows": rows,
        "runs": [
            {"framework": f, "cors": c, "scenario": s, **run}
            for (f, c, s), entry in sorted(summary.items()) for run in entry["rounds"]
        ],
    }
    (results_dir / "compare.json").write_text(json.dumps(document, indent=2) + "\n")

    with open(results_dir / "compare.csv", "w", newline="") as handle:
        fields = [k for k in rows[0] if k != "rounds" and not k.endswith(("_range", "_per_round"))] + ["rounds"]
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (f"{v:.4f}" if isinstance(v, float) and k.endswith(("cors", "builtin")) else v)
                             for k, v in row.items() if k in fields})

    lines = []
    for scenario in SCENARIOS:
        lines.append(f"**{SCENARIO_NAMES[scenario]}**")
        lines.append("")
        lines.append("| Server | req/s × no CORS (range) | req/s × built-in (range) | p99 × no CORS | p99 × built-in | req/s | p99 |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        for row in (r for r in rows if r["scenario"] == scenario):
            names = PROXY_NAMES if row["framework"] == "proxy" else CORS_NAMES
            name = f"{FRAMEWORK_NAMES[row['framework']]}, {names[row['cors']]}"
            flag = f" ({row['non_2xx_3xx']} non-2xx)" if row["non_2xx_3xx"] and scenario == "get" else ""
            lines.append(
                f"| {name}{flag} | {fmt_ratio(row['rps_vs_no_cors'])}{fmt_range(row['rps_vs_no_cors_range'])} | "
                f"{fmt_ratio(row['rps_vs_builtin'])}{fmt_range(row['rps_vs_builtin_range'])} | "
                f"{fmt_ratio(row['p99_vs_no_cors'])} | {fmt_ratio(row['p99_vs_builtin'])} | "
                f"{row['requests_per_second']:,.0f} | {row['p99_ms'] * 1000:,.0f} µs |")
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
