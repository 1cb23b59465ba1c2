#!/usr/bin/env python3
"""Checks the Argo Rollouts analysis of a rendered chart, which no installed validator has a
schema for (kubernetes-validate only warns about unknown kinds), against the fields of
argoproj.io/v1alpha1 that ROLLOUT-008 relies on:

- every AnalysisTemplate has uniquely named args and metrics; each metric has a duration in
  `interval`, a whole `failureLimit` (and `count`, when set), a `successCondition` on `result`,
  and a Prometheus provider with an http(s) address and a query whose (), [] and {} balance
  outside strings, that reads an HTTP RED metric and uses only declared args ({{args.NAME}});
- every Rollout's `strategy.canary.analysis` names rendered AnalysisTemplates, gives each of
  their args without a value (a value or a valueFrom.podTemplateHashValue of Stable or Latest),
  and starts at a step the Rollout has; every AnalysisTemplate is used by a Rollout;
- a label a query selects on is on the series: the ServiceMonitor copies it from the pods
  (podTargetLabels, `-` read as `_`), unless it is one Prometheus always sets;
- where a chart runs two versions side by side (blue/green Deployments, stable/canary tracks,
  a Rollout), its ServiceMonitor copies the label that tells them apart (ROLLOUT-008), which the
  deploy's check of the idle colour and the AnalysisTemplate select on.
Several charts may be rendered into one folder: each object is matched within its own chart.

Usage: analysis_check.py RENDERED_DIR   (exit 1 with the problems found)
"""
import pathlib
import re
import sys

import yaml
from promql import STRING, balanced

rendered = pathlib.Path(sys.argv[1])
problems, templates, rollouts, target_labels = [], {}, [], {}
# chart -> the pod labels that tell its versions apart, and the charts with a ServiceMonitor.
versioned, monitored = {}, {}
API = "argoproj.io/v1alpha1"
METRICS = ("http_requests_total", "http_request_duration_seconds_bucket")
DURATION = re.compile(r"^(\d+(ms|[smh]))+$")
NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
ARG = re.compile(r"\{\{\s*args\.([A-Za-z0-9_-]+)\s*\}\}")
# Labels every scraped series carries without podTargetLabels.
TARGET = {"namespace", "pod", "service", "endpoint", "container", "job", "instance", "le", "status"}


def selected_labels(query):
    """The label names of every {…} matcher of a query."""
    names = set()
    for matcher in re.findall(r"\{([^{}]*)\}", STRING.sub('""', query)):
        names.update(re.findall(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)", matcher))
    return names


for path in sorted(rendered.glob("*.yaml")):
    for doc in yaml.safe_load_all(path.read_text()):
        if not doc:
            continue
        kind, name = doc.get("kind"), doc.get("metadata", {}).get("name")
        where = f"{path.name}: {kind} {name}"
        # helm-check names files <chart>__templates__<file>; several charts may share the folder.
        chart = path.name.split("__")[0]
        spec = doc.get("spec") or {}
        if kind == "ServiceMonitor":
            labels = spec.get("podTargetLabels") or []
            if not isinstance(labels, list) or not all(isinstance(label, str) and label for label in labels):
                problems.append(f"{where}: podTargetLabels {labels!r} is not a list of label names")
                labels = []
            target_labels.setdefault(chart, set()).update(label.replace("-", "_").replace(".", "_").replace("/", "_") for label in labels)
            monitored.setdefault(chart, set()).update(labels)
        elif kind == "AnalysisTemplate":
            if doc.get("apiVersion") != API:
                problems.append(f"{where}: apiVersion {doc.get('apiVersion')!r}")
            templates[(chart, name)] = (where, spec)
        elif kind == "Rollout":
            rollouts.append((where, chart, spec))
            versioned.setdefault(chart, set()).add("rollouts-pod-template-hash")
        if kind == "Deployment":
            pod_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
            versioned.setdefault(chart, set()).update(label for label in ("version", "track") if label in pod_labels)

used = set()
for where, chart, spec in rollouts:
    canary = (spec.get("strategy") or {}).get("canary") or {}
    analysis = canary.get("analysis")
    if not analysis:
        continue
    steps = canary.get("steps") or []
    start = analysis.get("startingStep", 0)
    if not isinstance(start, int) or not 0 <= start < max(len(steps), 1):
        problems.append(f"{where}: analysis.startingStep {start!r} outside its {len(steps)} steps")
    given = {}
    for arg in analysis.get("args") or []:
        source = arg.get("valueFrom") or {}
        if "value" not in arg and source.get("podTemplateHashValue") not in ("Stable", "Latest") and "fieldRef" not in source:
            problems.append(f"{where}: analysis arg {arg.get('name')!r} has no value")
        given[arg.get("name")] = arg
    refs = analysis.get("templates") or []
    if not refs:
        problems.append(f"{where}: analysis names no template")
    for ref in refs:
        key = (chart, ref.get("templateName"))
        if ref.get("clusterScope"):
            continue
        if key not in templates:
            problems.append(f"{where}: analysis template {ref.get('templateName')!r} is not rendered")
            continue
        used.add(key)
        for arg in templates[key][1].get("args") or []:
            if "value" not in arg and "valueFrom" not in arg and arg.get("name") not in given:
                problems.append(f"{where}: gives no value for {ref.get('templateName')}'s arg {arg.get('name')!r}")

for chart, labels in versioned.items():
    if chart in monitored and labels - monitored[chart]:
        problems.append(f"{chart}: the ServiceMonitor does not copy {sorted(labels - monitored[chart])} from the pods, so metrics cannot tell the versions apart (ROLLOUT-008)")

count = 0
for (chart, name), (where, spec) in templates.items():
    if (chart, name) not in used:
        problems.append(f"{where}: no Rollout runs it")
    args = [arg.get("name") for arg in spec.get("args") or []]
    if len(set(args)) != len(args) or not all(args):
        problems.append(f"{where}: args {args!r} need unique names")
    metrics = spec.get("metrics") or []
    if not metrics:
        problems.append(f"{where}: no metrics")
    names = [metric.get("name") for metric in metrics]
    if len(set(names)) != len(names):
        problems.append(f"{where}: metric names {names!r} repeat")
    for metric in metrics:
        count += 1
        at = f"{where}: {metric.get('name')}"
        if not NAME.match(str(metric.get("name", ""))):
            problems.append(f"{at}: name")
        if not DURATION.match(str(metric.get("interval", ""))):
            problems.append(f"{at}: interval {metric.get('interval')!r}")
        for field in ("failureLimit", "count", "consecutiveErrorLimit"):
            if field in metric and not (isinstance(metric[field], int) and metric[field] >= 0):
                problems.append(f"{at}: {field} {metric[field]!r}")
        condition = str(metric.get("successCondition", ""))
        if "result" not in condition or not balanced(condition):
            problems.append(f"{at}: successCondition {condition!r}")
        provider = (metric.get("provider") or {}).get("prometheus")
        if not provider:
            problems.append(f"{at}: needs a Prometheus provider")
            continue
        if not re.match(r"^https?://[^\s/]+", str(provider.get("address", ""))):
            problems.append(f"{at}: address {provider.get('address')!r}")
        query = str(provider.get("query", ""))
        if not balanced(query):
            problems.append(f"{at}: unbalanced brackets in {query!r}")
        if not any(name in query for name in METRICS):
            problems.append(f"{at}: reads none of {METRICS}")
        for arg in ARG.findall(query):
            if arg not in args:
                problems.append(f"{at}: uses undeclared arg {arg!r}")
        missing = selected_labels(query) - TARGET - target_labels.get(chart, set())
        if missing:
            problems.append(f"{at}: selects on {sorted(missing)}, which no ServiceMonitor copies from the pods")

print("\n".join(problems) if problems else f"{len(templates)} AnalysisTemplate(s), {count} metric(s) ok")
sys.exit(1 if problems else 0)
