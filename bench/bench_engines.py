"""Which columnar engine for `icmap import`: the standard library's csv, polars, DuckDB.

    python bench/bench_engines.py [--rows 1000000] [--runs 3]

Each engine computes the same ticket figures from one generated log (bench/import_data.py):
per pair provider -> requester, matched to unit ids by a name table, the request count and
the mean and 90th percentile (linear interpolation) of first_response (or resolved) minus
opened in calendar seconds, and the share reopened. Each run is a whole fresh process
(import of the engine included), best of N; the figures of all engines must agree.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from benchlib import OUT, print_machine, table, time_commands

HERE = Path(__file__).resolve().parent


def names() -> dict[str, str]:
    """Folded name -> unit id, as the importer's name index would give."""
    sys.path.insert(0, str(HERE))
    from import_data import ROLES, role_id

    table_ = {}
    for i in range(ROLES):
        table_[role_id(i)] = role_id(i)
        table_[f"role {i}"] = role_id(i)
    return table_


STDLIB = r"""
import csv, sys, json, datetime, statistics
path, names = sys.argv[1], json.loads(sys.argv[2])
parse = datetime.datetime.fromisoformat
groups = {}
with open(path, newline="", encoding="utf-8", errors="replace") as f:
    rows = csv.reader(f)
    head = next(rows)
    iq, ip, io, ifr, ir, ire = (head.index(c) for c in
        ("requester", "provider", "opened", "first_response", "resolved", "reopened"))
    for row in rows:
        try:
            c = names.get(row[iq].strip().casefold()); s = names.get(row[ip].strip().casefold())
            if c is None or s is None:
                continue
            o = parse(row[io]); e = parse(row[ifr] or row[ir])
        except (ValueError, IndexError):
            continue
        d = (e - o).total_seconds()
        if d < 0:
            continue
        g = groups.setdefault((s, c), ([], [0]))
        g[0].append(d)
        g[1][0] += row[ire] in ("yes", "true", "1")
out = {}
for key in sorted(groups):
    v, r = groups[key]
    v.sort()
    n = len(v)
    k = 0.9 * (n - 1); lo = int(k); hi = min(lo + 1, n - 1)
    out["|".join(key)] = [n, round(sum(v) / n, 3), round(v[lo] + (v[hi] - v[lo]) * (k - lo), 3), round(r[0] / n, 6)]
print(json.dumps(out, sort_keys=True))
"""

POLARS = r"""
import sys, json
import polars as pl
path, names = sys.argv[1], json.loads(sys.argv[2])
df = pl.read_csv(path, infer_schema=False, columns=["requester", "provider", "opened", "first_response", "resolved", "reopened"])
fmt = "%Y-%m-%dT%H:%M:%S%#z"
lookup = lambda c: pl.col(c).str.strip_chars().str.to_lowercase().replace_strict(names, default=None)
df = df.select(
    s=lookup("provider"), c=lookup("requester"),
    o=pl.col("opened").str.to_datetime(fmt, strict=False),
    e=pl.coalesce(pl.col("first_response").str.to_datetime(fmt, strict=False), pl.col("resolved").str.to_datetime(fmt, strict=False)),
    r=pl.col("reopened").is_in(["yes", "true", "1"]),
).with_columns(d=(pl.col("e") - pl.col("o")).dt.total_microseconds() / 1e6).drop_nulls(["s", "c", "d"]).filter(pl.col("d") >= 0)
g = df.group_by("s", "c").agg(n=pl.len(), mean=pl.col("d").mean(), p90=pl.col("d").quantile(0.9, "linear"), r=pl.col("r").mean()).sort("s", "c")
out = {f"{s}|{c}": [n, round(m, 3), round(p, 3), round(r, 6)] for s, c, n, m, p, r in g.iter_rows()}
print(json.dumps(out, sort_keys=True))
"""

DUCKDB = r"""
import sys, json
import duckdb
path, names = sys.argv[1], json.loads(sys.argv[2])
con = duckdb.connect()
con.execute("create table names(name varchar, id varchar)")
con.executemany("insert into names values (?, ?)", list(names.items()))
rows = con.execute(f'''
with t as (select * from read_csv('{path}', all_varchar=true, header=true)),
m as (
  select s.id as s, c.id as c,
    epoch(coalesce(try_cast(first_response as timestamptz), try_cast(resolved as timestamptz))) - epoch(try_cast(opened as timestamptz)) as d,
    reopened in ('yes', 'true', '1') as r
  from t join names s on s.name = lower(trim(t.provider)) join names c on c.name = lower(trim(t.requester)))
select s, c, count(*), avg(d), quantile_cont(d, 0.9), avg(r::int) from m where d >= 0 group by s, c order by s, c
''').fetchall()
out = {f"{s}|{c}": [n, round(m, 3), round(p, 3), round(r, 6)] for s, c, n, m, p, r in rows}
print(json.dumps(out, sort_keys=True))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    log = OUT / f"tickets-{args.rows}.csv"
    if not log.exists():
        subprocess.run(
            [sys.executable, str(HERE / "import_data.py"), "tickets", str(args.rows), str(log)],
            check=True,
        )
    table_ = json.dumps(names())
    scripts = {"stdlib csv": STDLIB, "polars": POLARS, "duckdb": DUCKDB}
    outputs = {}
    for name, script in scripts.items():
        result = subprocess.run(
            [sys.executable, "-c", script, str(log), table_], capture_output=True, text=True
        )
        if result.returncode:
            raise SystemExit(f"{name} failed: {result.stderr}")
        outputs[name] = json.loads(result.stdout)
    reference = outputs["stdlib csv"]
    for name, out in outputs.items():
        assert out.keys() == reference.keys(), name
        for key, figures in out.items():
            want = reference[key]
            assert figures[0] == want[0], (name, key, figures, want)
            assert all(
                abs(a - b) <= 1e-3 * max(1.0, abs(b)) for a, b in zip(figures, want, strict=True)
            ), (
                name,
                key,
                figures,
                want,
            )
    print_machine()
    print(f"{args.rows:,} ticket rows, {len(reference)} pairs; figures agree across engines\n")
    timings = time_commands(
        {n: [sys.executable, "-c", s, str(log), table_] for n, s in scripts.items()}, args.runs
    )
    rows = []
    for name, timing in timings.items():
        assert timing is not None
        rows.append([name, f"{timing.best:.2f}", f"{timing.median:.2f}", f"{timing.peak_mb:.0f}"])
    print(table(["engine", "best s", "median s", "peak MB"], rows))


if __name__ == "__main__":
    main()
