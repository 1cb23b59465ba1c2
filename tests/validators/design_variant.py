#!/usr/bin/env python3
"""Writes a variant of a design file with dotted keys set to YAML values, e.g.
`design_variant.py slipway.yaml out.yaml services.0.kubernetes.enabled=true` (a number picks
a list item, `+` appends one: `pipeline.jobs.+={id: smoke, kind: smoke}`), so run.sh can
validate shapes no preset uses (a worker on Kubernetes, a replica-ratio canary)."""
import sys

import yaml

source, target, *assignments = sys.argv[1:]
design = yaml.safe_load(open(source))
for assignment in assignments:
    path, value = assignment.split("=", 1)
    node = design
    *parents, leaf = path.split(".")
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if leaf == "+":
        node.append(yaml.safe_load(value))
    else:
        node[int(leaf) if isinstance(node, list) else leaf] = yaml.safe_load(value)
yaml.safe_dump(design, open(target, "w"), sort_keys=False)
