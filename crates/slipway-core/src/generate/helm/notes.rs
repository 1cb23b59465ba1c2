//! What the user is told about the chart: `templates/NOTES.txt` after each install, and the
//! README's steps.

use std::fmt::Write;

use super::chart::Shape;
use crate::facts::deploys::has_deploy_workflow;
use crate::facts::naming::{chart_name, values_file_name};
use crate::model::{CanaryEngine, Design, RolloutStrategy, Service};
use crate::text::identifier;

pub(super) fn notes(service: &Service, shape: Shape) -> String {
    let web = service.kind.is_web();
    let mut out = String::from(
        "{{ include \"@chart@.fullname\" . }} is deployed to namespace {{ .Release.Namespace }} (revision {{ .Release.Revision }}).\n\n",
    );
    if web {
        out.push_str(
            "{{- if .Values.ingress.enabled }}\nPublic URL: https://{{ .Values.ingress.host }}/\n{{- end }}\n\
             In-cluster: http://{{ include \"@chart@.fullname\" . }}.{{ .Release.Namespace }}.svc:{{ .Values.service.port }}/\n\n",
        );
    } else {
        out.push_str("A worker: no Service or Ingress; follow it with\n  kubectl logs --namespace {{ .Release.Namespace }} -l app.kubernetes.io/instance={{ .Release.Name }} -f\n\n");
    }
    match shape {
        Shape::Rolling => out.push_str(
            "Watch the rollout:\n  kubectl rollout status --namespace {{ .Release.Namespace }} deployment/{{ include \"@chart@.fullname\" . }}\n",
        ),
        Shape::BlueGreen => out.push_str(
            "Blue-green: live colour {{ include \"@chart@.activeColor\" . }}, idle colour {{ include \"@chart@.idleColor\" . }} (image tag {{ .Values.image.tag | default .Chart.AppVersion }}).\n\
             1. Check the idle colour through its own Service:\n\
             \x20  kubectl port-forward --namespace {{ .Release.Namespace }} service/{{ include \"@chart@.fullname\" . }}-preview 8080:{{ .Values.service.port }}\n\
             2. Switch traffic by setting blueGreen.activeColor={{ include \"@chart@.idleColor\" . }} and blueGreen.activeTag=<the checked tag>\n\
             \x20  in values/<env>.yaml, then deploy again (or helm upgrade --reuse-values --set ...).\n\
             3. Roll back by switching activeColor back, or with helm rollback {{ .Release.Name }}.\n",
        ),
        Shape::CanaryRatio => out.push_str(
            "Canary by replica ratio: {{ .Values.canary.replicas }} canary pod(s) run image tag {{ .Values.image.tag | default .Chart.AppVersion }}.\n\
             Raise canary.replicas to move through the steps; promote by setting canary.stableTag to the canary's tag\n\
             and canary.replicas to 0; abort with canary.replicas=0.\n",
        ),
        Shape::Cron => out.push_str(
            "Scheduled worker ({{ .Values.cronJob.schedule }}). Start a run now with\n\
             \x20 kubectl create job --namespace {{ .Release.Namespace }} --from=cronjob/{{ include \"@chart@.fullname\" . }} {{ include \"@chart@.fullname\" . }}-manual\n",
        ),
        Shape::CanaryArgo => out.push_str(
            "Canary with Argo Rollouts. Follow and steer it with the kubectl plugin:\n\
             \x20 kubectl argo rollouts get rollout {{ include \"@chart@.fullname\" . }} --namespace {{ .Release.Namespace }} --watch\n\
             \x20 kubectl argo rollouts promote {{ include \"@chart@.fullname\" . }} --namespace {{ .Release.Namespace }}\n\
             \x20 kubectl argo rollouts abort {{ include \"@chart@.fullname\" . }} --namespace {{ .Release.Namespace }}\n\
             {{- if .Values.analysis.enabled }}\n\
             A background analysis (analysistemplate.yaml) aborts the rollout when the canary's error rate or p95 latency\n\
             passes the limits under analysis in values.yaml; its runs show in `get rollout` as AnalysisRuns.\n\
             {{- end }}\n",
        ),
    }
    out.push_str("\nRoll back the whole release: helm rollback {{ .Release.Name }} --namespace {{ .Release.Namespace }}\n");
    out
}

/// The README's steps for the charts (Markdown): `helm upgrade` per service and environment, as
/// the deploy workflow runs it, and the strategies' steps.
pub fn how_to_apply(design: &Design) -> Option<String> {
    let services: Vec<&Service> = crate::generate::actions::deploy_order(design)
        .into_iter()
        .map(|index| &design.services[index])
        .collect();
    let mut out = String::from(if has_deploy_workflow(design) {
        "Deploy the chart with Helm 3, each environment to its own cluster (kubectl context); the \
         deploy workflow runs the same command with the image CI built. `--atomic` rolls a failed \
         upgrade back by itself (ROLLOUT-002).\n\n```sh\n"
    } else {
        "Deploy the chart with Helm 3, each environment to its own cluster (kubectl context). No \
         workflow runs it: the pipeline has no deploy job (PIPELINE-022). `--atomic` rolls a \
         failed upgrade back by itself (ROLLOUT-002).\n\n```sh\n"
    });
    let names: Vec<(String, String)> = services
        .iter()
        .map(|service| {
            let name = chart_name(service);
            let namespace = identifier(&service.kubernetes.namespace, &name);
            (name, namespace)
        })
        .collect();
    for (name, namespace) in &names {
        let mut seen = Vec::new();
        for environment in &design.environments {
            let file = values_file_name(environment);
            if seen.contains(&file) {
                continue;
            }
            let _ = writeln!(
                out,
                "helm upgrade --install {name} charts/{name} --namespace {namespace} --create-namespace \\\n  \
                 -f charts/{name}/values/{file}.yaml --set image.tag=\"$(git rev-parse HEAD)\" \\\n  \
                 --atomic --wait --timeout 10m"
            );
            seen.push(file);
        }
    }
    out.push_str("```\n\n");
    for (position, (name, namespace)) in names.iter().enumerate() {
        if position > 0 {
            out.push(' ');
        }
        let _ = write!(
            out,
            "Roll back to the previous release with `helm rollback {name} --namespace {namespace}`. \
             Preview the manifests with `helm template {name} charts/{name} -f charts/{name}/values/<env>.yaml`."
        );
    }
    let mut strategies: Vec<&'static str> = Vec::new();
    for service in &services {
        let text = strategy_steps(design, service);
        if !text.is_empty() && !strategies.contains(&text) {
            strategies.push(text);
            out.push_str(text);
        }
    }
    Some(out)
}

/// The README's steps for a service's rollout strategy (empty for rolling updates).
fn strategy_steps(design: &Design, service: &Service) -> &'static str {
    let judged = crate::facts::analysis::judged(design, service);
    match service.kubernetes.rollout.strategy {
        RolloutStrategy::Rolling => "",
        RolloutStrategy::BlueGreen if judged => {
            "\n\nBlue-green: pin `blueGreen.activeTag` in `values/<env>.yaml` to the live image tag, so \
             each deploy lands on the idle colour only. The deploy then asks Prometheus \
             (`analysis.prometheus.address`) about the idle colour's error rate and p95 latency and \
             fails when they pass the limits under `analysis` (ROLLOUT-008). Check it through the \
             `<release>-preview` Service, then switch by setting `blueGreen.activeColor` to that \
             colour and `blueGreen.activeTag` to its tag. Switching back is the rollback."
        }
        RolloutStrategy::BlueGreen => {
            "\n\nBlue-green: pin `blueGreen.activeTag` in `values/<env>.yaml` to the live image tag, so \
             each deploy lands on the idle colour only. Check it through the `<release>-preview` \
             Service, then switch by setting `blueGreen.activeColor` to that colour and \
             `blueGreen.activeTag` to its tag. Switching back is the rollback."
        }
        RolloutStrategy::Canary => match service.kubernetes.rollout.canary_engine {
            CanaryEngine::ArgoRollouts if judged => {
                "\n\nCanary with Argo Rollouts: the cluster needs the Argo Rollouts controller (and \
                 the NGINX ingress controller for exact weights). A background analysis \
                 (`templates/analysistemplate.yaml`) asks Prometheus (`analysis.prometheus.address`) \
                 about the canary's error rate and p95 latency every minute from the first pause \
                 on, and aborts the rollout when they pass the limits under `analysis` \
                 (ROLLOUT-008). Follow a release with \
                 `kubectl argo rollouts get rollout <release> --watch`; `promote` skips a manual \
                 pause, `abort` returns all traffic to the stable version."
            }
            CanaryEngine::ArgoRollouts => {
                "\n\nCanary with Argo Rollouts: the cluster needs the Argo Rollouts controller (and \
                 the NGINX ingress controller for exact weights). Follow a release with \
                 `kubectl argo rollouts get rollout <release> --watch`; `promote` skips a manual \
                 pause, `abort` returns all traffic to the stable version."
            }
            CanaryEngine::ReplicaRatio => {
                "\n\nCanary by replica ratio: pin `canary.stableTag` to the live image tag, so each \
                 deploy lands on the canary pods only. Raise `canary.replicas` to move through \
                 the steps; promote by setting `canary.stableTag` to the canary's tag and \
                 `canary.replicas` to 0."
            }
        },
    }
}
