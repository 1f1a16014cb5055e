#!/usr/bin/env python3
"""Generate N synthetic ICP filing applications for the benchmark.

Each application starts from a base application in provinces/fixtures/ (every province that has one) and gets its
own identity: organizer name, credit code, ID numbers, mobiles, e-mail and domain, all with valid check
characters, so cross-file checks see distinct entities. Every third file carries mistakes (emergency number =
mobile, a domain expiring in 30 days, a sub-domain), so the mix is roughly two thirds passing.

usage: bench/gen.py N OUTDIR
"""
import copy
import glob
import os
import random
import sys

import yaml

DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
A = "0123456789ABCDEFGHJKLMNPQRTUWXY"
UW = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
OW = [3, 7, 9, 10, 5, 8, 4, 2]


COUNTER = [0]


def id_number(region, _i):
    # A global counter keeps every number of the batch distinct: (birth date, sequence) never repeats.
    k = COUNTER[0]
    COUNTER[0] += 1
    d = k // 1000
    birth = f"{1970 + d % 30}{1 + (d // 30) % 12:02d}{1 + (d // 360) % 28:02d}"
    body = f"{region}{birth}{k % 1000:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, W)) % 11]


def uscc(division, i):
    org = f"BN{i:06d}"
    s = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(org, OW))
    c = 11 - s % 11
    org += {10: "X", 11: "0"}.get(c, str(c))
    body = "91" + division + org
    return body + A[(31 - sum(A.index(ch) * w for ch, w in zip(body, UW)) % 31) % 31]


MOBILES = [0]


def mobile(template, _i):
    # Same 3-digit block and province range start, distinct digits for every number of the batch.
    k = MOBILES[0]
    MOBILES[0] += 1
    return template[:7] + f"{k % 10000:04d}"


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    root = os.path.join(os.path.dirname(__file__), "..", "provinces", "fixtures")
    bases = [yaml.safe_load(open(p, encoding="utf-8")) for p in sorted(glob.glob(os.path.join(root, "*.yaml")))]
    # Only the base applications (the fixtures also hold the API request bodies of the API rules' examples).
    bases = [b for b in bases if "entity" in b]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(42)
    for i in range(n):
        app = copy.deepcopy(bases[i % len(bases)])
        e = app["entity"]
        people = [e.get("principal")] + [w.get("principal") for w in app.get("websites", [])]
        people = [p for p in people if p]
        region = str(people[0]["cert_number"])[:6] if people else "210102"
        if e.get("nature") == "individual":
            number = id_number(region, i)
            e["cert_number"] = number
            for p in people:
                p["cert_number"] = number
        else:
            e["cert_number"] = uscc(str(e["cert_number"])[2:8], i)
            e["name"] = e["name"].replace("示例", f"示例{i}号", 1)
            e["investor"] = e["name"]
            lr = e.get("legal_rep") or {}
            seen = {}
            for p in [lr] + people:
                old = str(p.get("cert_number", ""))
                if old not in seen:
                    seen[old] = id_number(old[:6] or region, i * 3 + len(seen))
                p["cert_number"] = seen[old]
        numbers = {}
        for p in people:
            for field in ("mobile", "emergency_phone"):
                old = str(p.get(field, ""))
                if old and old not in numbers:
                    numbers[old] = mobile(old, i * 7 + len(numbers))
                if old:
                    p[field] = numbers[old]
            if "email" in p:
                p["email"] = f"user{i}.{len(numbers)}@example.cn"
        for w in app.get("websites", []):
            for d in w.get("domains", []):
                d["name"] = f"bench{i}.cn"
                d["registrant"] = e["name"]
            if "homepage" in w:
                w["homepage"] = f"https://www.bench{i}.cn"
        if i % 3 == 2 and people:
            people[0]["emergency_phone"] = people[0]["mobile"]
            for w in app.get("websites", []):
                for d in w.get("domains", []):
                    d["name"] = f"www.bench{i}.cn"
                    d["expires"] = "2026-12-31"
        path = os.path.join(out, f"app{i:05d}.yaml")
        with open(path, "w", encoding="utf-8") as f:
            yaml.dump(app, f, Dumper=DUMPER, allow_unicode=True, sort_keys=False)
    print(f"{n} applications from {len(bases)} base applications in {out}")


if __name__ == "__main__":
    main()
