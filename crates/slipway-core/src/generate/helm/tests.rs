use super::values::canary_replicas;
use super::*;
use crate::model::{
    Alert, AlertSeverity, CanaryEngine, CanaryStep, Color, EnvVar, Scrape, ServiceKind,
};
use serde_json::Value;

fn files(design: &Design) -> Vec<GeneratedFile> {
    generate(design)
}

fn file<'a>(files: &'a [GeneratedFile], suffix: &str) -> &'a GeneratedFile {
    files
        .iter()
        .find(|file| file.path.ends_with(suffix))
        .unwrap_or_else(|| panic!("no file ending in {suffix}"))
}

fn parse(text: &str) -> Value {
    serde_norway::from_str(text).unwrap_or_else(|error| panic!("{error}\n{text}"))
}

fn preset(id: &str) -> Design {
    (crate::presets::find(id).unwrap().build)()
}

/// Every `{{ if/range/with/define }}` has its `{{ end }}`, in order.
fn assert_balanced(path: &str, text: &str) {
    let mut depth = 0i32;
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .unwrap_or_else(|| panic!("{path}: unclosed action"));
        let action = after[..end].trim_matches(['-', ' ', '\n']);
        let word = action.split_whitespace().next().unwrap_or("");
        match word {
            "if" | "range" | "with" | "define" | "block" => depth += 1,
            "end" => depth -= 1,
            _ => {}
        }
        assert!(depth >= 0, "{path}: `end` without an opener");
        rest = &after[end + 2..];
    }
    assert_eq!(depth, 0, "{path}: unbalanced blocks");
}

#[test]
fn the_layout_matches_the_deploy_command() {
    let design = preset("node-api");
    let paths: Vec<String> = files(&design).into_iter().map(|file| file.path).collect();
    for expected in [
        "charts/node-api/Chart.yaml",
        "charts/node-api/values.yaml",
        "charts/node-api/values/staging.yaml",
        "charts/node-api/values/production.yaml",
        "charts/node-api/templates/_helpers.tpl",
        "charts/node-api/templates/NOTES.txt",
        "charts/node-api/templates/deployment.yaml",
        "charts/node-api/templates/service.yaml",
        "charts/node-api/templates/ingress.yaml",
        "charts/node-api/templates/hpa.yaml",
        "charts/node-api/templates/pdb.yaml",
        "charts/node-api/templates/configmap.yaml",
        "charts/node-api/templates/serviceaccount.yaml",
        "charts/node-api/templates/servicemonitor.yaml",
        "charts/node-api/templates/prometheusrule.yaml",
    ] {
        assert!(paths.iter().any(|path| path == expected), "{expected}");
    }
}

#[test]
fn no_chart_without_kubernetes() {
    let design = preset("worker-cron");
    assert!(!design.services[0].kubernetes.enabled);
    assert!(files(&design).is_empty());
}

#[test]
fn every_values_file_and_chart_yaml_reads_back() {
    for preset in crate::presets::all() {
        let design = (preset.build)();
        for file in files(&design) {
            if file.syntax == Syntax::Yaml {
                let value = parse(&file.contents);
                assert!(value.is_object(), "{}", file.path);
            } else {
                assert_balanced(&file.path, &file.contents);
            }
        }
    }
}

#[test]
fn chart_yaml_is_a_v2_application_chart() {
    let design = preset("java-spring");
    let chart = parse(&file(&files(&design), "Chart.yaml").contents);
    assert_eq!(chart["apiVersion"], "v2");
    assert_eq!(chart["name"], "java-spring");
    assert_eq!(chart["type"], "application");
    assert_eq!(chart["version"], CHART_VERSION);
    assert_eq!(chart["appVersion"], APP_VERSION);
    assert_eq!(chart["description"], "Billing service (Spring Boot)");
}

#[test]
fn values_carry_the_image_security_and_probe_settings() {
    let design = preset("node-api");
    let values = parse(&file(&files(&design), "/values.yaml").contents);
    assert_eq!(values["image"]["repository"], "ghcr.io/acme/node-api");
    assert_eq!(values["image"]["tag"], "");
    assert_eq!(values["containerPort"], 3000);
    assert_eq!(values["probes"]["startup"]["path"], "/health/startup");
    assert_eq!(values["podSecurityContext"]["runAsUser"], 1001);
    assert_eq!(
        values["securityContext"]["capabilities"]["drop"],
        serde_json::json!(["ALL"])
    );
    assert_eq!(values["writablePaths"], serde_json::json!(["/tmp"]));
    assert_eq!(values["rollout"]["maxSurge"], "25%");
    assert_eq!(values["rollout"]["maxUnavailable"], 0);
    // Container-only fields never sit at pod level (VALID-001).
    for field in [
        "allowPrivilegeEscalation",
        "readOnlyRootFilesystem",
        "capabilities",
    ] {
        assert!(values["podSecurityContext"].get(field).is_none(), "{field}");
    }
}

#[test]
fn the_pod_template_places_security_fields_where_kubernetes_accepts_them() {
    let helpers = file(&files(&preset("node-api")), "_helpers.tpl")
        .contents
        .clone();
    let pod = &helpers[helpers.find("define \"node-api.podTemplate\"").unwrap()..];
    let (pod_level, container_level) = pod.split_once("containers:").unwrap();
    assert!(pod_level.contains("runAsNonRoot:"));
    assert!(pod_level.contains("type: RuntimeDefault"));
    for container_only in [
        "allowPrivilegeEscalation",
        "readOnlyRootFilesystem",
        "capabilities",
    ] {
        assert!(!pod_level.contains(container_only), "{container_only}");
        assert!(container_level.contains(container_only), "{container_only}");
    }
    assert!(container_level.contains("emptyDir: {}"));
    assert!(pod_level.contains("automountServiceAccountToken: false"));
}

#[test]
fn environments_get_their_sizes_hosts_and_config() {
    let mut design = preset("node-api");
    design.environments[1]
        .values
        .push(EnvVar::new("FEATURE_X", "on"));
    let files = files(&design);
    let staging = parse(&file(&files, "values/staging.yaml").contents);
    let production = parse(&file(&files, "values/production.yaml").contents);
    assert_eq!(staging["replicaCount"], design.environments[0].replicas);
    assert_eq!(staging["ingress"]["host"], "staging.app.example.com");
    assert_eq!(staging["config"]["LOG_LEVEL"], "debug");
    assert_eq!(production["ingress"]["host"], "api.example.com");
    assert_eq!(production["autoscaling"]["minReplicas"], 3);
    assert_eq!(production["config"]["FEATURE_X"], "on");
}

#[test]
fn rolling_updates_use_the_design_parameters() {
    let files = files(&preset("node-api"));
    let deployment = &file(&files, "templates/deployment.yaml").contents;
    assert!(deployment.contains("type: RollingUpdate"));
    assert!(deployment.contains(".Values.rollout.maxUnavailable | toJson"));
    assert!(deployment.contains("{{- if not .Values.autoscaling.enabled }}"));
    assert!(!files.iter().any(|f| f.path.ends_with("rollout.yaml")));
}

#[test]
fn blue_green_has_two_colours_and_a_selector_on_the_active_one() {
    let mut design = preset("rust-service");
    let files_blue = files(&design);
    let deployment = &file(&files_blue, "templates/deployment.yaml").contents;
    assert!(deployment.contains("range $color := list \"blue\" \"green\""));
    assert!(deployment.contains("version: {{ $color | quote }}"));
    let service = &file(&files_blue, "templates/service.yaml").contents;
    assert!(service.contains("version: {{ include \"rust-service.activeColor\" . | quote }}"));
    assert!(service.contains("version: {{ include \"rust-service.idleColor\" . | quote }}"));
    let helpers = &file(&files_blue, "_helpers.tpl").contents;
    assert!(helpers.contains("fail \"blueGreen.activeColor must be blue or green\""));
    let values = parse(&file(&files_blue, "/values.yaml").contents);
    assert_eq!(values["blueGreen"]["activeColor"], "blue");

    design.services[0].kubernetes.rollout.active_color = Color::Green;
    let values = parse(&file(&files(&design), "/values.yaml").contents);
    assert_eq!(values["blueGreen"]["activeColor"], "green");
}

#[test]
fn argo_canary_steps_rise_to_full_traffic() {
    let design = preset("go-service");
    let files = files(&design);
    let values = parse(&file(&files, "/values.yaml").contents);
    let weights: Vec<u64> = values["canary"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| step["weight"].as_u64().unwrap())
        .collect();
    assert_eq!(weights, [1, 5, 25, 100]);
    assert!(weights.windows(2).all(|pair| pair[0] < pair[1]));
    let rollout = &file(&files, "templates/rollout.yaml").contents;
    assert!(rollout.contains("apiVersion: argoproj.io/v1alpha1"));
    assert!(rollout.contains("kind: Rollout"));
    assert!(rollout.contains("- setWeight: {{ int $step.weight }}"));
    assert!(rollout.contains("stableIngress:"));
    assert!(!files
        .iter()
        .any(|f| f.path.ends_with("templates/deployment.yaml")));
    let helpers = &file(&files, "_helpers.tpl").contents;
    assert!(
        helpers.contains("\"kind\" \"Rollout\""),
        "the HPA scales the Rollout"
    );
}

#[test]
fn an_argo_canary_is_judged_by_the_design_thresholds() {
    let mut design = preset("go-service");
    design.observability.alerts.error_rate.threshold = 2;
    design.observability.alerts.latency_p95.threshold = 800;
    let files = files(&design);
    let values = parse(&file(&files, "/values.yaml").contents);
    let analysis = &values["analysis"];
    assert_eq!(analysis["enabled"], true);
    assert_eq!(analysis["errorRate"]["threshold"], 2);
    assert_eq!(analysis["latencyP95"]["threshold"], 800);
    assert_eq!(
        analysis["prometheus"]["address"],
        "http://prometheus-operated.monitoring.svc:9090"
    );
    assert_eq!(
        values["monitoring"]["serviceMonitor"]["podTargetLabels"][0],
        "rollouts-pod-template-hash"
    );
    let template = &file(&files, "templates/analysistemplate.yaml").contents;
    assert_balanced("analysistemplate.yaml", template);
    for expected in [
        "kind: AnalysisTemplate",
        "- name: error-rate",
        "- name: latency-p95",
        "http_requests_total{",
        "http_request_duration_seconds_bucket{",
        "rollouts_pod_template_hash=%q",
        "divf (int .threshold) 100",
        "divf (int .threshold) 1000",
    ] {
        assert!(template.contains(expected), "{expected}");
    }
    // Thresholds reach the template through values only.
    assert!(!template.contains("0.02") && !template.contains("800"));
    let rollout = &file(&files, "templates/rollout.yaml").contents;
    assert_balanced("rollout.yaml", rollout);
    assert!(rollout.contains("podTemplateHashValue: Latest"));
    assert!(rollout.contains("startingStep: 1"));

    design.services[0].kubernetes.rollout.analysis = false;
    let files = super::generate(&design);
    assert_eq!(
        parse(&file(&files, "/values.yaml").contents)["analysis"]["enabled"],
        false
    );
}

#[test]
fn blue_green_values_carry_the_analysis_for_the_deploy() {
    let files = files(&preset("rust-service"));
    let values = parse(&file(&files, "/values.yaml").contents);
    assert_eq!(values["analysis"]["enabled"], true);
    assert_eq!(
        values["monitoring"]["serviceMonitor"]["podTargetLabels"][0],
        "version"
    );
    assert!(!files
        .iter()
        .any(|f| f.path.ends_with("analysistemplate.yaml")));
}

#[test]
fn replica_ratio_canary_shares_the_selector_and_sizes_the_canary() {
    let mut design = preset("go-service");
    design.services[0].kubernetes.rollout.canary_engine = CanaryEngine::ReplicaRatio;
    design.services[0].kubernetes.rollout.canary_steps = vec![
        CanaryStep {
            weight: 10,
            pause_seconds: 600,
        },
        CanaryStep {
            weight: 100,
            pause_seconds: 0,
        },
    ];
    design.environments[1].replicas = 9;
    let files = files(&design);
    let deployment = &file(&files, "templates/deployment.yaml").contents;
    assert!(deployment.contains("track: stable"));
    assert!(deployment.contains("track: canary"));
    let service = &file(&files, "templates/service.yaml").contents;
    assert!(
        !service.contains("track"),
        "the Service selects both tracks"
    );
    let production = parse(&file(&files, "values/production.yaml").contents);
    assert_eq!(production["canary"]["replicas"], 1, "9 stable : 1 canary");
    assert_eq!(canary_replicas(&design.services[0], 3), 1);
    assert_eq!(canary_replicas(&design.services[0], 27), 3);
}

#[test]
fn scheduled_workers_run_as_a_cron_job() {
    let mut design = preset("worker-cron");
    design.services[0].kubernetes.enabled = true;
    design.services[0].railway.cron_schedule = "0 3 * * *\nevil: true".to_owned();
    let files = files(&design);
    let cron = &file(&files, "templates/cronjob.yaml").contents;
    assert!(cron.contains("kind: CronJob"));
    assert!(cron.contains("\"restartPolicy\" \"Never\""));
    for absent in ["deployment.yaml", "hpa.yaml", "pdb.yaml", "service.yaml"] {
        assert!(!files.iter().any(|f| f.path.ends_with(absent)), "{absent}");
    }
    let values = parse(&file(&files, "/values.yaml").contents);
    assert_eq!(values["cronJob"]["schedule"], "0 3 * * *\nevil: true");
    assert_eq!(values["cronJob"]["concurrencyPolicy"], "Forbid");
    assert!(values.get("rollout").is_none());
    assert!(values.get("autoscaling").is_none());
    let production = parse(&file(&files, "values/production.yaml").contents);
    assert!(production.get("replicaCount").is_none());
}

#[test]
fn the_readme_shows_how_to_deploy_each_environment_and_run_locally() {
    let bundle = crate::generate(&preset("node-api"));
    let readme = &bundle.file("README.md").unwrap().contents;
    for env in ["staging", "production"] {
        assert!(
            readme.contains(&format!(
                "-f charts/node-api/values/{env}.yaml --set image.tag="
            )),
            "{env}"
        );
    }
    assert!(readme.contains("helm rollback node-api --namespace node-api"));
    assert!(readme.contains("docker compose up --build"));
}

#[test]
fn workers_get_no_service_ingress_or_http_probes() {
    let mut design = preset("worker-cron");
    design.services[0].kubernetes.enabled = true;
    design.services[0].railway.cron_schedule.clear();
    let files = files(&design);
    assert!(!files.iter().any(|f| f.path.ends_with("service.yaml")));
    assert!(!files.iter().any(|f| f.path.ends_with("ingress.yaml")));
    let helpers = &file(&files, "_helpers.tpl").contents;
    assert!(!helpers.contains("httpGet"));
    assert!(!helpers.contains("containerPort"));
    assert!(
        helpers.contains("CKV_K8S_8="),
        "the missing probes are a documented skip"
    );
    let policy = &file(&files, "networkpolicy.yaml").contents;
    assert!(policy.contains("ingress: []"));
    assert!(files
        .iter()
        .any(|f| f.path.ends_with("templates/deployment.yaml")));
    let values = parse(&file(&files, "/values.yaml").contents);
    assert!(values.get("probes").is_none());
    assert!(values.get("ingress").is_none());
}

#[test]
fn hostile_strings_cannot_inject_into_values_or_templates() {
    let plain = preset("node-api");
    let mut hostile = plain.clone();
    hostile.services[0].name = "x\"\n  evil: true {{ .Release.Name }}".to_owned();
    hostile.project.description = "d\nkind: Secret\n{{ fail \"x\" }}".to_owned();
    hostile.repository.slug = "acme/$(rm -rf /)\nevil".to_owned();
    hostile.services[0].kubernetes.ingress.host = "h.example.com\"\n    evil: 1".to_owned();
    hostile.services[0].kubernetes.ingress.class_name = "nginx\nevil: 1".to_owned();
    hostile.services[0].kubernetes.probes.liveness.path = "/x\" }}{{ evil".to_owned();
    hostile.services[0].kubernetes.writable_paths = vec!["/tmp\n- /etc".to_owned()];
    hostile.environments[0].values = vec![
        EnvVar::new("A\nB: c", "${{ github.token }}\nevil: true"),
        EnvVar::new("TEMPLATE", "{{ .Values.image }} $(VAR) ${var.x}"),
    ];
    hostile.environments[0].name = "staging\n../../etc".to_owned();
    let files = files(&hostile);
    let name = chart_name(&hostile.services[0]);
    assert_eq!(name, "x-evil-true-release-name");

    for file in &files {
        assert!(
            file.path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c)),
            "{}",
            file.path
        );
        if file.syntax == Syntax::Text {
            let contents = file.contents.replace(&name, "node-api");
            for fragment in ["evil", "rm -rf", "fail \"x\"", "github.token"] {
                assert!(!contents.contains(fragment), "{}", file.path);
            }
        }
    }
    let values = parse(&file(&files, "/values.yaml").contents);
    assert_eq!(
        values["image"]["repository"], "ghcr.io/acme/rm-rf/evil",
        "only reference characters"
    );
    assert_eq!(values["ingress"]["host"], "h.example.comevil");
    assert_eq!(values["ingress"]["className"], "nginx\nevil: 1");
    assert_eq!(
        values["probes"]["liveness"]["path"],
        "/x%22%20%7D%7D%7B%7B%20evil"
    );
    assert!(values.get("evil").is_none());
    let chart = parse(&file(&files, "Chart.yaml").contents);
    assert_eq!(chart["description"], "d kind: Secret {{ fail \"x\" }}");
    assert!(chart.get("kind").is_none());

    let staging = files
        .iter()
        .find(|f| f.path.contains("/values/staging-etc"))
        .expect("sanitised environment file name");
    let staging = parse(&staging.contents);
    let config = staging["config"].as_object().unwrap();
    assert_eq!(config.len(), 2);
    assert_eq!(config["A_B__c"], "${{ github.token }}\nevil: true");
    assert_eq!(config["TEMPLATE"], "{{ .Values.image }} $(VAR) ${var.x}");

    // Templates depend on the design's shape only, never on its strings.
    let plain_files = generate(&plain);
    for file in files.iter().filter(|f| f.path.contains("/templates/")) {
        let twin_path = file.path.replace(&name, "node-api");
        let twin = plain_files
            .iter()
            .find(|f| f.path == twin_path)
            .unwrap_or_else(|| panic!("{twin_path}"));
        assert_eq!(
            file.contents.replace(&name, "node-api"),
            twin.contents,
            "{}",
            file.path
        );
    }
}

#[test]
fn every_skip_is_documented() {
    let doc = include_str!("../../../../../docs/checkov-skips.md");
    let mut worker = preset("worker-cron");
    worker.services[0].kubernetes.enabled = true;
    for design in [preset("node-api"), worker] {
        for skip in workload_skips(&design, &design.services[0]) {
            assert!(doc.contains(skip.id), "{} is missing", skip.id);
        }
    }
    assert!(doc.contains(NAMESPACE_SKIP.id));
    assert!(doc.contains(SMOKE_TEST_IMAGE_SKIP.id) && doc.contains("smoke-test"));
}

#[test]
fn a_high_uid_needs_no_uid_skip() {
    let mut design = preset("node-api");
    design.services[0].kubernetes.security_context.run_as_user = 10001;
    assert!(!workload_skips(&design, &design.services[0])
        .iter()
        .any(|skip| skip.id == LOW_UID_SKIP.id));
}

#[test]
fn static_sites_are_web_services() {
    let design = preset("static-site");
    assert_eq!(design.services[0].kind, ServiceKind::StaticSite);
    let files = files(&design);
    let values = parse(&file(&files, "/values.yaml").contents);
    assert_eq!(values["containerPort"], 8080);
    assert_eq!(values["podSecurityContext"]["runAsUser"], 101);
    assert!(files.iter().any(|f| f.path.ends_with("ingress.yaml")));
}

/// The web-api-worker preset's `api` (web) and `worker` charts.
fn api_and_worker(design: &Design) -> [(Value, String); 2] {
    let files = files(design);
    ["charts/api/", "charts/worker/"].map(|chart| {
        let values = parse(&file(&files, &format!("{chart}values.yaml")).contents);
        let rule = file(&files, &format!("{chart}templates/prometheusrule.yaml"));
        (values["monitoring"].clone(), rule.contents.clone())
    })
}

#[test]
fn alerts_follow_the_design_thresholds() {
    let mut design = preset("web-api-worker");
    let alerts = &mut design.observability.alerts;
    alerts.error_rate = Alert::new(3, 2, AlertSeverity::Warning);
    alerts.latency_p95.threshold = 1500;
    alerts.crash_looping.for_minutes = 7;
    alerts.memory_saturation.enabled = false;
    let [(api, rule), (worker, _)] = api_and_worker(&design);
    let rules = &api["prometheusRule"];
    assert_eq!(rules["enabled"], true);
    assert_eq!(
        rules["errorRate"],
        serde_json::json!({"enabled": true, "threshold": 3, "for": "2m", "severity": "warning"})
    );
    assert_eq!(rules["latencyP95"]["threshold"], 1500);
    assert_eq!(rules["crashLooping"]["for"], "7m");
    assert_eq!(worker["prometheusRule"]["crashLooping"]["for"], "7m");
    assert_eq!(rules["memorySaturation"]["enabled"], false);
    // Every comparison reads its threshold from the values, converted from the design's unit.
    let exprs: Vec<&str> = rule.lines().filter(|l| l.contains(") > ")).collect();
    assert_eq!(exprs.len(), 5);
    for expr in exprs {
        let threshold = expr.rsplit(") > ").next().unwrap();
        assert!(
            threshold.starts_with("{{") && threshold.contains(".threshold"),
            "{expr}"
        );
    }
    assert!(
        rule.contains("[5m]))) > {{ divf .threshold 1000 }}"),
        "ms to seconds"
    );
    assert!(rule.contains("for: {{ .for | quote }}"));
    assert!(rule.contains("severity: {{ .severity | quote }}"));
}

#[test]
fn workers_get_crash_loop_and_saturation_alerts_but_no_http_ones() {
    let design = preset("web-api-worker");
    let [(api, api_rule), (worker, worker_rule)] = api_and_worker(&design);
    for alert in ["HighErrorRate", "HighLatency", "http_requests_total"] {
        assert!(api_rule.contains(alert), "{alert}");
        assert!(!worker_rule.contains(alert), "{alert}");
    }
    for alert in ["PodCrashLooping", "HighCpu", "HighMemory"] {
        assert!(worker_rule.contains(alert), "{alert}");
    }
    assert!(worker["prometheusRule"].get("errorRate").is_none());
    assert!(worker.get("serviceMonitor").is_none());
    assert_eq!(
        api["serviceMonitor"],
        serde_json::json!({"enabled": true, "path": "/metrics"})
    );
    let files = files(&design);
    assert!(!files
        .iter()
        .any(|f| f.path == "charts/worker/templates/servicemonitor.yaml"));
    let monitor = &file(&files, "charts/api/templates/servicemonitor.yaml").contents;
    assert!(monitor.contains("- port: http"));
    assert!(monitor.contains("include \"api.selectorLabels\""));
}

#[test]
fn monitoring_objects_follow_the_design_switches() {
    let mut design = preset("web-api-worker");
    design.observability.metrics.scrape = Scrape::Annotations;
    let [(api, _), (worker, _)] = api_and_worker(&design);
    assert_eq!(api["serviceMonitor"]["enabled"], false);
    assert_eq!(api["prometheusRule"]["enabled"], false, "no operator");
    assert_eq!(worker["prometheusRule"]["enabled"], false);

    design.observability.metrics.scrape = Scrape::ServiceMonitor;
    design.observability.metrics.enabled = false;
    let alerts = &mut design.observability.alerts;
    for alert in [
        &mut alerts.crash_looping,
        &mut alerts.cpu_saturation,
        &mut alerts.memory_saturation,
    ] {
        alert.enabled = false;
    }
    let [(api, _), (worker, _)] = api_and_worker(&design);
    assert_eq!(api["serviceMonitor"]["enabled"], false);
    assert_eq!(api["prometheusRule"]["enabled"], true);
    assert_eq!(
        worker["prometheusRule"]["enabled"], false,
        "every alert off"
    );
}

#[test]
fn a_service_that_migrates_gets_a_pre_upgrade_hook_job() {
    let design = preset("web-api-worker");
    let files = files(&design);
    let job = &file(&files, "charts/api/templates/migrations.yaml").contents;
    assert_balanced("migrations.yaml", job);
    for expected in [
        "kind: Job",
        "\"helm.sh/hook\": pre-install,pre-upgrade",
        "\"helm.sh/hook-weight\"",
        "\"helm.sh/hook-delete-policy\": before-hook-creation,hook-succeeded",
        "activeDeadlineSeconds: {{ int .Values.migrations.activeDeadlineSeconds }}",
        "backoffLimit: {{ int .Values.migrations.backoffLimit }}",
        "\"command\" .Values.migrations.command",
    ] {
        assert!(job.contains(expected), "{expected}");
    }
    let helpers = &file(&files, "charts/api/templates/_helpers.tpl").contents;
    assert_balanced("_helpers.tpl", helpers);
    assert!(helpers.contains("app.kubernetes.io/component: \"migrations\""));
    assert!(helpers.contains("{{- if not .command }}"));
    let values = parse(&file(&files, "charts/api/values.yaml").contents);
    assert_eq!(
        values["migrations"]["command"],
        serde_json::json!(["npx", "knex", "migrate:latest"])
    );
    assert_eq!(values["migrations"]["activeDeadlineSeconds"], 600);
    // Only the service that migrates has the Job, and the others' pods are unchanged.
    assert!(!files
        .iter()
        .any(|f| f.path == "charts/worker/templates/migrations.yaml"));
    let worker = &file(&files, "charts/worker/templates/_helpers.tpl").contents;
    assert!(!worker.contains(".command"));
}

#[test]
fn the_migration_job_reads_hook_copies_that_exist_on_the_first_install() {
    let design = preset("web-api-worker");
    let files = files(&design);
    let job = &file(&files, "charts/api/templates/migrations.yaml").contents;
    // Its account, configuration and secrets are hooks created before the Job (weight 0).
    for kind in ["ServiceAccount", "ConfigMap", "ExternalSecret"] {
        let at = job.find(&format!("kind: {kind}\n")).expect(kind);
        let object = &job[at..];
        let object = &object[..object.find("---").unwrap_or(object.len())];
        assert!(
            object.contains("\"helm.sh/hook\": pre-install,pre-upgrade"),
            "{kind}"
        );
        assert!(object.contains("\"helm.sh/hook-weight\": \"-2\""), "{kind}");
        assert!(
            object.contains("\"helm.sh/hook-delete-policy\": before-hook-creation"),
            "{kind}"
        );
    }
    assert!(job.contains("automountServiceAccountToken: false"));
    assert!(job.contains(
        "name: {{ printf \"%s-migrate-%s\" (include \"api.fullname\" $) .name | quote }}"
    ));
    // The pod loads the copies, and uses the app's own objects everywhere else.
    let helpers = &file(&files, "charts/api/templates/_helpers.tpl").contents;
    assert_balanced("_helpers.tpl", helpers);
    for expected in [
        "serviceAccountName: {{ include \"api.migrationServiceAccountName\" $root | quote }}",
        "serviceAccountName: {{ include \"api.serviceAccountName\" $root | quote }}",
        "{{- $objects = printf \"%s-migrate\" $objects }}",
        "name: {{ printf \"%s-%s\" $objects .name | quote }}",
        "{{- define \"api.migrationServiceAccountName\" -}}",
    ] {
        assert!(helpers.contains(expected), "{expected}");
    }
    // No workaround for the first install is needed any more.
    let bundle = crate::generate(&design);
    let readme = &bundle.file("README.md").unwrap().contents;
    assert!(readme.contains("charts/api/templates/migrations.yaml"));
    assert!(!readme.contains("migrations.enabled=false"));
}

#[test]
fn a_migration_without_operator_secrets_copies_no_external_secret() {
    let mut design = preset("web-api-worker");
    for secret in &mut design.secrets {
        secret.source = crate::model::SecretSource::GithubActions;
    }
    let files = files(&design);
    let job = &file(&files, "charts/api/templates/migrations.yaml").contents;
    assert_balanced("migrations.yaml", job);
    assert!(!job.contains("kind: ExternalSecret"));
    assert!(!job.contains("@external-secrets@"));
    assert!(job.contains("kind: ConfigMap"));
}

#[test]
fn a_migration_command_with_shell_syntax_runs_in_a_shell_and_stays_a_value() {
    let mut design = preset("web-api-worker");
    design.services[1].migrations.command = "npm run migrate && echo \"{{ evil }}\"".to_owned();
    let files = files(&design);
    let values = parse(&file(&files, "charts/api/values.yaml").contents);
    assert_eq!(
        values["migrations"]["command"],
        serde_json::json!(["/bin/sh", "-c", "npm run migrate && echo \"{{ evil }}\""])
    );
    assert!(!file(&files, "charts/api/templates/migrations.yaml")
        .contents
        .contains("evil"));
}

/// The go-service design, whose environments Argo CD delivers, with staging deployed by CI
/// instead when `staging_pushed` is set.
fn gitops_design(staging_pushed: bool) -> Design {
    let mut design = preset("go-service");
    assert!(design.environments.iter().all(|env| env.gitops()));
    if staging_pushed {
        design.environments[0].delivery = crate::model::Delivery::Push;
    }
    design
}

#[test]
fn a_gitops_environment_smoke_tests_each_sync_with_a_post_sync_hook() {
    let design = gitops_design(false);
    let files = files(&design);
    let hook = &file(&files, "charts/go-service/templates/smoke-test.yaml").contents;
    assert_balanced("smoke-test.yaml", hook);
    assert!(hook.starts_with("{{- if .Values.smokeTest.enabled }}"));
    for expected in [
        "kind: Job",
        "argocd.argoproj.io/hook: PostSync",
        "argocd.argoproj.io/hook-delete-policy: BeforeHookCreation,HookSucceeded",
        "activeDeadlineSeconds: {{ int .Values.smokeTest.activeDeadlineSeconds }}",
        "backoffLimit: {{ int .Values.smokeTest.backoffLimit }}",
        "automountServiceAccountToken: false",
        "runAsNonRoot: true",
        "readOnlyRootFilesystem: true",
        "allowPrivilegeEscalation: false",
        "drop: [\"ALL\"]",
        "type: RuntimeDefault",
        "imagePullPolicy: Always",
        "\"--fail\"",
        // The Service's in-cluster name and port, and the design's health path.
        "{{ printf \"http://%s.%s.svc:%d%s\" (include \"go-service.fullname\" .) .Release.Namespace (int .Values.service.port) .Values.smokeTest.path | quote }}",
        "kind: NetworkPolicy",
        "kind: ServiceAccount",
    ] {
        assert!(hook.contains(expected), "{expected}\n{hook}");
    }
    let values = parse(&file(&files, "charts/go-service/values.yaml").contents);
    assert_eq!(values["smokeTest"]["enabled"], false);
    assert_eq!(values["smokeTest"]["path"], "/health/readiness");
    assert_eq!(
        values["smokeTest"]["image"],
        crate::facts::image::CURL_IMAGE
    );
    assert_eq!(values["service"]["port"], 80);
    for env in ["staging", "production"] {
        let path = format!("charts/go-service/values/{env}.yaml");
        let values = parse(&file(&files, &path).contents);
        assert_eq!(values["smokeTest"]["enabled"], true, "{path}");
    }
    let helpers = &file(&files, "charts/go-service/templates/_helpers.tpl").contents;
    assert!(helpers.contains("define \"go-service.smokeTestPolicyAnnotations\""));
    assert!(helpers.contains(SMOKE_TEST_IMAGE_SKIP.reason));
    // Argo CD's project must allow the Job to be created.
    assert!(resource_kinds(&design, &design.services[0]).contains(&("batch", "Job")));
}

#[test]
fn the_smoke_test_probes_the_health_path_the_design_gives() {
    let mut design = gitops_design(false);
    design.services[0].kubernetes.probes.readiness.enabled = false;
    design.services[0].container.healthcheck.path = "healthz now".to_owned();
    let values = parse(&file(&files(&design), "charts/go-service/values.yaml").contents);
    assert_eq!(values["smokeTest"]["path"], "/healthz%20now");
}

#[test]
fn a_pushed_environment_keeps_the_smoke_test_off() {
    let design = gitops_design(true);
    let files = files(&design);
    let staging = parse(&file(&files, "charts/go-service/values/staging.yaml").contents);
    assert!(staging.get("smokeTest").is_none(), "{staging}");
    let production = parse(&file(&files, "charts/go-service/values/production.yaml").contents);
    assert_eq!(production["smokeTest"]["enabled"], true);
}

#[test]
fn designs_without_gitops_have_no_smoke_test_hook() {
    let mut design = gitops_design(false);
    for environment in &mut design.environments {
        environment.delivery = crate::model::Delivery::Push;
    }
    let files = files(&design);
    assert!(!files
        .iter()
        .any(|file| file.path.ends_with("smoke-test.yaml")));
    let values = parse(&file(&files, "charts/go-service/values.yaml").contents);
    assert!(values.get("smokeTest").is_none());
    let helpers = &file(&files, "charts/go-service/templates/_helpers.tpl").contents;
    assert!(!helpers.contains("smokeTestPolicyAnnotations"));
    assert!(!resource_kinds(&design, &design.services[0]).contains(&("batch", "Job")));
}

#[test]
fn workers_have_no_smoke_test_hook() {
    let mut design = preset("web-api-worker");
    for environment in &mut design.environments {
        environment.delivery = crate::model::Delivery::Gitops;
    }
    let files = files(&design);
    assert!(files
        .iter()
        .any(|file| file.path == "charts/api/templates/smoke-test.yaml"));
    assert!(!files
        .iter()
        .any(|file| file.path == "charts/worker/templates/smoke-test.yaml"));
    let values = parse(&file(&files, "charts/worker/values/staging.yaml").contents);
    assert!(values.get("smokeTest").is_none());
}
