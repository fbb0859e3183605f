"""Latency and memory of every named query and analysis command on a build's store, with budgets.

    python bench/bench_scale.py --sizes 1000                 # builds <tmp>/govkg-bench/out-1000
    python bench/bench_stores.py "$TMPDIR"/govkg-bench/out-1000 [--runs 5] [--server]
    python bench/bench_stores.py OUT --record bench/budgets-200.json   # write the recorded figures
    python bench/bench_stores.py OUT --check bench/budgets-200.json    # exit 1 past 3x a figure

Named queries (kg/query/queries/*.rq with their default parameters) run in one warm process
on the embedded Oxigraph store: each figure is the median of ``--runs`` runs after a warm-up,
and every query must give no duplicated rows (``rows == distinct``). With ``--server`` they
also run on `govkg serve`'s Oxigraph server over the SPARQL 1.1 Protocol.

Analysis commands (shared, overlap, similar, central, show, viz, report of ten regions) run as
the CLI does, one process each: wall time and peak resident memory of the process. Names are
chosen from the store (the initiative and the two regions with the most adoptions), so the same
command line works on any build. The bulk dump (``export --format csv``) is measured the same
way in its own section, with its rate in statements/s: it reads the whole store, so it has no
2 s budget, only a memory one.

``--only queries|commands|bulk`` measures one section; ``--name TEXT`` only the queries and
commands whose name contains TEXT (both repeatable).

Every run also times bench/reference.py's two fixed workloads (``reference``: the machine's
speed in this run), so figures of different days compare by their ratio to it.

``--check FILE`` compares with recorded figures: a query or command fails when its time grows
past 3x the recorded one (times under 50 ms count as 50 ms, so timer noise is no failure) or its
memory past 3x.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

GROWTH_ALLOWED = 3.0
TIME_FLOOR_MS = 50.0


def _median_ms(run, runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this process (ms) of ``runs`` runs after a
    warm-up. On a busy machine the CPU time is the steadier of the two."""
    run()
    samples, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        samples.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return round(statistics.median(samples) * 1000, 1), round(statistics.median(cpu) * 1000, 1)


def _chosen(name: str, names: list[str] | None) -> bool:
    return not names or any(part in name for part in names)


def named_query_figures(store_dir: Path, runs: int, names: list[str] | None = None) -> dict:
    import resource

    from kg.query.engines import open_target
    from kg.query.named import list_queries, named_query
    from kg.query.sparql import run_query

    embedded = open_target(store=store_dir)
    table = {}
    for query in list_queries():
        if not _chosen(query.name, names):
            continue
        text = named_query(query.name, {}, graph=embedded.names)
        rows = run_query(embedded.target, text).rows
        ms, cpu_ms = _median_ms(lambda: run_query(embedded.target, text), runs)
        table[query.name] = {"rows": len(rows), "distinct": len(set(rows)), "ms": ms, "cpu_ms": cpu_ms}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"queries": table, "process_peak_mb": round(peak / 1e6)}


def server_figures(store_dir: Path, texts: dict[str, str], runs: int) -> dict[str, float]:
    from servers import free_port, wait_until_up

    from kg.query.server import serve_command
    from kg.query.sparql import run_query
    from kg.store.remote import Endpoint

    port = free_port()
    server = subprocess.Popen(serve_command(store_dir, host="127.0.0.1", port=port),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/query")
        endpoint = Endpoint(f"http://127.0.0.1:{port}/query")
        return {name: _median_ms(lambda: run_query(endpoint, text, engine="endpoint"), runs)[0] for name, text in texts.items()}
    finally:
        server.terminate()
        server.wait()


def _most_adopting(store_dir: Path) -> tuple[str, list[str]]:
    """The initiative most regions adopt, and the regions adopting most initiatives (IRIs)."""
    from kg.query.engines import open_target
    from kg.query.sparql import run_query

    target = open_target(store=store_dir).target
    top = run_query(target, "SELECT ?i (COUNT(?r) AS ?n) WHERE { ?r gk:adopts ?i } GROUP BY ?i ORDER BY DESC(?n) ?i LIMIT 1").rows
    regions = run_query(target, "SELECT ?r (COUNT(?i) AS ?n) WHERE { ?r gk:adopts ?i } GROUP BY ?r ORDER BY DESC(?n) ?r LIMIT 10").rows
    return str(top[0][0]), [str(r[0]) for r in regions]


def command_lines(store_dir: Path, scratch: Path) -> dict[str, list[str]]:
    initiative, regions = _most_adopting(store_dir)
    where = ["--store", str(store_dir)]
    return {
        "shared": ["shared", initiative, *where],
        "overlap": ["overlap", regions[0], regions[1], *where],
        "similar": ["similar", "--top", "10", *where],
        "central": ["central", *where],
        "show": ["show", regions[0], *where],
        "viz": ["viz", "-o", str(scratch / "graph.html"), *where],
        "report (10 regions)": ["report", "--regions", ",".join(regions[:10]), "-o", str(scratch / "report.html"), *where],
    }


def bulk_lines(store_dir: Path, scratch: Path) -> dict[str, list[str]]:
    return {"export": ["export", "--format", "csv", "--out", str(scratch / "tables"), "--store", str(store_dir)]}


def _statement_count(store_dir: Path) -> int:
    from kg.query.engines import open_target

    return len(open_target(store=store_dir).target)


def bulk_figures(store_dir: Path, scratch: Path, names: list[str] | None = None) -> dict:
    """The bulk dump: time, peak memory and statements of the store per second."""
    lines = {name: args for name, args in bulk_lines(store_dir, scratch).items() if _chosen(name, names)}
    figures = command_figures(store_dir, scratch, lines=lines)
    if figures:
        statements = _statement_count(store_dir)
        for figure in figures.values():
            figure["statements_per_s"] = round(statements / (figure["ms"] / 1000))
    return figures


def _command_run(name: str, args: list[str]) -> tuple[float, float, int]:
    """Wall time, CPU time (ms) and peak resident bytes of one CLI process."""
    import os

    from bench.bench_scale import _tree_rss

    # As on a user's machine: Python keeps the modules' bytecode (an environment that says not
    # to would charge every command ~0.2 s of compiling govkg again).
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), *args], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, status, usage = 0, None, None
    while status is None:
        peak = max(peak, _tree_rss(process.pid))
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid == 0:
            status = None
            time.sleep(0.05)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{name}: exit {os.waitstatus_to_exitcode(status)}: {process.stderr.read().decode()[-400:]}")
    return elapsed * 1000, (usage.ru_utime + usage.ru_stime) * 1000, peak


def command_figures(store_dir: Path, scratch: Path, names: list[str] | None = None, *,
                    lines: dict[str, list[str]] | None = None, runs: int = 1) -> dict:
    """Each command as a CLI process: the median of ``runs`` runs' wall and CPU times, the
    highest peak of resident memory."""
    figures = {}
    if lines is None:
        lines = {name: args for name, args in command_lines(store_dir, scratch).items() if _chosen(name, names)}
    # The modules' bytecode written first, as installing a package does: no run pays for compiling.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "kg")], check=True, stdout=subprocess.DEVNULL)
    for name, args in lines.items():
        samples = [_command_run(name, args) for _ in range(runs)]
        figures[name] = {"ms": round(statistics.median(s[0] for s in samples), 1),
                         "cpu_ms": round(statistics.median(s[1] for s in samples), 1),
                         "peak_mb": round(max(s[2] for s in samples) / 1e6)}
    return figures


def regressions(measured: dict, recorded: dict) -> list[str]:
    """What grew past :data:`GROWTH_ALLOWED` times its recorded figure (or newly duplicates rows)."""
    found = []
    for section, kind in (("queries", "query"), ("commands", "command"), ("bulk", "bulk command")):
        for name, now in measured.get(section, {}).items():
            before = recorded.get(section, {}).get(name)
            if before is None:
                continue
            if now["ms"] > GROWTH_ALLOWED * max(before["ms"], TIME_FLOOR_MS):
                found.append(f"{kind} {name}: {now['ms']:.0f} ms, recorded {before['ms']:.0f} ms")
            if "peak_mb" in now and now["peak_mb"] > GROWTH_ALLOWED * before["peak_mb"]:
                found.append(f"{kind} {name}: {now['peak_mb']} MB, recorded {before['peak_mb']} MB")
            if "distinct" in now and now["rows"] != now["distinct"]:
                found.append(f"query {name}: {now['rows']} rows of which {now['distinct']} distinct")
    return found


SECTIONS = ("queries", "commands", "bulk")


def measure(out: Path, runs: int, *, server: bool = False, only: tuple[str, ...] = SECTIONS,
            names: list[str] | None = None, command_runs: int = 1) -> dict:
    import tempfile

    store_dir = out / "store"
    result = named_query_figures(store_dir, runs, names) if "queries" in only else {"queries": {}}
    if server and "queries" in only:
        from kg.query.engines import open_target
        from kg.query.named import list_queries, named_query

        graphs = open_target(store=store_dir).names
        texts = {q.name: named_query(q.name, {}, graph=graphs) for q in list_queries() if q.name in result["queries"]}
        for name, ms in server_figures(store_dir, texts, runs).items():
            result["queries"][name]["server_ms"] = ms
    with tempfile.TemporaryDirectory() as scratch:
        result["commands"] = command_figures(store_dir, Path(scratch), names, runs=command_runs) if "commands" in only else {}
        result["bulk"] = bulk_figures(store_dir, Path(scratch), names) if "bulk" in only else {}
    summary = {}
    if result["queries"]:
        summary["query_median_ms"] = statistics.median(q["ms"] for q in result["queries"].values())
        summary["query_max_ms"] = max(q["ms"] for q in result["queries"].values())
    if result["commands"]:
        summary["command_max_ms"] = max(c["ms"] for c in result["commands"].values())
        summary["command_max_peak_mb"] = max(c["peak_mb"] for c in result["commands"].values())
    result["summary"] = summary
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path, help="a build's output directory (with store/)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--server", action="store_true", help="also time the queries on the Oxigraph server")
    parser.add_argument("--record", type=Path, help="write the figures here (the budgets --check reads)")
    parser.add_argument("--check", type=Path, help="exit 1 when a figure grew past 3x the one recorded here")
    parser.add_argument("--only", action="append", choices=SECTIONS, help="measure only this section (repeatable)")
    parser.add_argument("--name", action="append", help="only the queries and commands whose name contains this (repeatable)")
    parser.add_argument("--command-runs", type=int, default=1, help="runs of each command (the median is shown)")
    args = parser.parse_args()
    from bench.reference import machine_reference

    reference = machine_reference()  # the machine's speed in this run (bench/reference.py)
    result = measure(args.out, args.runs, server=args.server, only=tuple(args.only or SECTIONS), names=args.name,
                     command_runs=args.command_runs)
    result["reference"] = reference
    print(json.dumps(result, indent=1, ensure_ascii=False))
    if args.record:
        args.record.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.check:
        found = regressions(result, json.loads(args.check.read_text(encoding="utf-8")))
        for line in found:
            print("regression:", line, file=sys.stderr)
        sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
