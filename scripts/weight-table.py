#!/usr/bin/env python3
"""Prints a call's weight from a generated weights.rs at given component values, with the
runtime's ParityDB costs (8 us per read, 50 us per write) and the ratio to a reference weight.

  scripts/weight-table.py pallets/registry/src/weights.rs [--transfer-us 102.7] \
      [call[:name=value,...] ...]

Without calls, prints every call at its components' lowest values. Used to fill the tables in
docs/benchmarks.md from the weights the benchmark run wrote.
"""
import argparse
import re
import sys

READ_US, WRITE_US = 8.0, 50.0


def parse(path):
    """Returns {call: (components, base_ps, {comp: slope_ps}, reads, {comp: reads}, writes,
    {comp: writes})} from the SubstrateWeight impl (the one using T::DbWeight)."""
    text = open(path).read()
    # Ours say `polkadot_sdk::frame_system`, the polkadot-sdk pallets' own `frame_system`.
    start = re.search(
        r"impl<T: (?:polkadot_sdk::)?frame_system::Config> WeightInfo for SubstrateWeight<T>", text
    ).start()
    end = text.index("\nimpl WeightInfo for ()", start)
    body = text[start:end]
    calls = {}
    for m in re.finditer(r"fn (\w+)\(([^)]*)\) -> Weight \{(.*?)\n\t\}", body, re.S):
        name, params, fn_body = m.group(1), m.group(2), m.group(3)
        comps = [p.split(":")[0].strip() for p in params.split(",") if ":" in p]
        base = int(re.search(r"Weight::from_parts\(([\d_]+),", fn_body).group(1).replace("_", ""))
        slopes = {
            c: int(v.replace("_", ""))
            for v, c in re.findall(r"Weight::from_parts\(([\d_]+), 0\)\.saturating_mul\((\w)\.into\(\)\)", fn_body)
        }
        reads = sum(int(v) for v in re.findall(r"\.reads\((\d+)_u64\)\)", fn_body))
        writes = sum(int(v) for v in re.findall(r"\.writes\((\d+)_u64\)\)", fn_body))
        reads_per = {c: int(v) for v, c in re.findall(r"\.reads\(\((\d+)_u64\)\.saturating_mul\((\w)\.into", fn_body)}
        writes_per = {c: int(v) for v, c in re.findall(r"\.writes\(\((\d+)_u64\)\.saturating_mul\((\w)\.into", fn_body)}
        calls[name] = (comps, base, slopes, reads, reads_per, writes, writes_per)
    return calls


def row(calls, spec, transfer_us):
    name, _, values = spec.partition(":")
    comps, base, slopes, reads, reads_per, writes, writes_per = calls[name]
    given = dict(kv.split("=") for kv in values.split(",") if kv)
    at = {c: int(given.get(c, 0)) for c in comps}
    exec_us = (base + sum(slopes.get(c, 0) * v for c, v in at.items())) / 1e6
    r = reads + sum(reads_per.get(c, 0) * v for c, v in at.items())
    w = writes + sum(writes_per.get(c, 0) * v for c, v in at.items())
    total_ms = (exec_us + r * READ_US + w * WRITE_US) / 1000
    label = name + ("(" + ", ".join(f"{c}={v}" for c, v in at.items()) + ")" if at else "")
    return f"| `{label}` | {exec_us:,.1f} µs | {r} / {w} | **{total_ms:.2f} ms** | {total_ms * 1000 / transfer_us:.1f} |"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("weights")
    parser.add_argument("--transfer-us", type=float, default=102.7)
    parser.add_argument("calls", nargs="*")
    args = parser.parse_intermixed_args()
    calls = parse(args.weights)
    print("| call | execution | reads / writes | total | × transfer_keep_alive |")
    print("|---|---|---|---|---|")
    for spec in args.calls or list(calls):
        if spec.partition(":")[0] not in calls:
            sys.exit(f"no call {spec} in {args.weights}")
        print(row(calls, spec, args.transfer_us))


if __name__ == "__main__":
    main()
