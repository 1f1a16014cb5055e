#!/usr/bin/env python3
"""Benchmark beian against the tools a user would otherwise script, and print figures.

It builds beian in release mode, generates synthetic applications (bench/gen.py: every province that has a base
application, a third of them failing), then times in one run:

  * beian check DIR --format json            (every rule, cross-file checks, the report; its bytes per application
                                               by default, with -v and in SARIF)
  * check-jsonschema against `beian schema application` (shape only; installed from PyPI into target/bench-venv)
  * cat over the same files                   (the I/O floor)
  * beian check FILE vs beian --version        (start-up overhead)

and prints medians, ratios, files per second and peak memory (N = 1,000 and 10,000 for the memory curve, in JSON,
SARIF and JUnit), one file with 100, 1,000 and 5,000 websites, N WeChat API request bodies against the same N
applications, and one body with 20,000 pre-approval items.

usage: python3 bench/run.py [--n 2000] [--runs 5] [--skip-jsonschema] [--beian PATH]
"""
import argparse
import glob
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def timed(cmd, stdout=subprocess.DEVNULL):
    """Wall time and peak RSS (KiB) of one run of cmd."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss


def median_run(cmd, runs):
    results = [timed(cmd) for _ in range(runs)]
    return statistics.median(t for t, _ in results), max(m for _, m in results)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skip-jsonschema", action="store_true")
    ap.add_argument("--beian", help="measure this binary instead of building target/release/beian (e.g. an older build, for before/after figures)")
    args = ap.parse_args()
    setup = time.perf_counter()
    if args.beian:
        beian = os.path.abspath(args.beian)
    else:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        beian = os.path.join(ROOT, "target", "release", "beian")
    venv = os.path.join(ROOT, "target", "bench-venv")
    cj = os.path.join(venv, "bin", "check-jsonschema")
    if not args.skip_jsonschema and not os.path.exists(cj):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([os.path.join(venv, "bin", "pip"), "install", "--quiet", "check-jsonschema"], check=True)
    setup = time.perf_counter() - setup
    t0 = time.perf_counter()
    print(f"beian {subprocess.run([beian, '--version'], capture_output=True, text=True).stdout.strip()}")
    work = tempfile.mkdtemp(prefix="beian-bench-")
    try:
        data = os.path.join(work, f"n{args.n}")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen.py"), str(args.n), data], check=True, stdout=subprocess.DEVNULL)
        files = sorted(glob.glob(os.path.join(data, "*.yaml")))
        size = sum(os.path.getsize(f) for f in files)
        print(f"machine: {os.cpu_count()} cores; {len(files)} applications, {size / 1e6:.1f} MB")

        b_time, b_mem = median_run([beian, "check", data, "--format", "json"], args.runs)
        # Report size: the JSON report as written by default, and with every finding (-v).
        sizes = {}
        for label, extra in (("json", []), ("json -v", ["-v"]), ("sarif", ["--format", "sarif"])):
            cmd = [beian, "check", data, *(extra if label == "sarif" else ["--format", "json", *extra])]
            # Written to a file, not captured: a report held in this process would raise the peak memory
            # every later child reports (the high-water mark survives fork and exec).
            with tempfile.TemporaryFile() as out:
                subprocess.run(cmd, stdout=out, stderr=subprocess.DEVNULL)
                sizes[label] = out.tell()
        cat_time, _ = median_run(["cat", *files], args.runs)
        print(f"beian check DIR --format json : {b_time * 1000:8.1f} ms  {len(files) / b_time:8.0f} files/s  peak {b_mem / 1024:.0f} MiB")
        print("report bytes per application  : " + ", ".join(f"{k} {v / len(files):,.0f}" for k, v in sizes.items()))
        print(f"cat (I/O floor)               : {cat_time * 1000:8.1f} ms  -> beian/cat = {b_time / cat_time:.1f}x")

        if not args.skip_jsonschema:
            schema = os.path.join(work, "application.schema.json")
            with open(schema, "w") as f:
                subprocess.run([beian, "schema", "application"], stdout=f, check=True)
            cj_time, _ = median_run([cj, "--schemafile", schema, *files], max(1, min(args.runs, 3)))
            print(f"check-jsonschema (shape only) : {cj_time * 1000:8.1f} ms  -> check-jsonschema/beian = {cj_time / b_time:.0f}x")

        one = files[0]
        single, _ = median_run([beian, "check", one], 30)
        version, _ = median_run([beian, "--version"], 30)
        print(f"single file                   : {single * 1000:8.2f} ms  (beian --version {version * 1000:.2f} ms) -> {single / version:.1f}x")

        for n in (1000, 10000):
            d = os.path.join(work, f"n{n}")
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen.py"), str(n), d], check=True, stdout=subprocess.DEVNULL)
            t, m = timed([beian, "check", d, "--format", "json"])
            print(f"memory N={n:<6}               : peak {m / 1024:6.0f} MiB  ({t * 1000:.0f} ms)")
            # Both sizes, so that the figures show whether memory grows with the number of files.
            for fmt in ("sarif", "junit"):
                t, m = timed([beian, "check", d, "--format", fmt])
                print(f"memory N={n:<6} --format {fmt:<5}: peak {m / 1024:6.0f} MiB  ({t * 1000:.0f} ms)")
            shutil.rmtree(d)

        # Hostile shapes within one file: many websites (relations between principals use indexes, not pairs)
        # and many unknown keys (each reported with its position).
        base = open(os.path.join(ROOT, "examples", "liaoning-enterprise.yaml"), encoding="utf-8").read()
        start, end = base.index("websites:"), base.index("documents:")
        site = base[start + len("websites:\n"):end]
        for sites in (100, 1000, 5000):
            path = os.path.join(work, f"sites{sites}.yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(base[:start] + "websites:\n")
                f.write("".join(site.replace("example.cn", f"ex{k}.cn") for k in range(sites)))
                f.write(base[end:])
            t, m = timed([beian, "check", path, "--max-size", "100000000"])
            print(f"one file, {sites:>5} websites      : {t * 1000:8.0f} ms  peak {m / 1024:.0f} MiB")
        # API request bodies: the same N as the applications above, as WeChat bodies (mapping + the API layer),
        # against that many copies of the application the example body maps to; and one body with a hostile
        # list (20,000 pre-approval items, the mapping and the list rules are linear).
        body = json.load(open(os.path.join(ROOT, "examples", "api", "wechat-apply.json"), encoding="utf-8"))
        bodies, apps = os.path.join(work, "bodies"), os.path.join(work, "apps")
        os.makedirs(bodies)
        os.makedirs(apps)
        mapped = subprocess.run([beian, "convert", os.path.join(ROOT, "examples", "api", "wechat-apply.json"), "--to", "beian"],
                                capture_output=True, text=True, check=True).stdout
        for k in range(args.n):
            with open(os.path.join(bodies, f"b{k:05}.json"), "w", encoding="utf-8") as f:
                json.dump(body, f, ensure_ascii=False)
            with open(os.path.join(apps, f"a{k:05}.yaml"), "w", encoding="utf-8") as f:
                f.write(mapped)
        bt, bm = median_run([beian, "check", bodies, "--format", "json", "--date", "2026-12-01"], args.runs)
        at, am = median_run([beian, "check", apps, "--format", "json", "--date", "2026-12-01"], args.runs)
        print(f"{args.n} WeChat bodies            : {bt * 1000:8.1f} ms  peak {bm / 1024:.0f} MiB  (the same as applications: {at * 1000:.1f} ms, peak {am / 1024:.0f} MiB)")
        body["icp_applets"]["base_info"]["nrlx_details"] = [{"type": 3, "code": f"京教-{i}号", "media": "M"} for i in range(20000)]
        path = os.path.join(work, "big-body.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(body, f, ensure_ascii=False)
        t, m = timed([beian, "check", path, "--max-size", "100000000", "--date", "2026-12-01"])
        print(f"one body, 20000 nrlx_details  : {t * 1000:8.0f} ms  peak {m / 1024:.0f} MiB")
        path = os.path.join(work, "keys.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(base + "".join(f"unknown_key_{i}: x\n" for i in range(40000)))
        t, m = timed([beian, "check", path, "--max-size", "100000000"])
        print(f"one file, 40000 unknown keys  : {t * 1000:8.0f} ms  peak {m / 1024:.0f} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"benchmark took {time.perf_counter() - t0:.0f} s (plus {setup:.0f} s to build beian and install check-jsonschema)")


if __name__ == "__main__":
    main()
