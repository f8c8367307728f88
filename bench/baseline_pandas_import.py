"""The baseline `icmap import` is measured against: a plain pandas script, same figures.

    python bench/baseline_pandas_import.py tickets|events LOG.csv ORG.yaml > fragment.yaml

What an analyst would write by hand: read the CSV, parse the timestamps, match the names,
group by pair. Calendar time, no --period, no grouping requesters (the benchmark's logs have
none); the fragment is written by icmap's own writer, so the two outputs can be compared
byte for byte (bench/bench_import.py does; tests/test_import_baseline.py on a small log).
"""

from __future__ import annotations

import os
import sys

import pandas as pd

from icmap.api import load
from icmap.importing.figures import Measurement, Period, per_week
from icmap.importing.fragment import write_fragment
from icmap.names import NameIndex


def units(org: object, values: pd.Series) -> pd.Series:
    """Each name mapped to its unit id (None for a name that is no unit)."""
    index = NameIndex.of(org)  # type: ignore[arg-type]
    table = {}
    for name in values.dropna().unique():
        found = index.lookup(name)
        table[name] = (
            found.id if found is not None and found.kind in ("role", "department") else None
        )
    return values.map(table)


def customers(org: object, values: pd.Series) -> pd.Series:
    """Each requester mapped to its unit or external customer id."""
    index = NameIndex.of(org)  # type: ignore[arg-type]
    table = {}
    for name in values.dropna().unique():
        found = index.lookup(name)
        table[name] = found.id if found is not None and not found.is_grouping else None
    return values.map(table)


def stamps(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, utc=True, format="ISO8601", errors="coerce")


def period_of(opened: pd.Series) -> Period:
    return Period(opened.min().date(), opened.max().date())


def tickets(path: str, org: object) -> tuple[list[Measurement], Period]:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    df["s"] = units(org, df["provider"].str.strip())
    df["c"] = customers(org, df["requester"].str.strip())
    opened = stamps(df["opened"])
    first = stamps(df["first_response"])
    resolved = stamps(df["resolved"])
    end = first.where(df["first_response"].notna(), resolved)
    df["d"] = (end - opened).dt.total_seconds()
    df["o"] = opened
    df["re"] = df["reopened"].str.lower().isin(["true", "yes", "y", "1"])
    rating = pd.to_numeric(df["rating"], errors="coerce")
    low, high = org.settings.satisfaction_scale  # type: ignore[attr-defined]
    df["ra"] = rating.where((rating >= low) & (rating <= high))
    df = df[df["s"].notna() & df["c"].notna() & df["d"].notna() & (df["d"] >= 0)]
    period = period_of(df["o"])
    declared = {(d.supplier, d.customer): d for d in org.dependencies}  # type: ignore[attr-defined]
    out = []
    for (s, c), g in df.groupby(["s", "c"], sort=True):
        dep = declared.get((s, c))
        if dep is None:
            continue
        rated = g["ra"].dropna()
        within = None if dep.standard is None else float((g["d"] <= dep.standard * 3600).mean())
        out.append(
            Measurement(
                supplier=s,
                customer=c,
                samples=len(g),
                actual=g["d"].mean() / 3600,
                actual_p90=g["d"].quantile(0.9) / 3600,
                volume=per_week(len(g), period),
                complete_accurate=1 - g["re"].mean(),
                within_standard=within,
                satisfaction=rated.mean() if len(rated) else None,
                responses=len(rated) if len(rated) else None,
            )
        )
    return out, period


def events(path: str, org: object) -> tuple[list[Measurement], Period]:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    df["u"] = units(org, df["org:group"].str.strip())
    df["t"] = stamps(df["time:timestamp"])
    df["s"] = stamps(df["start_timestamp"])
    df["row"] = range(len(df))
    df = df[df["u"].notna() & df["t"].notna() & df["case:concept:name"].notna()]
    df = df.sort_values(["case:concept:name", "t", "row"])
    by_case = df.groupby("case:concept:name", sort=False)
    df["prev_u"] = by_case["u"].shift()
    df["prev_t"] = by_case["t"].shift()
    first = by_case["t"].transform("min")
    period = Period(first.min().date(), first.max().date())
    h = df[df["prev_u"].notna() & (df["prev_u"] != df["u"])].copy()
    h["d"] = ((h["s"].fillna(h["t"])) - h["prev_t"]).dt.total_seconds().clip(lower=0)
    by_case = h.groupby("case:concept:name", sort=False)
    nxt_s, nxt_c = by_case["prev_u"].shift(-1), by_case["u"].shift(-1)
    h["back"] = (nxt_s == h["u"]) & (nxt_c == h["prev_u"])
    declared = {(d.supplier, d.customer) for d in org.dependencies}  # type: ignore[attr-defined]
    out = []
    for (s, c), g in h.groupby(["prev_u", "u"], sort=True):
        if (s, c) not in declared:
            continue
        out.append(
            Measurement(
                supplier=s,
                customer=c,
                samples=len(g),
                actual=g["d"].mean() / 3600,
                actual_p90=g["d"].quantile(0.9) / 3600,
                volume=per_week(len(g), period),
                complete_accurate=1 - g["back"].mean(),
            )
        )
    return out, period


def main(argv: list[str]) -> None:
    what, path, org_path = argv
    org = load(org_path)
    figures, period = (tickets if what == "tickets" else events)(path, org)
    sys.stdout.write(
        write_fragment(
            figures, command=f"import {what}", source=os.path.basename(path), period=period
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
