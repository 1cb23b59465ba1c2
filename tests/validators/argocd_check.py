#!/usr/bin/env python3
"""Checks the Argo CD objects of an exported bundle, which no installed validator has a schema
for (Application and AppProject are CRDs of argoproj.io/v1alpha1):

- argocd/<env>/ holds the bootstrap: project.yaml (the services' AppProject), apps-project.yaml
  (the root's AppProject) and root.yaml (the root Application); argocd/<env>/apps/*.yaml one
  Application per service;
- names are DNS labels (at most 63 characters) in one namespace; every Application names an
  existing project, a repository that project allows, a destination it allows, the
  environment's deploy branch, and a path and values file the bundle has (HELM-002, HELM-005);
- sync policies: automated sync has boolean prune and selfHeal, retries have a positive limit
  and a backoff with durations (HELM-005); sync waves are integers in strings;
- projects allow nothing cluster-wide, and the services' project allows every kind the charts
  render with that environment's values (the rendered folder of the chart check), while the
  root's project allows Applications only.

Usage: argocd_check.py BUNDLE_DIR RENDERED_DIR   (RENDERED_DIR/<env>/*.yaml; exit 1 with the problems)
"""
import pathlib
import re
import sys

import yaml

bundle = pathlib.Path(sys.argv[1])
rendered_root = pathlib.Path(sys.argv[2])
problems = []
API = "argoproj.io/v1alpha1"
LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
DURATION = re.compile(r"^(\d+(ms|[smh]))+$")
REPOSITORY = re.compile(r"^https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+\.git$")


def problem(where, text):
    problems.append(f"{where}: {text}")


def load(path):
    with open(path) as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc is not None]


def metadata(where, obj, kind):
    if obj.get("apiVersion") != API or obj.get("kind") != kind:
        problem(where, f"expected {API} {kind}, got {obj.get('apiVersion')} {obj.get('kind')}")
    meta = obj.get("metadata") or {}
    for key in ("name", "namespace"):
        if not LABEL.match(str(meta.get(key, ""))):
            problem(where, f"metadata.{key} {meta.get(key)!r} is not a DNS label")
    return meta


def sync_policy(where, policy):
    automated = policy.get("automated")
    if automated is not None:
        for key in ("prune", "selfHeal"):
            if not isinstance(automated.get(key), bool):
                problem(where, f"syncPolicy.automated.{key} is not a boolean")
    retry = policy.get("retry")
    if retry is not None:
        if not isinstance(retry.get("limit"), int) or retry["limit"] < 1:
            problem(where, "syncPolicy.retry.limit is not a positive integer")
        backoff = retry.get("backoff") or {}
        for key in ("duration", "maxDuration"):
            if not DURATION.match(str(backoff.get(key, ""))):
                problem(where, f"syncPolicy.retry.backoff.{key} {backoff.get(key)!r} is no duration")
        if not isinstance(backoff.get("factor"), int):
            problem(where, "syncPolicy.retry.backoff.factor is not an integer")
    for option in policy.get("syncOptions") or []:
        if not re.match(r"^[A-Za-z]+=(true|false)$", str(option)):
            problem(where, f"syncOptions entry {option!r} is not Name=true|false")


def application(where, app, projects, branch):
    meta = metadata(where, app, "Application")
    wave = (meta.get("annotations") or {}).get("argocd.argoproj.io/sync-wave")
    if wave is not None and not (isinstance(wave, str) and re.match(r"^-?\d+$", wave)):
        problem(where, f"sync-wave {wave!r} is not an integer in a string")
    spec = app.get("spec") or {}
    project = projects.get(spec.get("project"))
    if project is None:
        problem(where, f"project {spec.get('project')!r} is not in the bootstrap")
        return spec
    source = spec.get("source") or {}
    if source.get("repoURL") not in project.get("sourceRepos", []):
        problem(where, f"repoURL {source.get('repoURL')!r} is not allowed by its project")
    if not REPOSITORY.match(str(source.get("repoURL", ""))):
        problem(where, f"repoURL {source.get('repoURL')!r} is not a GitHub repository URL")
    if source.get("targetRevision") != branch:
        problem(where, f"targetRevision {source.get('targetRevision')!r} is not {branch}")
    path = bundle / str(source.get("path", ""))
    if not path.is_dir():
        problem(where, f"source.path {source.get('path')!r} is not a folder of the bundle")
    destination = spec.get("destination") or {}
    allowed = [
        (d.get("server"), d.get("namespace")) for d in project.get("destinations", [])
    ]
    if (destination.get("server"), destination.get("namespace")) not in allowed:
        problem(where, f"destination {destination} is not allowed by its project")
    helm = source.get("helm")
    if helm is not None:
        files = helm.get("valueFiles") or []
        if not files or not (path / files[0]).is_file():
            problem(where, f"the first values file {files[:1]} is not in the chart")
        for name in files[1:]:
            # The image pins live on the deploy branch only, in releases/ at its root.
            if not re.match(r"^\.\./\.\./releases/[a-z0-9-]+\.yaml$", name):
                problem(where, f"values file {name!r} is neither in the chart nor a release pin")
    sync_policy(where, spec.get("syncPolicy") or {})
    return spec


def kinds_of(project):
    return {(k.get("group", ""), k.get("kind")) for k in project.get("namespaceResourceWhitelist", [])}


folders = sorted((bundle / "argocd").glob("*/"))
if not folders:
    problem(str(bundle), "no argocd/<env>/ folder")
for folder in folders:
    env = folder.name
    branch = f"deploy/{env}"
    where = f"argocd/{env}/"
    docs = []
    for name in ("project.yaml", "apps-project.yaml", "root.yaml"):
        loaded = load(folder / name) if (folder / name).is_file() else []
        if len(loaded) != 1:
            problem(where + name, f"expected one object, got {len(loaded)}")
        docs.extend(loaded[:1])
    if [doc.get("kind") for doc in docs] != ["AppProject", "AppProject", "Application"]:
        problem(where, f"expected two AppProjects and the root Application, got {[d.get('kind') for d in docs]}")
        continue
    projects = {}
    for doc in docs[:2]:
        meta = metadata(where, doc, "AppProject")
        spec = doc.get("spec") or {}
        projects[meta.get("name")] = spec
        if spec.get("clusterResourceWhitelist") != []:
            problem(where, f"project {meta.get('name')} allows cluster-wide objects")
        if not spec.get("sourceRepos") or not spec.get("destinations"):
            problem(where, f"project {meta.get('name')} has no sourceRepos or destinations")
    services_project, root_project = docs[0], docs[1]
    if kinds_of(root_project["spec"]) != {("argoproj.io", "Application")}:
        problem(where, "the root's project may manage more than Applications")
    root = application(where, docs[2], projects, branch)
    if root.get("project") != root_project["metadata"]["name"]:
        problem(where, "the root Application is not in the root's project")
    if (root.get("source") or {}).get("path") != f"argocd/{env}/apps":
        problem(where, f"the root syncs {root.get('source', {}).get('path')!r}, not argocd/{env}/apps")
    namespace = docs[2]["metadata"]["namespace"]
    apps = sorted((folder / "apps").glob("*.yaml"))
    if not apps:
        problem(f"argocd/{env}/apps", "no Application")
    for path in apps:
        where = f"argocd/{env}/apps/{path.name}"
        for app in load(path):
            spec = application(where, app, projects, branch)
            if spec.get("project") != services_project["metadata"]["name"]:
                problem(where, "not in the services' project")
            if app["metadata"]["namespace"] != namespace:
                problem(where, "not in the root Application's namespace")
    # Every kind the charts render in this environment is allowed by the services' project.
    allowed = kinds_of(services_project["spec"])
    rendered = rendered_root / env
    files = sorted(rendered.glob("*.yaml")) if rendered.is_dir() else []
    if not files:
        problem(str(rendered), "no rendered chart to compare the project with")
    for path in files:
        # rollout_as_deployment.py's copies of a Rollout's pod template are the check's own.
        if path.name.endswith("-as-deployment.yaml"):
            continue
        for obj in load(path):
            api = str(obj.get("apiVersion", ""))
            group = api.split("/")[0] if "/" in api else ""
            if (group, obj.get("kind")) not in allowed:
                problem(f"argocd/{env}/project.yaml", f"the project does not allow {obj.get('kind')} ({api}) that {path.name} renders")

for line in problems:
    print(line)
sys.exit(1 if problems else 0)
