// The visual designer in a real browser: building a pipeline with the mouse, the trigger
// simulator, the rollout designer, environments, undo/redo and keyboard-only use.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openApp } from "./browser.mjs";
import { harness } from "./harness.mjs";

const run = harness();

/** Centre of an element in page coordinates. */
async function centre(locator) {
  const box = await locator.boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

async function dragConnect(page, fromJob, toJob) {
  const port = page.locator(`[data-testid="job-node"][data-job="${fromJob}"] [data-testid="port"]`);
  const target = page.locator(`[data-testid="job-node"][data-job="${toJob}"] rect`);
  const start = await centre(port);
  const end = await centre(target);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2, { steps: 4 });
  await page.mouse.move(end.x, end.y, { steps: 4 });
  await page.mouse.up();
}

const edge = (page, from, to) => page.locator(`[data-testid="edge"][data-from="${from}"][data-to="${to}"]`);

test("a pipeline is built by dragging, and cycles are refused", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await page.getByTestId("preset-picker").selectOption("node-api");

  // Add a smoke-test job from the palette; it is selected in the inspector.
  await page.getByTestId("add-smoke").click();
  const smoke = page.locator('[data-testid="job-node"][data-job="smoke"]');
  await smoke.waitFor();
  await assert.doesNotReject(page.getByTestId("job-inspector").getByText("smoke", { exact: true }).first().waitFor());

  // At 1280×720 the canvas scrolls rather than shrink labels below 12 px: zoom out to see the
  // five layers this test drags across at once.
  for (let i = 0; i < 3; i++) await page.getByTestId("zoom-out").click();

  // Drag from deploy-staging's port onto the smoke job: smoke now needs deploy-staging.
  await dragConnect(page, "deploy-staging", "smoke");
  await edge(page, "deploy-staging", "smoke").waitFor();

  // Dragging back the other way would make a cycle: refused, with a reason.
  await dragConnect(page, "smoke", "lint");
  const refusal = page.getByTestId("connect-refused");
  await refusal.waitFor();
  assert.match(await refusal.textContent(), /cycle/);
  assert.equal(await edge(page, "smoke", "lint").count(), 0);
  await dragConnect(page, "smoke", "deploy-staging");
  assert.match(await refusal.textContent(), /cycle/);

  // Click the arrow, then its remove button: the dependency is gone; undo brings it back.
  await edge(page, "deploy-staging", "smoke").locator("path").nth(1).click({ force: true });
  await page.getByTestId("remove-edge").click();
  await edge(page, "deploy-staging", "smoke").waitFor({ state: "detached" });
  await page.keyboard.press("Control+z");
  await edge(page, "deploy-staging", "smoke").waitFor();

  // Delete the job from the inspector.
  await smoke.click();
  await page.getByTestId("delete-job").click();
  await smoke.waitFor({ state: "detached" });
  assert.deepEqual(errors, []);
  await context.close();
});

test("the trigger simulator shows what runs, what is skipped and why", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await page.getByTestId("preset-picker").selectOption("fastapi-react");
  await page.getByTestId("simulate").check();
  await page.getByTestId("sim-event").selectOption("pull_request");
  await page.getByTestId("sim-branch").fill("main");
  await page.getByTestId("sim-paths").fill("docs/index.md");

  // A docs-only change touches neither service: their checks are skipped (the gate still
  // reports), and the canvas says so.
  const testRow = page.locator('[data-testid="sim-row"][data-job="backend-test"]');
  await testRow.waitFor();
  assert.equal(await testRow.getAttribute("data-runs"), "false");
  assert.match(await testRow.textContent(), /No changed file is `api`'s/);
  assert.match(await testRow.textContent(), /\bapi\b/);
  const node = page.locator('[data-testid="job-node"][data-job="backend-test"]');
  assert.equal(await node.getAttribute("data-status"), "skipped");

  // A backend change runs CI with a lockfile-keyed cache, but never deploys on a PR.
  await page.getByTestId("sim-paths").fill("backend/app/main.py");
  await page.waitForFunction(() => document.querySelector('[data-testid="sim-row"][data-job="backend-test"]')?.dataset.runs === "true");
  assert.match(await testRow.textContent(), /<hash of backend\/poetry\.lock>/);
  // No path filters in this design: the simulator says every change runs the workflows.
  assert.match(await page.getByTestId("sim-note").textContent(), /no path filters.*a service's jobs are skipped/);
  assert.equal(await node.getAttribute("data-status"), "runs");
  // The front end did not change: its checks stay skipped.
  const frontendRow = page.locator('[data-testid="sim-row"][data-job="frontend-test"]');
  assert.equal(await frontendRow.getAttribute("data-runs"), "false");
  assert.match(await frontendRow.textContent(), /frontend/);
  const deploy = page.locator('[data-testid="sim-row"][data-job="deploy-production"]');
  assert.equal(await deploy.getAttribute("data-runs"), "false");
  assert.match(await deploy.textContent(), /never for pull requests/);

  // A push to main deploys production, behind approval.
  await page.getByTestId("sim-event").selectOption("push");
  await page.waitForFunction(() => document.querySelector('[data-testid="sim-row"][data-job="deploy-production"]')?.dataset.runs === "true");
  assert.match(await deploy.textContent(), /approval/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("switching the rollout strategy redraws the timeline and warns about stalls", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await page.getByTestId("preset-picker").selectOption("node-api");
  await page.getByTestId("view-rollout").click();
  const steps = page.locator('[data-testid="rollout-steps"] tbody tr');

  // Rolling, 3 replicas, surge 25% / unavailable 0: one pod at a time, never below 3.
  await page.getByTestId("strategy-rolling").check();
  assert.equal(await steps.count(), 4);
  assert.match(await steps.last().textContent(), /0.*3.*100%/);

  // Both zero cannot progress: the designer says so.
  await page.getByTestId("max-surge").fill("0");
  await page.getByTestId("rollout-warnings").getByText(/cannot progress/).waitFor();
  await page.getByTestId("max-surge").fill("25%");
  await page.getByTestId("rollout-warnings").getByText(/cannot progress/).waitFor({ state: "detached" });

  // Blue-green: both colours run, then traffic switches at once.
  await page.getByTestId("strategy-blue-green").check();
  await page.getByRole("cell", { name: "Service selector switched to green" }).waitFor();

  // Canary with a replica ratio: 1% cannot be reached with 3 replicas.
  await page.getByTestId("strategy-canary").check();
  await page.getByTestId("canary-engine").selectOption("replica-ratio");
  await page.getByTestId("rollout-warnings").getByText(/A21/).first().waitFor();
  assert.ok((await page.locator('[data-testid="timeline-step"]').count()) >= 5);
  // Two axes (pods left, traffic right), the legend above the chart in view at 1280×720,
  // pauses drawn as marks, and no label under 12 px.
  assert.equal(await page.getByTestId("traffic-axis-max").textContent(), "100%");
  assert.ok((await page.locator('[data-testid="pause-mark"]').count()) >= 1);
  const legend = await page.getByTestId("rollout-legend").boundingBox();
  const chart = await page.getByTestId("rollout-chart").boundingBox();
  assert.ok(legend.y + legend.height <= chart.y + 1, "the legend sits above the chart");
  const smallest = await page.getByTestId("rollout-chart").evaluate((svg) =>
    Math.min(...[...svg.querySelectorAll("text")].map((text) => parseFloat(getComputedStyle(text).fontSize))),
  );
  assert.ok(smallest >= 12, `a chart label is ${smallest}px`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a canary judged by metrics shows where analysis runs and what stops it", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await page.getByTestId("preset-picker").selectOption("go-service");
  await page.getByTestId("view-rollout").click();
  const gate = page.getByTestId("analysis-gate");
  await gate.waitFor();
  assert.equal((await gate.textContent()).trim(), "analysis: error rate > 5 % or p95 > 2 s aborts");
  // One mark above each canary step that sends the new version traffic: 1 %, 5 % and 25 %.
  const marks = page.locator('[data-testid="analysis-mark"]');
  assert.equal(await marks.count(), 3);
  assert.equal(await page.locator('[data-testid="rollout-steps"] tbody tr').filter({ hasText: "judged by metrics" }).count(), 3);
  // Scrolled to, the chart with its marks and the limits above it fit the 1280×720 window.
  await page.getByTestId("rollout-chart").scrollIntoViewIfNeeded();
  const chart = await page.getByTestId("rollout-chart").boundingBox();
  const legend = await page.getByTestId("rollout-legend").boundingBox();
  assert.ok(chart.x + chart.width <= 1280 && chart.y + chart.height <= 720, `chart at ${JSON.stringify(chart)}`);
  assert.ok(legend.y >= 0, `legend at ${JSON.stringify(legend)}`);
  assert.ok(legend.y + legend.height <= chart.y + 1, "the legend sits above the chart");
  // Off, nothing judges the canary: the limits and the marks go.
  await page.getByTestId("rollout-analysis").uncheck();
  await gate.waitFor({ state: "detached" });
  assert.equal(await marks.count(), 0);
  await page.getByTestId("rollout-analysis").check();
  await gate.waitFor();
  // Blue-green: the idle colour is judged once, before the switch.
  await page.getByTestId("strategy-blue-green").check();
  await gate.filter({ hasText: "fails the deploy" }).waitFor();
  assert.equal(await marks.count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("undo and redo work with buttons and the keyboard", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  const name = page.locator('[data-field="project.name"]');
  await name.fill("orders");
  await name.blur();
  await page.getByTestId("project-name").filter({ hasText: "orders" }).waitFor();
  await page.getByTestId("undo").click();
  await page.getByTestId("project-name").filter({ hasText: "fastapi-react" }).waitFor();
  await page.getByTestId("redo").click();
  await page.getByTestId("project-name").filter({ hasText: "orders" }).waitFor();
  await page.keyboard.press("Control+z");
  await page.getByTestId("project-name").filter({ hasText: "fastapi-react" }).waitFor();
  await page.keyboard.press("Control+Shift+z");
  await page.getByTestId("project-name").filter({ hasText: "orders" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("the designer works from the keyboard alone", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  // The first Tab reaches the skip link, which jumps past the design form to the designer.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.dataset?.testid), "skip-designer");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "designer");
  // Tab until a job node has focus, open it with Enter, and read the inspector.
  let focused = null;
  for (let i = 0; i < 40 && !focused; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement?.dataset?.job ?? null);
  }
  assert.ok(focused, "a job node is reachable with Tab");
  await page.keyboard.press("Enter");
  await page.getByTestId("job-inspector").getByText(focused, { exact: true }).first().waitFor();
  // Every focusable control has an accessible name.
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll("button, input, select, textarea, [tabindex='0']")]
      .filter((el) => el.offsetParent !== null || el.closest("svg"))
      .filter((el) => {
        const label = el.getAttribute("aria-label") || el.textContent?.trim() || el.labels?.[0]?.textContent?.trim() || el.getAttribute("title");
        return !label;
      })
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(unnamed, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("views are one Tab stop with arrow keys, a new job takes focus, and choosing a need connects nothing", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await page.getByTestId("preset-picker").selectOption("node-api");
  const focusedTestId = () => page.evaluate(() => document.activeElement?.dataset?.testid ?? null);
  // The view tabs: only the selected one is in the Tab order; arrows, Home and End move and show.
  const stops = await page.evaluate(() =>
    [...document.querySelectorAll('[role="tablist"][aria-label="Views"] [role="tab"]')].filter((tab) => tab.tabIndex === 0).length,
  );
  assert.equal(stops, 1);
  await page.getByTestId("view-pipeline").focus();
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.getByTestId("view-system").getAttribute("aria-selected"), "true");
  assert.equal(await focusedTestId(), "view-system");
  await page.keyboard.press("End");
  assert.equal(await focusedTestId(), "view-audit");
  await page.keyboard.press("Home");
  assert.equal(await page.getByTestId("view-pipeline").getAttribute("aria-selected"), "true");

  // Adding a job moves focus onto its node; arrow keys move between nodes.
  await page.getByTestId("add-smoke").click();
  await page.waitForFunction(() => document.activeElement?.dataset?.job === "smoke");
  await page.keyboard.press("ArrowLeft");
  const previous = await page.evaluate(() => document.activeElement?.dataset?.job ?? null);
  assert.ok(previous && previous !== "smoke", `focus moved to ${previous}`);

  // Arrow keys on the closed "Wait for…" select only choose; the button connects.
  const edges = page.locator('[data-testid="edge"][data-to="smoke"]');
  const select = page.getByTestId("add-need");
  await select.focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  assert.equal(await edges.count(), 0);
  // (Where arrows open the list instead of changing the value, choose the first job.)
  if ((await select.inputValue()) === "") await select.selectOption({ index: 1 });
  const chosen = await select.inputValue();
  assert.equal(await edges.count(), 0);
  await page.getByTestId("connect-need").click();
  await page.locator(`[data-testid="edge"][data-from="${chosen}"][data-to="smoke"]`).waitFor({ state: "attached" });
  assert.equal(await select.inputValue(), "");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the design form folds away to give the designer its width, and stays folded after a reload", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  const designer = page.locator("#designer");
  const before = (await designer.boundingBox()).width;
  const toggle = page.getByTestId("toggle-form");
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  await toggle.click();
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  await page.locator("#design-form").waitFor({ state: "hidden" });
  const after = (await designer.boundingBox()).width;
  assert.ok(after > before + 200, `the designer grew from ${before} to ${after} px`);
  await page.reload();
  await page.getByTestId("toggle-form").waitFor();
  assert.equal(await page.getByTestId("toggle-form").getAttribute("aria-expanded"), "false");
  await page.getByTestId("toggle-form").click();
  await page.locator("#design-form").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("environments are cards with their gate and sizes", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await page.getByTestId("view-environments").click();
  const cards = page.getByTestId("environment-card");
  assert.equal(await cards.count(), 2);
  assert.equal(await cards.nth(1).getByTestId("requires-approval").isChecked(), true);
  await page.getByTestId("add-environment").click();
  assert.equal(await cards.count(), 3);
  assert.deepEqual(errors, []);
  await context.close();
});

test("an environment delivered by GitOps gets Argo CD files, its settings and a finding with a fix", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await page.getByTestId("view-environments").click();
  const staging = page.getByTestId("environment-card").first();
  assert.equal(await staging.getByTestId("sync").count(), 0, "sync is a GitOps setting");
  await staging.getByTestId("delivery").selectOption("gitops");
  await staging.getByTestId("sync").selectOption("manual");
  // Manual sync without approval leaves promotions waiting: HELM-005, whose fix syncs again.
  const finding = page.locator('[data-testid="finding"][data-rule="HELM-005"]');
  await finding.waitFor();
  await finding.getByTestId("fix").click();
  await finding.waitFor({ state: "detached" });
  assert.equal(await staging.getByTestId("sync").inputValue(), "automated");
  // Argo CD's settings appear in the form; the bundle gains the bootstrap and the Application.
  await page.locator('[data-field="pipeline.gitops.retry_limit"]').waitFor();
  await page.getByTestId("view-files").click();
  await page.locator('[data-testid="file-tab"][data-path="argocd/staging/project.yaml"]').click();
  await page.getByText("kind: AppProject").first().waitFor();
  await page.locator('[data-testid="file-tab"][data-path=".github/workflows/deploy.yml"]').click();
  await page.getByText("BRANCH: deploy/staging").first().waitFor();
  await page.getByTestId("undo").click();
  await page.getByTestId("undo").click();
  await page.getByTestId("undo").click();
  assert.equal(await page.locator('[data-testid="file-tab"][data-path="argocd/staging/project.yaml"]').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the gallery offers every starting point and a blank design", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await page.getByTestId("gallery").click();
  for (const id of ["node-api", "fastapi-react", "go-service", "rust-service", "java-spring", "worker-cron", "static-site", "blank"]) {
    await page.getByTestId(`preset-${id}`).waitFor();
  }
  await page.getByTestId("preset-java-spring").click();
  await page.getByTestId("project-name").filter({ hasText: "java-spring" }).waitFor();
  await page.getByTestId("gallery").click();
  await page.getByTestId("preset-blank").click();
  await page.getByTestId("project-name").filter({ hasText: "new-service" }).waitFor();
  assert.equal(await page.getByTestId("job-node").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a file whose path follows the service name stays shown while the name is typed", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=node-api&view=files`);
  await page.locator('[data-testid="file-tab"][data-path="charts/node-api/values.yaml"]').click();
  const name = page.locator('[data-field="name"]');
  await name.fill("orders");
  await name.blur();
  const tab = page.locator('[data-testid="file-tab"][data-path="charts/orders/values.yaml"]');
  await tab.waitFor();
  assert.equal(await tab.getAttribute("aria-selected"), "true");
  assert.equal(await page.getByTestId("file-contents").getAttribute("aria-label"), "charts/orders/values.yaml");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the preview highlights, copies and shows changes since the last download", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url, { permissions: ["clipboard-read", "clipboard-write"] });
  await page.getByTestId("view-files").click();
  // The first visit's preset has a backend and a frontend; the form shows the backend.
  await page.locator('[data-testid="file-tab"][data-path="backend/Dockerfile"]').click();
  // Highlighting wraps instructions in spans without changing the text.
  assert.ok((await page.getByTestId("file-contents").locator("span span").count()) > 20);
  await page.getByTestId("copy-file").click();
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^# syntax=docker\/dockerfile:1/);

  assert.match(await page.getByTestId("change-summary").textContent(), /Download once/);
  await Promise.all([page.waitForEvent("download"), page.getByTestId("download-zip").click()]);
  await page.getByTestId("change-summary").getByText("+0 −0").waitFor();
  const image = page.locator('[data-field="container.runtime_image"]');
  await image.fill("python:3.13-slim");
  await image.blur();
  await page.getByTestId("change-summary").getByText("+1 −1").waitFor();
  await page.getByTestId("show-changes").check();
  assert.match(await page.getByTestId("added-line").first().textContent(), /python:3\.13-slim/);
  assert.match(await page.getByTestId("removed-line").first().textContent(), /python:3\.12-slim/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the container composer shows stages, copy arrows, and edits instructions in order", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await page.getByTestId("gallery").click();
  await page.getByTestId("preset-node-api").click();
  await page.getByTestId("view-container").click();
  assert.equal(await page.getByTestId("stage-card").count(), 3);
  // The runner copies from deps and builder; the arrows show it.
  assert.equal(await page.getByTestId("copy-arrow").count(), 2);

  await page.getByTestId("customize-stages").click();
  const runner = page.locator('[data-testid="stage-card"][data-stage="runner"]');
  // A typo is refused in place; a valid line is applied and reaches the Dockerfile.
  const add = runner.getByTestId("new-instruction");
  await add.fill("LABEL org.opencontainers.image.title=node-api");
  await add.press("Enter");
  await runner.getByTestId("instruction-input").last().waitFor();
  assert.equal(await runner.getByTestId("instruction-input").last().inputValue(), "LABEL org.opencontainers.image.title=node-api");
  await add.fill("COPY onlyone");
  await add.press("Enter");
  await runner.getByRole("alert").waitFor();

  // Copying the whole context into the final stage is flagged at once.
  await add.fill("COPY . .");
  await add.press("Enter");
  await page.locator('[data-testid="finding"][data-rule="DOCKER-004"]').waitFor();
  await page.getByTestId("undo").click();
  await page.locator('[data-testid="finding"][data-rule="DOCKER-004"]').waitFor({ state: "detached" });

  await page.getByTestId("view-files").click();
  await page.locator('[data-testid="file-tab"][data-path="Dockerfile"]').click();
  assert.match(await page.getByTestId("file-contents").textContent(), /LABEL org\.opencontainers\.image\.title=node-api/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("typing the project name re-renders only what shows the name", async () => {
  // Every editor list, card and canvas reads the design; only the parts whose own data changed
  // may touch the DOM. Counted with a MutationObserver over one keystroke, in each view.
  for (const view of ["pipeline", "container", "rollout", "environments", "files"]) {
    const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=fastapi-react&view=${view}`);
    if (view === "files") await page.locator('[data-testid="file-tab"][data-path="README.md"]').click();
    const touched = await page.evaluate(async () => {
      const input = document.querySelector('[data-field="project.name"]');
      const type = async (value) => {
        input.value = value;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        await new Promise((done) => setTimeout(done, 50));
      };
      await type("orders-a");
      const places = new Set();
      const observer = new MutationObserver((records) => {
        for (const record of records) {
          const element = record.target.nodeType === 1 ? record.target : record.target.parentElement;
          places.add(element.closest("[data-testid]")?.getAttribute("data-testid") ?? element.tagName);
        }
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      await type("orders-b");
      observer.disconnect();
      return [...places].sort();
    });
    // The system's name names no file (the services do): the README mentions it.
    const expected = view === "files" ? ["file-contents", "project-name"] : ["project-name"];
    assert.deepEqual(touched, expected, `view ${view}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("at 1280×720 a lockfile's whole name shows in its field", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=node-api`);
  const lockfile = page.locator('[data-field="lockfile"]');
  assert.equal(await lockfile.inputValue(), "package-lock.json");
  const fits = await lockfile.evaluate((input) => input.scrollWidth <= input.clientWidth);
  assert.equal(fits, true, "package-lock.json is cut off");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the preview patched line by line after edits shows exactly what a fresh render shows", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=web-api-worker`);
  await page.getByTestId("view-files").click();
  await page.locator('[data-testid="file-tab"][data-path="slipway.yaml"]').click();
  const text = () => page.getByTestId("file-contents").textContent();
  // Showing another file and back renders the whole file afresh.
  const fresh = async () => {
    await page.locator('[data-testid="file-tab"][data-path="compose.yaml"]').click();
    await page.locator('[data-testid="file-tab"][data-path="slipway.yaml"]').click();
    await page.getByTestId("file-contents").filter({ hasText: "version:" }).waitFor();
    return text();
  };
  const description = page.locator('[data-field="project.description"]');
  // One line changed, a long line, then many lines added (a service) and removed (undo).
  const edits = [
    () => description.fill("orders"),
    () => description.fill("x".repeat(300)),
    () => page.getByTestId("add-service").click(),
    () => page.getByTestId("add-service").click(),
    () => page.getByTestId("undo").click(),
  ];
  for (const [index, edit] of edits.entries()) {
    const before = await text();
    await edit();
    await page.waitForFunction((old) => document.querySelector('[data-testid="file-contents"]').textContent !== old, before);
    const patched = await text();
    assert.equal(patched, await fresh(), `edit ${index}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
