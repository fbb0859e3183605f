"""Named-query latency on a large build: rdflib, the embedded Oxigraph store, the Oxigraph server.

    python bench/bench_scale.py --sizes 1000          # builds <tmp>/govkg-bench/out-1000
    python bench/bench_stores.py "$TMPDIR"/govkg-bench/out-1000 [--runs 5] [--rdflib-timeout 120]

Every named query (kg/queries/*.rq) with its default parameters. Each figure is the median of
``--runs`` runs in a warm process (the first run is a warm-up and not counted); rdflib gets
fewer runs and gives up on a query after ``--rdflib-timeout`` seconds (reported as >timeout).
The server is `govkg serve`'s (oxigraph serve-read-only --union-default-graph) on loopback,
queried over the SPARQL 1.1 Protocol.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def _median_ms(run, runs: int) -> float:
    run()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return round(statistics.median(samples) * 1000, 1)


def _rdflib_worker(path: str, texts: dict[str, str], runs: int, queue) -> None:
    from kg.store.rdfio import load_graph
    from kg.query.sparql import run_query

    start = time.perf_counter()
    graph = load_graph(path)
    queue.put(("__load__", round(time.perf_counter() - start, 1), len(graph)))
    for name, text in texts.items():
        queue.put((name, _median_ms(lambda: run_query(graph, text, engine="rdflib"), runs), None))


def rdflib_times(path: Path, texts: dict[str, str], runs: int, timeout: float) -> dict:
    """rdflib in a child process, so a query that runs away can be stopped."""
    queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=_rdflib_worker, args=(str(path), texts, runs, queue))
    process.start()
    results, deadline = {}, None
    pending = ["__load__", *texts]
    while pending and process.is_alive() or not queue.empty():
        wait = 1800 if pending and pending[0] == "__load__" else timeout * (runs + 1)
        try:
            name, value, extra = queue.get(timeout=wait)
        except Exception:
            break
        results[name] = value if extra is None else {"seconds": value, "triples": extra}
        pending.remove(name)
    process.terminate()
    for name in pending:
        results[name] = f">{timeout:g} s"
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path, help="a build's output directory (govkg.ttl and store/)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rdflib-runs", type=int, default=1)
    parser.add_argument("--rdflib-timeout", type=float, default=120)
    parser.add_argument("--no-rdflib", action="store_true",
                        help="skip rdflib (at 1,000 documents its parse of govkg.ttl does not fit in 24 GiB)")
    args = parser.parse_args()

    from kg.query.engines import open_target
    from kg.store.remote import Endpoint
    from kg.query.server import serve_command
    from kg.query.sparql import run_query
    from kg.query.named import list_queries, named_query
    from servers import free_port, wait_until_up

    embedded = open_target(store=args.out / "store")
    texts = {q.name: named_query(q.name, {}, graph=embedded.names) for q in list_queries()}
    table = {name: {} for name in texts}
    for name, text in texts.items():
        table[name]["rows"] = len(run_query(embedded.target, text, engine="oxigraph"))
        table[name]["store_ms"] = _median_ms(lambda: run_query(embedded.target, text, engine="oxigraph"), args.runs)
    del embedded

    port = free_port()
    server = subprocess.Popen(serve_command(args.out / "store", host="127.0.0.1", port=port),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/query")
        endpoint = Endpoint(f"http://127.0.0.1:{port}/query")
        for name, text in texts.items():
            table[name]["server_ms"] = _median_ms(lambda: run_query(endpoint, text, engine="endpoint"), args.runs)
    finally:
        server.terminate()
        server.wait()

    rdflib = {} if args.no_rdflib else rdflib_times(args.out / "govkg.ttl", texts, args.rdflib_runs, args.rdflib_timeout)
    for name in texts:
        table[name]["rdflib_ms"] = rdflib.get(name)
    store = [row["store_ms"] for row in table.values()]
    numeric = [(row["rdflib_ms"], row["store_ms"]) for row in table.values() if isinstance(row.get("rdflib_ms"), float)]
    summary = {"rdflib_load": rdflib.get("__load__"), "store_median_ms": statistics.median(store),
               "server_median_ms": statistics.median(row["server_ms"] for row in table.values()),
               "rdflib_median_ms": statistics.median(r for r, _ in numeric) if numeric else None,
               "median_speedup_store_vs_rdflib": round(statistics.median(r / max(s, 0.1) for r, s in numeric), 1) if numeric else None}
    print(json.dumps({"queries": table, "summary": summary}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
