#!/usr/bin/env python3
"""Checks the External Secrets Operator objects of a rendered chart, which no installed
validator has a schema for (kubernetes-validate only warns about unknown kinds):

- every ExternalSecret has the fields of external-secrets.io/v1 that SECRETS-004 asks for:
  a ClusterSecretStore or SecretStore reference, a refreshInterval, target.creationPolicy
  Owner, and data entries with a secretKey and a remoteRef.key;
- every remote key starts with this environment's prefix (SECRETS-005);
- every target Secret is loaded by a workload (envFrom secretRef), and no plain Secret with
  data or stringData is rendered.

Usage: external_secret_check.py RENDERED_DIR PREFIX   (exit 1 with the problems found)
"""
import pathlib
import re
import sys

import yaml

rendered, prefix = pathlib.Path(sys.argv[1]), sys.argv[2]
problems, targets, loaded = [], [], set()
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def pod_specs(doc):
    spec = doc.get("spec") or {}
    if doc.get("kind") == "CronJob":
        yield spec["jobTemplate"]["spec"]["template"]["spec"]
    elif "template" in spec:
        yield spec["template"]["spec"]


for path in sorted(rendered.glob("*.yaml")):
    for doc in yaml.safe_load_all(path.read_text()):
        if not doc:
            continue
        kind, name = doc.get("kind"), doc.get("metadata", {}).get("name")
        where = f"{path.name}: {kind} {name}"
        if kind == "Secret" and (doc.get("data") or doc.get("stringData")):
            problems.append(f"{where}: a plain Secret with values (SECRETS-004)")
        for pod in pod_specs(doc):
            for container in pod.get("containers", []):
                for source in container.get("envFrom", []):
                    if "secretRef" in source:
                        loaded.add(source["secretRef"]["name"])
        if kind != "ExternalSecret":
            continue
        spec = doc.get("spec") or {}
        if doc.get("apiVersion") != "external-secrets.io/v1":
            problems.append(f"{where}: apiVersion {doc.get('apiVersion')!r}")
        store = spec.get("secretStoreRef") or {}
        if store.get("kind") not in ("ClusterSecretStore", "SecretStore") or not store.get("name"):
            problems.append(f"{where}: secretStoreRef {store!r}")
        if not re.fullmatch(r"\d+[smh]", str(spec.get("refreshInterval", ""))):
            problems.append(f"{where}: refreshInterval {spec.get('refreshInterval')!r}")
        target = spec.get("target") or {}
        if target.get("creationPolicy") != "Owner" or not target.get("name"):
            problems.append(f"{where}: target {target!r}")
        targets.append((where, target.get("name")))
        data = spec.get("data") or []
        if not data:
            problems.append(f"{where}: no data")
        for entry in data:
            key = (entry.get("remoteRef") or {}).get("key", "")
            if not ENV_NAME.match(str(entry.get("secretKey", ""))):
                problems.append(f"{where}: secretKey {entry.get('secretKey')!r}")
            if not key.startswith(prefix + "/") or key == prefix + "/":
                problems.append(f"{where}: remote key {key!r} outside {prefix}/ (SECRETS-005)")

for where, target in targets:
    if target not in loaded:
        problems.append(f"{where}: no workload loads Secret {target!r}")

print("\n".join(problems) if problems else f"{len(targets)} ExternalSecret(s) ok")
sys.exit(1 if problems else 0)
