#!/usr/bin/env python3
"""Prints the verification table from the last `cargo bench --bench verify` run.

Reads criterion's estimates (target/criterion/<group>/<function>/new/estimates.json) and
reports medians in ns, and the ratios to presigning the same URL in the same run.
"""
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "criterion")
GROUPS = [("verify_r2_get", "R2 GET"), ("verify_r2_put", "R2 PUT")]
FUNCTIONS = [
    ("presign_reused_buffer", "presign (reused buffer)"),
    ("verify", "verify (key table warm)"),
    ("verify_naive_rederive", "verify, key derived every time"),
]


def median(group, function):
    path = os.path.join(ROOT, group, function, "new", "estimates.json")
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
    return "unknown CPU"


def main():
    print(f"CPU: {cpu()}")
    print("| request | what | median ns | × presign |")
    print("| --- | --- | ---: | ---: |")
    missing = False
    for group, label in GROUPS:
        base = median(group, "presign_reused_buffer")
        for function, what in FUNCTIONS:
            ns = median(group, function)
            if ns is None:
                missing = True
                print(f"| {label} | {what} | n/a | n/a |")
                continue
            ratio = "n/a" if base is None else f"{ns / base:.2f}"
            print(f"| {label} | {what} | {ns:,.0f} | {ratio} |")
    if missing:
        print("some results are missing: run `cargo bench --bench verify` first", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
