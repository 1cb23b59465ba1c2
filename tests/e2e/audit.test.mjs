// Audit mode: paste or open an existing file and see the findings of the rules about it,
// with line numbers; a malformed file gets a located error; the design is never touched.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openApp } from "./browser.mjs";
import { harness } from "./harness.mjs";

const run = harness();

test("a pasted Dockerfile is audited with line numbers and the design is untouched", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?view=audit`);
  const before = await page.getByTestId("project-name").textContent();
  await page.getByTestId("audit-text").fill("FROM node:latest\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD npm start\n");
  const report = page.getByTestId("audit-report");
  await report.waitFor();
  assert.match(await report.locator("h3").textContent(), /^Dockerfile: \d+ finding/);
  const root = report.locator('[data-testid="audit-finding"][data-rule="DOCKER-001"]');
  assert.equal(await root.getAttribute("data-line"), "1");
  assert.match(await root.textContent(), /line 1/);
  // Each finding shows its severity, explains its rule, and selects its line in the file.
  assert.ok(await root.locator("span", { hasText: /^(critical|high|medium|low)$/ }).count() > 0);
  await root.getByTestId("audit-why").locator("summary").click();
  assert.ok((await root.getByTestId("audit-why").textContent()).length > 100);
  const install = report.locator('[data-testid="audit-finding"][data-line="4"]').first();
  await install.getByTestId("audit-go-to-line").click();
  const selected = await page.getByTestId("audit-text").evaluate((area) => area.value.slice(area.selectionStart, area.selectionEnd));
  assert.equal(selected, "RUN npm install");
  assert.equal(await page.getByTestId("project-name").textContent(), before);
  assert.deepEqual(errors, []);
  await context.close();
});

test("an opened values file is audited, and a malformed one gets a located error", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?view=audit`);
  const dir = await mkdtemp(join(tmpdir(), "slipway-audit-"));
  const values = join(dir, "values.yaml");
  await writeFile(values, "replicaCount: 1\nsecurityContext: {}\nresources: {}\n");
  // The browser reads the file after the change event, so the file stays until the report is shown.
  try {
    await page.getByTestId("audit-file").setInputFiles(values);
    const report = page.getByTestId("audit-report");
    await report.locator('[data-rule="K8S-009"][data-line="3"]').first().waitFor();
    assert.match(await report.locator("h3").textContent(), /^Helm values/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  await page.getByTestId("audit-name").fill("railway.json");
  await page.getByTestId("audit-text").fill('{\n  "deploy": {\n    "numReplicas": ,\n  }\n}');
  const error = page.getByTestId("audit-error");
  await error.waitFor();
  assert.match(await error.textContent(), /line 3/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a pasted GitHub workflow is audited by the pipeline rules, by line", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?view=audit`);
  await page.getByTestId("audit-name").fill(".github/workflows/ci.yml");
  await page
    .getByTestId("audit-text")
    .fill("name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm install\n      - run: npm test\n");
  const report = page.getByTestId("audit-report");
  await report.waitFor();
  assert.match(await report.locator("h3").textContent(), /^GitHub Actions workflow: \d+ finding/);
  await report.locator('[data-rule="CACHE-006"][data-line="8"]').waitFor();
  // `on: push` without a pull_request trigger: pull requests are never checked.
  await report.locator('[data-rule="PIPELINE-001"][data-line="2"]').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a 50 MB paste into the audit is refused by size without reading it", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?view=audit`);
  await page.getByTestId("audit-text").evaluate((el, size) => {
    el.value = "#".repeat(size);
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }, 50 * 1024 * 1024);
  const error = page.getByTestId("audit-error");
  await error.waitFor();
  assert.match(await error.textContent(), /50\.0 MB/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a .dockerignore of long wildcard runs is audited without freezing the page", async () => {
  // A backtracking glob matcher takes exponential time on these lines and hangs the tab.
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?view=audit`);
  await page.getByTestId("audit-name").fill(".dockerignore");
  const stars = "*".repeat(120);
  await page.getByTestId("audit-text").fill(`${stars}x\n**/${stars}.env\nnode_modules\n`);
  const report = page.getByTestId("audit-report");
  await report.waitFor();
  assert.match(await report.locator("h3").textContent(), /^\.dockerignore: \d+ finding/);
  assert.deepEqual(errors, []);
  await context.close();
});
