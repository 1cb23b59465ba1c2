// Browser benchmarks of the release build (dist/), printed as figures; never pass/fail on
// speed. Run after `trunk build --release --offline`: `node scripts/bench-browser.mjs [dist]`.
//
// load  — median of 10 cold loads (a fresh browser context each: no cache, no storage), from
//         navigation until the designer is interactive (the preset picker and the pipeline
//         canvas are in the page), against a static HTML snapshot of the same rendered page
//         with the same stylesheets and no scripts, loaded the same way.
// edit  — 200 keystrokes into a field, each timed from dispatching the input event until the
//         Files preview shows the new text and the findings panel has been re-rendered (polled
//         on microtasks, then on 0 ms timers) and the page is laid out again (forced by reading
//         the preview's box, as the next frame would), on the largest single-repository preset
//         (fastapi-react: two services), the largest multi-service preset (web-api-worker:
//         three) and a 10-service design (web-api-worker with seven services added in the
//         Services panel, as a user would). A keystroke regenerates the findings and the shown
//         file; the rest of the bundle follows once typing pauses (the app's SETTLE_AFTER), so
//         what is shown decides the cost:
//         - the system name with slipway.yaml shown: every finding is recomputed (the name is
//           design-wide) and the design file, one of the largest, is written again;
//         - the system name with the README shown: the README lists every file; since no path
//           depends on the system's name, it is written from the last bundle's paths (any
//           other design-wide edit with the README shown generates the whole bundle);
//         - the API's health path with its Dockerfile shown: one service's work;
//         - a job's name typed in the Pipeline view's inspector with the YAML pane open beside
//           it: a pipeline edit, so every rule runs again. No file shows the name, so each
//           keystroke is timed over the 50 microtasks the other rows poll before they fall back
//           to timers, then the layout; the page is then watched until the next task, and the
//           keystrokes that still changed it are counted and printed (0 means the figure holds
//           all of the keystroke's work; the pane's text follows when typing pauses).
// import — a 200-file repository (the real files of tests/repos and tests/corpus, laid out as
//         crates/slipway-core/benches/import.rs lays them out) chosen in the Audit view's folder
//         input, timed from handing over the files until the report is shown and the findings
//         of the imported design are rendered; median of 5, each in a fresh context.
import { mkdtemp, readdir, readFile, writeFile, copyFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { launch } from "../tests/e2e/browser.mjs";
import { serve } from "../tests/e2e/server.mjs";

const DIST = resolve(process.argv[2] ?? "dist");
const RUNS = 10;
const EDITS = 200;

const IMPORTS = 5;
const ROOT = resolve(new URL("..", import.meta.url).pathname);

/** The 200-file repository of the native import benchmark, written to a temporary folder. */
async function benchRepository() {
  const dir = await mkdtemp(join(tmpdir(), "slipway-bench-repo-"));
  const files = [];
  const walk = async (base, prefix = "") => {
    for (const entry of (await readdir(join(base, prefix), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(base, path);
      else files.push([path, join(base, path)]);
    }
  };
  const chosen = [];
  for (const fixture of ["single-service", "monorepo-frontend-backend", "railway-monorepo", "chart-based-service", "compose-worker-app"]) {
    files.length = 0;
    await walk(join(ROOT, "tests/repos", fixture));
    for (const [path, source] of files) {
      const target = path.startsWith(".github/") ? `.github/workflows/${fixture}-${path.split("/").pop()}` : `${fixture}/${path}`;
      chosen.push([target, source]);
    }
  }
  const corpus = async (kind) => (await readdir(join(ROOT, "tests/corpus", kind))).sort().map((name) => [name, join(ROOT, "tests/corpus", kind, name)]);
  (await corpus("dockerfiles")).slice(0, 30).forEach(([, source], index) => chosen.push([`services/svc-${index}/Dockerfile`, source]));
  for (const [index, [, source]] of (await corpus("helm-values")).slice(0, 10).entries()) {
    chosen.push([`charts/chart-${index}/values.yaml`, source]);
    chosen.push([`charts/chart-${index}/Chart.yaml`, null, `apiVersion: v2\nname: chart-${index}\nversion: 0.1.0\n`]);
  }
  (await corpus("railway")).slice(0, 10).forEach(([, source], index) => chosen.push([`apps/railway-${index}/railway.json`, source]));
  const workflows = await corpus("workflows");
  for (let next = 0; chosen.length < 200; next++) {
    const [name, source] = workflows[next % workflows.length];
    chosen.push([`.github/workflows/${next}-${name}`, source]);
  }
  const { mkdir } = await import("node:fs/promises");
  for (const [target, source, text] of chosen.slice(0, 200)) {
    const path = join(dir, "bench-repo", target);
    await mkdir(join(path, ".."), { recursive: true });
    if (source) await copyFile(source, path);
    else await writeFile(path, text);
  }
  return { dir, root: join(dir, "bench-repo") };
}

/** [in the page: from the input's change to the report and design shown, overall: from
 * handing the files to the browser] in ms. */
async function importTime(browser, appUrl, folder) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${appUrl}?view=audit`);
  await page.getByTestId("repo-folder-input").waitFor({ state: "attached" });
  await page.evaluate(() => {
    const input = document.querySelector('[data-testid="repo-folder-input"]');
    input.addEventListener("change", () => (window.__importStarted = performance.now()), { capture: true });
    new MutationObserver((_, observer) => {
      const summary = document.querySelector('[data-testid="repo-summary"]');
      if (summary && /files read/.test(summary.textContent)) {
        window.__importShown = performance.now();
        observer.disconnect();
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const started = performance.now();
  await page.getByTestId("repo-folder-input").setInputFiles(folder);
  await page.getByTestId("repo-summary").filter({ hasText: /files read/ }).waitFor();
  await page.getByTestId("project-name").filter({ hasText: "bench-repo" }).waitFor();
  const overall = performance.now() - started;
  const inPage = await page.evaluate(() => window.__importShown - window.__importStarted);
  await context.close();
  return [inPage, overall];
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function coldLoad(browser, url, ready) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const started = performance.now();
  await page.goto(url);
  await page.waitForSelector(ready, { state: "attached" });
  const elapsed = performance.now() - started;
  await context.close();
  return elapsed;
}

/** A static copy of the rendered app: same DOM and stylesheets, no scripts. */
async function staticSnapshot(browser, appUrl) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(appUrl);
  await page.waitForSelector('[data-testid="preset-picker"]');
  await page.waitForSelector("[data-job]");
  const html = await page.evaluate(() => {
    const copy = document.documentElement.cloneNode(true);
    copy.querySelectorAll("script, link[rel=modulepreload], link[rel=preload], meta[http-equiv]").forEach((el) => el.remove());
    return "<!DOCTYPE html>\n" + copy.outerHTML;
  });
  await context.close();
  const dir = await mkdtemp(join(tmpdir(), "slipway-static-"));
  for (const name of await readdir(DIST)) {
    if (name.endsWith(".css")) await copyFile(join(DIST, name), join(dir, name));
  }
  await writeFile(join(dir, "index.html"), html);
  return dir;
}

// What a keystroke edits, and how the Files preview shows it is done: the system name, shown
// in the README (every file and finding reads it), or the API's health path, shown in its
// Dockerfile (one service's work; the other services' rule runs and files are kept).
// `prefix` + the keystroke's number is typed; the preview shows it (as the README's title).
const SYSTEM_NAME = { field: "project.name", file: "README.md", prefix: "orders-", title: true, after: "" };
// The design file, which names the system once (`name: orders-12`).
const SYSTEM_NAME_DESIGN = { field: "project.name", file: "slipway.yaml", prefix: "orders-", title: false, after: "" };
const API_HEALTH_PATH = {
  service: "1",
  field: "container.healthcheck.path",
  file: "apps/api/Dockerfile",
  prefix: "/health-",
  title: false,
  // The Node health check quotes its URL: `…/health-12'`.
  after: "'",
};

// The first job's name, in the inspector, shown by the YAML pane (`name: Lint 12`).
const JOB_NAME = { field: "pipeline.jobs.name", job: true, prefix: "Lint ", title: false, after: "" };

async function editLatency(browser, appUrl, preset, addServices = 0, edit = SYSTEM_NAME) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${appUrl}?preset=${preset}&view=${edit.job ? "pipeline" : "files"}`);
  await page.waitForSelector(edit.job ? "[data-job]" : '[data-testid="file-contents"]');
  for (let i = 0; i < addServices; i++) {
    const before = await page.locator('[data-testid="service-row"]').count();
    await page.locator('[data-testid="add-service"]').click();
    await page.waitForFunction(
      (count) => document.querySelectorAll('[data-testid="service-row"]').length > count,
      before,
    );
  }
  if (edit.service !== undefined) await page.getByTestId("service-switcher").selectOption(edit.service);
  if (edit.job) {
    await page.locator("[data-job]").first().click();
    await page.locator(`[data-field="${edit.field}"]`).waitFor();
    if ((await page.getByTestId("toggle-yaml").getAttribute("aria-pressed")) !== "true") await page.getByTestId("toggle-yaml").click();
    await page.getByTestId("yaml-text").waitFor();
  } else {
    await page.locator(`[data-testid="file-tab"][data-path="${edit.file}"]`).click();
  }
  const timings = await page.evaluate(async ({ edits, field, prefix, title, after, job }) => {
    const input = document.querySelector(`[data-field="${field}"]`);
    const pane = job ? document.querySelector('[data-testid="yaml-text"]') : null;
    const preview = job ? pane : document.querySelector('[data-testid="file-contents"]');
    const nextTask = () => new Promise((done) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => done();
      channel.port2.postMessage(null);
    });
    const findings = document.querySelector('[data-testid="findings-count"]')?.closest("div") ?? document.body;
    const settle = async (check) => {
      for (let i = 0; i < 1000; i++) {
        if (check()) return;
        await (i < 50 ? Promise.resolve() : new Promise((done) => setTimeout(done, 0)));
      }
      throw new Error("the preview never showed the edit");
    };
    const results = [];
    input.focus();
    for (let i = 0; i < edits; i++) {
      const value = `${prefix}${i}`;
      let findingsTouched = false;
      const observer = new MutationObserver(() => (findingsTouched = true));
      observer.observe(findings, { subtree: true, childList: true, characterData: true });
      const started = performance.now();
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      const shown = title ? `# ${value} — delivery setup` : `${value}${after}`;
      if (job) for (let k = 0; k < 50; k++) await Promise.resolve();
      else await settle(() => preview.textContent.includes(shown));
      // Until the page is laid out again, as it must be before the next frame shows it.
      preview.getBoundingClientRect();
      const ms = performance.now() - started;
      let late = false;
      if (job) {
        // Did the keystroke change the page after the measured end?
        const watcher = new MutationObserver(() => (late = true));
        watcher.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        await nextTask();
        watcher.disconnect();
      }
      results.push({ ms, findingsTouched, late });
      observer.disconnect();
    }
    return results;
  }, { edits: EDITS, field: edit.field, prefix: edit.prefix, title: edit.title, after: edit.after, job: edit.job ?? false });
  await context.close();
  const figures = timings.map((timing) => timing.ms);
  if (edit.job) figures.late = timings.filter((timing) => timing.late).length;
  return figures;
}

const server = await serve(DIST);
const browser = await launch();
try {
  const app = [];
  for (let i = 0; i < RUNS; i++) app.push(await coldLoad(browser, server.url, "[data-job]"));
  const snapshotDir = await staticSnapshot(browser, server.url);
  const staticServer = await serve(snapshotDir);
  const page = [];
  for (let i = 0; i < RUNS; i++) page.push(await coldLoad(browser, staticServer.url, "[data-job]"));
  await staticServer.close();
  await rm(snapshotDir, { recursive: true, force: true });
  const designs = [
    ["fastapi-react (2 services), the system name, slipway.yaml shown", await editLatency(browser, server.url, "fastapi-react", 0, SYSTEM_NAME_DESIGN)],
    ["web-api-worker (3 services), the system name, slipway.yaml shown", await editLatency(browser, server.url, "web-api-worker", 0, SYSTEM_NAME_DESIGN)],
    ["10 services, the system name, slipway.yaml shown", await editLatency(browser, server.url, "web-api-worker", 7, SYSTEM_NAME_DESIGN)],
    ["fastapi-react (2 services), the system name, README shown", await editLatency(browser, server.url, "fastapi-react")],
    ["web-api-worker (3 services), the system name, README shown", await editLatency(browser, server.url, "web-api-worker")],
    ["10 services, the system name, README shown", await editLatency(browser, server.url, "web-api-worker", 7)],
    [
      "10 services, the API's health path (one service's work)",
      await editLatency(browser, server.url, "web-api-worker", 7, API_HEALTH_PATH),
    ],
    ["10 services, a job's name, YAML pane open (every rule runs again)", await editLatency(browser, server.url, "web-api-worker", 7, JOB_NAME)],
  ];

  const repository = await benchRepository();
  const imports = [];
  for (let run = 0; run < IMPORTS; run++) imports.push(await importTime(browser, server.url, repository.root));
  await rm(repository.dir, { recursive: true, force: true });

  const appMedian = median(app);
  const pageMedian = median(page);
  console.log(`load (median of ${RUNS} cold loads, to an interactive designer)`);
  console.log(`  Slipway           ${appMedian.toFixed(1)} ms`);
  console.log(`  static snapshot   ${pageMedian.toFixed(1)} ms`);
  console.log(`  ratio             ${(appMedian / pageMedian).toFixed(2)} ×`);
  for (const [name, edits] of designs) {
    console.log(`edit latency, ${name} (${EDITS} keystrokes, until preview and findings update and are laid out)`);
    console.log(`  p50               ${percentile(edits, 50).toFixed(2)} ms`);
    console.log(`  p95               ${percentile(edits, 95).toFixed(2)} ms   (target < 8 ms)`);
    console.log(`  max               ${Math.max(...edits).toFixed(2)} ms`);
    if (edits.late !== undefined) console.log(`  changed later     ${edits.late} of ${EDITS} keystrokes   (0: the figures hold all of the work)`);
  }
  console.log(`import (a 200-file repository chosen as a folder, until the report and the design are shown; ${IMPORTS} runs)`);
  console.log(`  in the page       ${median(imports.map(([inPage]) => inPage)).toFixed(1)} ms median, from the input's change event   (target < 1000 ms)`);
  console.log(`  overall           ${median(imports.map(([, overall]) => overall)).toFixed(1)} ms median, from handing the files over (the test driver's transfer included)`);
} finally {
  await browser.close();
  await server.close();
}
