#!/usr/bin/env python3
"""Writes a copy of every Argo Rollouts `Rollout` in the rendered manifests as an apps/v1
`Deployment` with the same metadata, selector and pod template, so kubernetes-validate (which
has no schema for the Rollout CRD) and checkov (which has no policies for it) check the pod
spec the Rollout runs. The Rollout-only `strategy.canary` block is dropped; `replicas`,
`revisionHistoryLimit` and `progressDeadlineSeconds` mean the same in both kinds.

Usage: rollout_as_deployment.py RENDERED_DIR   (prints the files it wrote)
"""
import pathlib
import sys

import yaml

KEEP = ("replicas", "selector", "template", "revisionHistoryLimit", "progressDeadlineSeconds", "minReadySeconds")

rendered = pathlib.Path(sys.argv[1])
for path in sorted(rendered.glob("*.yaml")):
    for index, doc in enumerate(yaml.safe_load_all(path.read_text())):
        if not doc or doc.get("kind") != "Rollout":
            continue
        deployment = {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": doc["metadata"],
            "spec": {key: value for key, value in doc["spec"].items() if key in KEEP},
        }
        out = rendered / f"{path.stem}.rollout-{index}-as-deployment.yaml"
        out.write_text(yaml.safe_dump(deployment, sort_keys=False))
        print(out)
