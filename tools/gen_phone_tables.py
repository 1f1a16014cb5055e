#!/usr/bin/env python3
"""Generate beian's phone-number data tables from libphonenumber's geocoding/zh/86.txt.

Writes two files (UTF-8, LF line endings):

  provinces/data/mobile_ranges.tsv        7-digit mobile prefix ranges -> GB/T 2260 province code
  provinces/data/landline_area_codes.tsv  trunk-prefixed area code      -> GB/T 2260 province code

The method:

* Mobile: keep the entries whose national part starts with "1" but not "10". Map each place name to a
  province by its leading province name (longest match). Expand every entry to 7-digit prefixes, the most
  specific entry winning. Drop the bogus coarse prefixes 173 and 1784, together with every 7-digit prefix they
  would cover that has no more specific entry. Prefixes whose best entry maps to no province (for example
  plain "中国") are dropped the same way. Finally merge consecutive 7-digit prefixes with the same province into
  inclusive ranges.
* Landline: keep the other entries (national part not starting with "1", plus "10"). "10" and "2X" are
  2-digit area codes, any other 3-digit entry is a 3-digit area code; other lengths (libphonenumber's 2-digit
  fallbacks such as "33") are skipped. The result is merged with the area-code list in PROVINCES below
  (libphonenumber 9.0.33 merged with the area-code field of phone.dat 2312, the data file of the PyPI package
  `phone` 0.4.5, https://github.com/ls0f/phone): codes that only the list has are added, and a code whose
  province differs between the two sources is an error. The final set is cross-checked against the list;
  differences are printed on stderr.

The input file is not modified and is not needed at run time. Take it from the crates.io crate `phonenumber`
(assets/geocoding/zh/86.txt), e.g. after `cargo fetch` in a throwaway project that depends on it.

Usage:
  python3 tools/gen_phone_tables.py PATH/TO/phonenumber-<version>/assets/geocoding/zh/86.txt \
      [--crate-version 0.3.10+9.0.33] [--date YYYY-MM-DD] [--out-dir provinces/data]

The output depends only on the input file, the crate version and the date: running it twice with the same
arguments gives byte-identical files. Standard library only (Python 3.11+).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import re
import sys
from pathlib import Path

SCRIPT = "tools/gen_phone_tables.py"

# GB/T 2260 provincial-level code, short leading name as used in libphonenumber place names, and the area codes
# of the province (libphonenumber 9.0.33 merged with the area-code field of phone.dat 2312, which agree on every
# code they share; 328 codes).
PROVINCES: tuple[tuple[int, str, str], ...] = (
    (11, "北京", "010"),
    (12, "天津", "022"),
    (13, "河北", "0310 0311 0312 0313 0314 0315 0316 0317 0318 0319 0335"),
    (14, "山西", "0349 0350 0351 0352 0353 0354 0355 0356 0357 0358 0359"),
    (15, "内蒙古", "0470 0471 0472 0473 0474 0475 0476 0477 0478 0479 0482 0483"),
    (21, "辽宁", "024 0410 0411 0412 0413 0414 0415 0416 0417 0418 0419 0421 0427 0429"),
    (22, "吉林", "0431 0432 0433 0434 0435 0436 0437 0438 0439"),
    (23, "黑龙江", "0451 0452 0453 0454 0455 0456 0457 0458 0459 0464 0467 0468 0469"),
    (31, "上海", "021"),
    (32, "江苏", "025 0510 0511 0512 0513 0514 0515 0516 0517 0518 0519 0523 0527"),
    (33, "浙江", "0570 0571 0572 0573 0574 0575 0576 0577 0578 0579 0580"),
    (34, "安徽", "0550 0551 0552 0553 0554 0555 0556 0557 0558 0559 0561 0562 0563 0564 0566"),
    (35, "福建", "0591 0592 0593 0594 0595 0596 0597 0598 0599"),
    (36, "江西", "0701 0790 0791 0792 0793 0794 0795 0796 0797 0798 0799"),
    (37, "山东", "0530 0531 0532 0533 0534 0535 0536 0537 0538 0539 0543 0546 0631 0632 0633 0634 0635"),
    (41, "河南", "0370 0371 0372 0373 0374 0375 0376 0377 0378 0379 0391 0392 0393 0394 0395 0396 0398"),
    (42, "湖北", "027 0710 0711 0712 0713 0714 0715 0716 0717 0718 0719 0722 0724 0728"),
    (43, "湖南", "0730 0731 0734 0735 0736 0737 0738 0739 0743 0744 0745 0746"),
    (44, "广东", "020 0660 0662 0663 0668 0750 0751 0752 0753 0754 0755 0756 0757 0758 0759 0760 0762 0763 0766 0768 0769"),
    (45, "广西", "0770 0771 0772 0773 0774 0775 0776 0777 0778 0779"),
    (46, "海南", "0898"),
    (50, "重庆", "023"),
    (51, "四川", "028 0812 0813 0816 0817 0818 0825 0826 0827 0830 0831 0832 0833 0834 0835 0836 0837 0838 0839"),
    (52, "贵州", "0851 0852 0853 0854 0855 0856 0857 0858 0859"),
    (53, "云南", "0691 0692 0870 0871 0872 0873 0874 0875 0876 0877 0878 0879 0883 0886 0887 0888"),
    (54, "西藏", "0807 0891 0892 0893 0894 0895 0896 0897"),
    (61, "陕西", "029 0911 0912 0913 0914 0915 0916 0917 0919"),
    (62, "甘肃", "0930 0931 0932 0933 0934 0935 0936 0937 0938 0939 0941 0943"),
    (63, "青海", "0970 0971 0972 0973 0974 0975 0976 0977 0979"),
    (64, "宁夏", "0951 0952 0953 0954 0955"),
    (65, "新疆", "0901 0902 0903 0906 0908 0909 0990 0991 0992 0993 0994 0995 0996 0997 0998 0999"),
)

# Leading province names, longest first (ties broken by the name itself, for determinism).
PROVINCE_NAMES: tuple[tuple[str, int], ...] = tuple(
    sorted(((name, code) for code, name, _ in PROVINCES), key=lambda nc: (-len(nc[0]), nc[0]))
)

AREA_CODE_LIST: dict[str, int] = {
    area: code for code, _, areas in PROVINCES for area in areas.split()
}

# Coarse mobile prefixes that map a whole 3- or 4-digit block to one city and are wrong (phone.dat spreads them
# over many provinces).
DROPPED_MOBILE_PREFIXES: tuple[str, ...] = ("173", "1784")

# National parts that are 2-digit area codes: 10 (Beijing) and 2X.
TWO_DIGIT_AREA_CODES = frozenset({"10"} | {f"2{d}" for d in range(10)})

PREFIX_DIGITS = 7
LINE_RE = re.compile(r"^86([0-9]+)\|(.+)$")
VERSION_RE = re.compile(r"phonenumber-([0-9]+\.[0-9]+\.[0-9]+\+([0-9]+(?:\.[0-9]+)*))(?:[/\\]|$)")
CRATE_VERSION_RE = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+\+([0-9]+(?:\.[0-9]+)*)$")


class GenError(Exception):
    pass


def province_of(name: str) -> int | None:
    """GB/T 2260 code of a place name, by its leading province name (longest match), or None."""
    for short, code in PROVINCE_NAMES:
        if name.startswith(short):
            return code
    return None


def read_entries(path: Path) -> list[tuple[str, str]]:
    """(national prefix, place name) for every data line of 86.txt, in file order."""
    entries: list[tuple[str, str]] = []
    seen: set[str] = set()
    text = path.read_bytes().decode("utf-8")
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r").strip()
        if not line or line.startswith("#"):
            continue
        m = LINE_RE.match(line)
        if m is None:
            raise GenError(f"{path}:{lineno}: unexpected line {line!r}")
        national, name = m.group(1), m.group(2).strip()
        if national in seen:
            raise GenError(f"{path}:{lineno}: duplicate prefix 86{national}")
        seen.add(national)
        entries.append((national, name))
    if not entries:
        raise GenError(f"{path}: no entries")
    return entries


def is_mobile(national: str) -> bool:
    return national.startswith("1") and not national.startswith("10")


def build_mobile(entries: list[tuple[str, str]], log: list[str]) -> tuple[list[tuple[int, int, int]], int]:
    """Inclusive (start, end, province) ranges of 7-digit prefixes, and the number of prefixes covered."""
    # prefix -> province, or None for "covered, but no usable province" (dropped prefixes, unmapped names)
    best: dict[str, int | None] = {}
    unmapped: dict[str, int] = {}
    dropped_present: list[str] = []
    for national, name in entries:
        if not is_mobile(national):
            continue
        if len(national) > PREFIX_DIGITS:
            raise GenError(f"mobile prefix 86{national} is longer than {PREFIX_DIGITS} digits")
        if national in DROPPED_MOBILE_PREFIXES:
            dropped_present.append(national)
            best[national] = None
            continue
        code = province_of(name)
        if code is None:
            unmapped[name] = unmapped.get(name, 0) + 1
        best[national] = code
    # Expand shorter prefixes first so that more specific entries overwrite them.
    by_prefix: dict[int, int | None] = {}
    for national in sorted(best, key=lambda p: (len(p), p)):
        code = best[national]
        width = PREFIX_DIGITS - len(national)
        base = int(national) * 10**width
        for n in range(base, base + 10**width):
            by_prefix[n] = code
    covered = sorted(n for n, code in by_prefix.items() if code is not None)
    ranges: list[tuple[int, int, int]] = []
    for n in covered:
        code = by_prefix[n]
        assert code is not None
        if ranges and ranges[-1][1] == n - 1 and ranges[-1][2] == code:
            ranges[-1] = (ranges[-1][0], n, code)
        else:
            ranges.append((n, n, code))
    log.append(
        "mobile: dropped coarse prefixes present in input: "
        + (", ".join(sorted(dropped_present)) if dropped_present else "none")
    )
    for name in sorted(unmapped):
        log.append(f"mobile: {unmapped[name]} entr(y/ies) named {name!r} map to no province; dropped")
    return ranges, len(covered)


def build_landline(entries: list[tuple[str, str]], log: list[str]) -> tuple[dict[str, int], list[str]]:
    """Area code (with trunk 0) -> province, and the codes taken from the area-code list only."""
    area: dict[str, int] = {}
    for national, name in entries:
        if is_mobile(national):
            continue
        if national in TWO_DIGIT_AREA_CODES or (len(national) == 3 and not national.startswith(("1", "2"))):
            code = province_of(name)
            if code is None:
                log.append(f"landline: national prefix {national} ({name}) maps to no province; skipped")
                continue
            area["0" + national] = code
        else:
            log.append(f"landline: national prefix {national} ({name}) is not a 2-digit 10/2X "
                       "or 3-digit area code; skipped")
    from_lpn = set(area)
    list_only: list[str] = []
    for code_str in sorted(AREA_CODE_LIST):
        prov = AREA_CODE_LIST[code_str]
        if code_str in area:
            if area[code_str] != prov:
                raise GenError(
                    f"area code {code_str}: libphonenumber says {area[code_str]}, the area-code list says {prov}"
                )
        else:
            area[code_str] = prov
            list_only.append(code_str)
    lpn_only = sorted(from_lpn - set(AREA_CODE_LIST))
    log.append(f"landline: {len(from_lpn)} codes from libphonenumber, {len(list_only)} added from the area-code "
               "list: " + (" ".join(list_only) if list_only else "none"))
    if lpn_only:
        log.append("landline: WARNING codes in libphonenumber but not in the area-code list (kept): "
                   + " ".join(lpn_only))
    if area == AREA_CODE_LIST:
        log.append(f"landline: final table equals the area-code list ({len(area)} codes, same provinces)")
    else:
        log.append("landline: WARNING final table differs from the area-code list")
    return area, list_only


def write_lf(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    repo_root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("input", type=Path, help="libphonenumber geocoding/zh/86.txt (from the phonenumber crate)")
    ap.add_argument("--crate-version",
                    help="phonenumber crate version, e.g. 0.3.10+9.0.33 "
                         "(default: taken from a 'phonenumber-<version>' component of the input path)")
    ap.add_argument("--date", default=datetime.date.today().isoformat(),
                    help="generation date written into the headers, YYYY-MM-DD (default: today)")
    ap.add_argument("--out-dir", type=Path, default=repo_root / "provinces" / "data",
                    help="output directory (default: <repo>/provinces/data)")
    args = ap.parse_args(argv)

    try:
        date = datetime.date.fromisoformat(args.date).isoformat()
        if date != args.date:
            raise ValueError
    except ValueError:
        ap.error(f"--date must be YYYY-MM-DD, got {args.date!r}")

    if args.crate_version:
        m = CRATE_VERSION_RE.match(args.crate_version)
        if m is None:
            ap.error(f"--crate-version must look like 0.3.10+9.0.33, got {args.crate_version!r}")
        crate_version, data_version = args.crate_version, m.group(1)
    else:
        m = VERSION_RE.search(args.input.resolve().as_posix())
        if m is None:
            ap.error("cannot infer the crate version from the input path; pass --crate-version")
        crate_version, data_version = m.group(1), m.group(2)

    try:
        raw = args.input.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        entries = read_entries(args.input)
        log: list[str] = []
        ranges, covered = build_mobile(entries, log)
        area, list_only = build_landline(entries, log)
    except (OSError, UnicodeDecodeError, GenError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1

    origin = (f"# origin: libphonenumber resources/geocoding/zh/86.txt, as shipped in the crates.io crate "
              f"phonenumber {crate_version} (libphonenumber data {data_version})")
    source = f"# input: 86.txt sha256 {digest}, {len(entries)} entries"
    licence = "# licence: Apache-2.0 (Copyright (C) the Libphonenumber Authors); this table is a derivative work"

    mobile_lines = [
        "# mobile_ranges: 7-digit mobile prefix ranges -> GB/T 2260 province code",
        origin,
        source,
        licence,
        f"# generated: {date} by {SCRIPT}; dropped coarse prefixes: {', '.join(DROPPED_MOBILE_PREFIXES)}",
        "# columns: start<TAB>end<TAB>province   (inclusive 7-digit prefixes)",
    ]
    mobile_lines += [f"{s:07d}\t{e:07d}\t{p:02d}" for s, e, p in ranges]

    landline_lines = [
        "# landline_area_codes: trunk-prefixed area code -> GB/T 2260 province code",
        origin + "; national prefixes 10 and 2X (2-digit codes) and other 3-digit prefixes not starting with 1",
        source,
        ("# origin: the area-code field of phone.dat 2312 (PyPI package phone 0.4.5, https://github.com/ls0f/phone) "
         "only, not in libphonenumber: " + (" ".join(list_only) if list_only else "none")),
        licence + " (the codes from phone.dat only are facts of the public numbering plan)",
        f"# generated: {date} by {SCRIPT}; cross-checked against the script's area-code list "
        "(libphonenumber 9.0.33 merged with phone.dat 2312)",
        "# columns: area_code<TAB>province",
    ]
    landline_lines += [f"{code}\t{area[code]:02d}" for code in sorted(area)]

    mobile_path = args.out_dir / "mobile_ranges.tsv"
    landline_path = args.out_dir / "landline_area_codes.tsv"
    write_lf(mobile_path, mobile_lines)
    write_lf(landline_path, landline_lines)

    for line in log:
        print(line, file=sys.stderr)
    print(f"input: {args.input} (phonenumber {crate_version}, {len(entries)} entries, sha256 {digest})")
    print(f"{mobile_path}: {len(ranges)} ranges, {covered} 7-digit prefixes, {mobile_path.stat().st_size} bytes")
    print(f"{landline_path}: {len(area)} area codes ({len(list_only)} from the area-code list only), "
          f"{landline_path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
