#!/usr/bin/env python3
"""Prints the README's performance table from the last `cargo bench --bench throughput` run.

Reads criterion's estimates (target/criterion/<group>/<function>/new/estimates.json) and
reports medians in ns per URL, URLs per second, and ratios taken within the same run.
"""
import json
import os
import platform
import sys
from datetime import date

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "criterion")


def median(group, function):
    # criterion stores "name/param" as the directory "name_param".
    path = os.path.join(ROOT, group, function.replace("/", "_"), "new", "estimates.json")
    try:
        with open(path) as f:
            return json.load(f)["median"]["point_estimate"]
    except FileNotFoundError:
        return None


def cpu():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def fmt(ns):
    return "n/a" if ns is None else f"{ns:,.0f}"


def ratio(a, b):
    return "n/a" if a is None or b is None else f"{a / b:.2f}"


def main():
    if not os.path.isdir(ROOT):
        sys.exit("no criterion results: run `cargo bench --bench throughput` first")
    print(f"Machine: {cpu()}, {os.cpu_count()} cores; {date.today()}; medians of one run.\n")
    print("| workload | presign → String | presign → reused buffer | rusty-s3 | aws-sigv4 | floor "
          "| URLs/s (reused buffer) | rusty-s3 ÷ presign | aws-sigv4 ÷ presign | presign ÷ floor |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for group, per in [("get", 1), ("put", 1), ("batch50", 50), ("long_key", 1), ("params100", 1)]:
        row = {f: median(group, f) for f in
               ["presign_string", "presign_reused_buffer", "rusty_s3", "aws_sigv4", "floor"]}
        row = {k: (v / per if v is not None else None) for k, v in row.items()}
        ours = row["presign_reused_buffer"]
        rate = "n/a" if ours is None else f"{1e9 / ours:,.0f}"
        name = "batch (per URL of 50)" if group == "batch50" else group
        print(f"| {name} | {fmt(row['presign_string'])} | {fmt(ours)} | {fmt(row['rusty_s3'])} "
              f"| {fmt(row['aws_sigv4'])} | {fmt(row['floor'])} | {rate} "
              f"| {ratio(row['rusty_s3'], ours)} | {ratio(row['aws_sigv4'], ours)} "
              f"| {ratio(ours, row['floor'])} |")
    first = median("first_url_of_day", "presign_reused_buffer")
    floor = median("first_url_of_day", "floor_with_derivation")
    print(f"\nFirst URL of a UTC day (key derivation included): presign {fmt(first)} ns, "
          f"floor with derivation {fmt(floor)} ns, ratio {ratio(first, floor)}.")
    one = median("threads", "presign_reused_buffer/1")
    two = median("threads", "presign_reused_buffer/2")
    print(f"Threads sharing one presigner: {fmt(one)} ns/URL on 1 thread, {fmt(two)} ns/URL on 2 "
          f"(throughput ×{ratio(one, two)}).")
    scaling = [(n, median("params_scaling", f"presign_reused_buffer/{n}")) for n in (10, 100, 1000)]
    print("Extra query parameters: " + ", ".join(f"{n}: {fmt(t)} ns" for n, t in scaling)
          + (f" (per parameter at 100: {scaling[1][1] / 100:,.0f} ns, at 1000: {scaling[2][1] / 1000:,.0f} ns)."
             if all(t for _, t in scaling) else "."))
    hostile = [("1 MiB key refused", median("hostile", "key_1MiB_refused")),
               ("1000 params", median("hostile", "query_params/1000")),
               ("10000 params", median("hostile", "query_params/10000")),
               ("1000 headers", median("hostile", "headers/1000")),
               ("10000 headers", median("hostile", "headers/10000")),
               ("normalising 20000 path segments", median("hostile", "normalize_segments/20000")),
               ("40000 segments", median("hostile", "normalize_segments/40000"))]
    print("Hostile sizes: " + ", ".join(f"{n}: {fmt(t)} ns" for n, t in hostile) + ".")
    put = median("multipart", "put_same_key")
    parts = [(n, median("multipart", f"all_parts/{n}")) for n in (1000, 10000)]
    if put and all(t for _, t in parts):
        print(f"Multipart: a plain PUT URL of the key {fmt(put)} ns; "
              + ", ".join(f"every part URL of a {n:,}-part upload {fmt(t / n)} ns each "
                          f"({ratio(t / n, put)}× the PUT)" for n, t in parts) + ".")


if __name__ == "__main__":
    main()
