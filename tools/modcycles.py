#!/usr/bin/env python3
"""Lists the import cycles among the top-level modules of src/ (each `crate::<module>` a file refers to, tests
excluded). Exit 1 when there is a cycle. Run from the project root."""
import os, re, sys

SRC = "src"
mods = sorted({f[:-3] if f.endswith(".rs") else f for f in os.listdir(SRC)} - {"lib", "main"})
edges = {m: set() for m in mods}
for m in mods:
    files = []
    if os.path.isdir(os.path.join(SRC, m)):
        for root, _, names in os.walk(os.path.join(SRC, m)):
            files += [os.path.join(root, n) for n in names if n.endswith(".rs")]
    if os.path.exists(os.path.join(SRC, m + ".rs")):
        files.append(os.path.join(SRC, m + ".rs"))
    for f in files:
        text = open(f, encoding="utf-8").read()
        text = text.split("#[cfg(test)]")[0]
        for dep in re.findall(r"crate::([a-z_]+)", text):
            if dep in edges and dep != m:
                edges[m].add(dep)

# Strongly connected components (Tarjan).
index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]
def visit(v):
    index[v] = low[v] = counter[0]; counter[0] += 1; stack.append(v); on.add(v)
    for w in edges[v]:
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        comps.append(comp)
for v in mods:
    if v not in index:
        visit(v)
cycles = [sorted(c) for c in comps if len(c) > 1]
for m in mods:
    print(f"{m} -> {', '.join(sorted(edges[m])) or '-'}")
for c in cycles:
    print("cycle:", " <-> ".join(c))
print(f"{len(cycles)} import cycle(s) among {len(mods)} modules")
sys.exit(1 if cycles else 0)
