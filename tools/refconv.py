#!/usr/bin/env python3
"""Turn a rule-reference markdown file (a maintainer's notes: one `### rule-id` section per rule) into a YAML rule-set skeleton.

Developer tool: it copies what the reference states (ids, titles, severities, scope, fields, zh/en messages,
hints, sources, confidence, the prose examples as comments) so a person only adds what needs judgement: the check
kind, its parameters, the English title, the Chinese hint and structured examples.

usage: tools/refconv.py REFERENCE.md [RULE_ID ...] > skeleton.yaml
"""
import re
import sys
import hashlib

def slug(url):
    host = re.sub(r'^https?://', '', url).split('/')[0].replace('www.', '')
    h = hashlib.sha1(url.encode()).hexdigest()[:6]
    return f"{host.split('.')[0]}-{h}"

def yq(s):
    """Quote a YAML scalar."""
    s = s.replace('\\', '\\\\').replace('"', '\\"')
    return f'"{s}"'

def parse(path):
    text = open(path, encoding='utf-8').read()
    titles = {}
    for m in re.finditer(r'^\* (.+?): (https?://\S+)', text, re.M):
        for u in re.split(r',\s*', m.group(2)):
            titles[u.strip()] = m.group(1).strip()
    for m in re.finditer(r'^\* (.+?): (https?://.+)$', text, re.M):
        for u in re.findall(r'https?://[^\s,]+', m.group(2)):
            titles.setdefault(u, m.group(1).strip())
    rules = []
    blocks = re.split(r'^### ', text, flags=re.M)[1:]
    for b in blocks:
        head, *lines = b.split('\n')
        m = re.match(r'(\S+)(?: \((\S+)\))? — (.*)', head)
        if not m or '.' not in m.group(1):
            continue
        r = {'id': m.group(1), 'ref': m.group(2), 'title': m.group(3), 'fields': {}}
        for line in lines:
            fm = re.match(r'- ([a-z ]+): (.*)', line)
            if fm:
                r['fields'][fm.group(1)] = fm.group(2)
        rules.append(r)
    return rules, titles

def main():
    path = sys.argv[1]
    wanted = set(sys.argv[2:])
    rules, titles = parse(path)
    sources = {}
    out = []
    for r in rules:
        if wanted and r['id'] not in wanted:
            continue
        f = r['fields']
        src = f.get('sources', '')
        conf = re.search(r'confidence: (\w+)', src)
        urls = re.findall(r'https?://[^\s,]+', src.split(' — confidence')[0])
        keys = []
        for u in urls:
            k = slug(u)
            sources[k] = u
            keys.append(k)
        ap = f.get('applies to', '')
        am = re.match(r'filing types (.*?); natures (.*)', ap)
        ft = am.group(1) if am else 'all'
        nat = am.group(2) if am else 'all'
        out.append(f"  - id: {r['id']}")
        if r['ref']:
            out.append(f"    ref: {r['ref']}")
        out.append(f"    title: {{zh: {yq(r['title'])}, en: TODO}}")
        out.append(f"    severity: {f.get('when violated', 'fail').split()[0]}")
        out.append(f"    applies: {{filing_types: [{ft}], natures: {nat}}}")
        out.append(f"    check: TODO")
        flds = [x.strip() for x in re.split(r',\s*', f.get('fields', '')) if x.strip().startswith('/')]
        out.append(f"    fields: [{', '.join(x.split(' ')[0] for x in flds)}]")
        out.append(f"    message:\n      zh: {yq(f.get('zh', ''))}\n      en: {yq(f.get('en', ''))}")
        out.append(f"    hint:\n      zh: TODO\n      en: {yq(f.get('hint', ''))}")
        out.append(f"    sources: [{', '.join(keys)}]")
        out.append(f"    confidence: {conf.group(1) if conf else 'medium'}")
        out.append(f"    effective: unknown")
        out.append(f"    # check: {f.get('check', '')}")
        out.append(f"    # example: {f.get('example', '')}")
        out.append(f"    examples: []")
    print("sources:")
    for k, u in sorted(sources.items()):
        print(f"  {k}: {{url: {yq(u)}, title: {yq(titles.get(u, re.sub(r'^https?://', '', u).split('/')[0]))}, seen: 2026-11-28}}")
    print("rules:")
    print('\n'.join(out))

if __name__ == '__main__':
    main()
