#!/usr/bin/env python3
"""Checks the Prometheus Operator objects of a rendered chart, which no installed validator has
a schema for (kubernetes-validate only warns about unknown kinds):

- every ServiceMonitor (monitoring.coreos.com/v1) selects a rendered Service by labels that
  Service carries, and each endpoint names one of its ports and an absolute path (OBS-001);
- every PrometheusRule has groups of rules, each with alert, expr, a duration in `for`,
  labels.severity (critical, warning or info) and annotations.summary and description
  (OBS-003..006);
- every expr has balanced (), [] and {} outside strings, reads a known metric and compares
  against a number; HTTP alerts appear only in a chart with a Service (workers get none).
Several charts may be rendered into one folder: each object is matched within its own chart.

Usage: monitoring_check.py RENDERED_DIR   (exit 1 with the problems found)
"""
import pathlib
import re
import sys

import yaml
from promql import balanced

rendered = pathlib.Path(sys.argv[1])
problems, monitors, rules, services = [], [], [], {}
API = "monitoring.coreos.com/v1"
METRICS = (
    "http_requests_total",
    "http_request_duration_seconds_bucket",
    "kube_pod_container_status_restarts_total",
    "container_cpu_usage_seconds_total",
    "container_memory_working_set_bytes",
)
DURATION = re.compile(r"^(\d+(ms|[smhdwy]))+$")


for path in sorted(rendered.glob("*.yaml")):
    for doc in yaml.safe_load_all(path.read_text()):
        if not doc:
            continue
        kind, name = doc.get("kind"), doc.get("metadata", {}).get("name")
        where = f"{path.name}: {kind} {name}"
        # helm-check names files <chart>__templates__<file>; several charts may share the folder.
        chart = path.name.split("__")[0]
        if kind == "Service":
            services.setdefault(chart, []).append(doc)
        elif kind in ("ServiceMonitor", "PrometheusRule", "PodMonitor"):
            if doc.get("apiVersion") != API:
                problems.append(f"{where}: apiVersion {doc.get('apiVersion')!r}")
            (rules if kind == "PrometheusRule" else monitors).append((where, chart, kind, doc.get("spec") or {}))

for where, chart, kind, spec in monitors:
    wanted = (spec.get("selector") or {}).get("matchLabels") or {}
    endpoints = spec.get("endpoints" if kind == "ServiceMonitor" else "podMetricsEndpoints") or []
    if not wanted or not endpoints:
        problems.append(f"{where}: needs selector.matchLabels and endpoints")
    matched = [s for s in services.get(chart, []) if wanted.items() <= (s["metadata"].get("labels") or {}).items()]
    if kind == "ServiceMonitor" and not matched:
        problems.append(f"{where}: selects no rendered Service by {wanted}")
    ports = {p.get("name") for s in matched for p in s["spec"].get("ports", [])}
    for endpoint in endpoints:
        if kind == "ServiceMonitor" and endpoint.get("port") not in ports:
            problems.append(f"{where}: endpoint port {endpoint.get('port')!r} not in {sorted(ports)}")
        if not str(endpoint.get("path", "")).startswith("/"):
            problems.append(f"{where}: endpoint path {endpoint.get('path')!r}")

count = 0
for where, chart, _, spec in rules:
    groups = spec.get("groups") or []
    if not groups:
        problems.append(f"{where}: no groups")
    for group in groups:
        if not group.get("name") or not group.get("rules"):
            problems.append(f"{where}: group {group.get('name')!r} needs a name and rules")
        for rule in group.get("rules") or []:
            count += 1
            at = f"{where}: {rule.get('alert')}"
            expr = str(rule.get("expr", ""))
            if not rule.get("alert") or not expr:
                problems.append(f"{at}: needs alert and expr")
            if not DURATION.match(str(rule.get("for", ""))):
                problems.append(f"{at}: for {rule.get('for')!r}")
            if (rule.get("labels") or {}).get("severity") not in ("critical", "warning", "info"):
                problems.append(f"{at}: severity {(rule.get('labels') or {}).get('severity')!r}")
            notes = rule.get("annotations") or {}
            if not notes.get("summary") or not notes.get("description"):
                problems.append(f"{at}: needs annotations summary and description")
            if not balanced(expr):
                problems.append(f"{at}: unbalanced brackets in {expr!r}")
            if not any(metric in expr for metric in METRICS):
                problems.append(f"{at}: reads none of {METRICS}")
            if not re.search(r"> \d+(\.\d+)?$", expr.strip()):
                problems.append(f"{at}: does not end in a threshold comparison")
            if "http_request" in expr and chart not in services:
                problems.append(f"{at}: an HTTP alert in a chart that serves no HTTP")

print("\n".join(problems) if problems else f"{len(monitors)} monitor(s), {count} alert rule(s) ok")
sys.exit(1 if problems else 0)
