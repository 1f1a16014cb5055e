#!/usr/bin/env python3
"""Lists the import cycles among the modules of src/: the top-level modules, and the submodules inside each
module directory (a file's references to `crate::<module>` and `super::<sibling>`; tests excluded). Exits 1 when
there is a cycle. Run from the project root."""
import os, re, sys

SRC = "src"


def code(path):
    text = open(path, encoding="utf-8").read()
    return text.split("#[cfg(test)]")[0]


def files_of(base, name):
    out = []
    if os.path.isdir(os.path.join(base, name)):
        for root, _, names in os.walk(os.path.join(base, name)):
            out += [os.path.join(root, n) for n in names if n.endswith(".rs")]
    if os.path.exists(os.path.join(base, name + ".rs")):
        out.append(os.path.join(base, name + ".rs"))
    return out


def cycles(nodes, edges):
    index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            comps.append(comp)

    for v in nodes:
        if v not in index:
            visit(v)
    return [sorted(c) for c in comps if len(c) > 1]


def level(base, prefix):
    names = sorted({f[:-3] if f.endswith(".rs") else f for f in os.listdir(base)} - {"lib", "main", "mod"})
    edges = {m: set() for m in names}
    for m in names:
        for f in files_of(base, m):
            text = code(f)
            deps = re.findall(r"crate::" + re.escape(prefix) + r"([a-z_]+)", text)
            if prefix:
                deps += re.findall(r"super::([a-z_]+)", text) if os.path.dirname(f) == base else []
            for d in deps:
                if d in edges and d != m:
                    edges[m].add(d)
    found = cycles(names, edges)
    for c in found:
        print(f"cycle in {base}:", " <-> ".join(c))
    count = len(found)
    for m in names:
        sub = os.path.join(base, m)
        if os.path.isdir(sub):
            count += level(sub, prefix + m + "::")
    return count


total = level(SRC, "")
print(f"{total} import cycle(s)")
sys.exit(1 if total else 0)
