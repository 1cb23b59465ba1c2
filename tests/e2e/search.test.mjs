// Search everything (Ctrl+K): jobs, services, settings, rules and files; Enter goes there,
// arrow keys choose, Esc closes, and a setting is found even with the design form folded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openApp } from "./browser.mjs";
import { harness } from "./harness.mjs";

const run = harness();

/** Opens the search with Ctrl+K, types `query` and waits for the first result of `kind`. */
async function search(page, query, kind) {
  await page.keyboard.press("Control+k");
  const input = page.getByTestId("search-input");
  await input.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "search-input");
  await input.fill(query);
  await page.waitForFunction((kind) => document.querySelector('[data-testid="search-result"]')?.dataset.kind === kind, kind);
}

const firstResult = (page) => page.getByTestId("search-result").first().textContent();

test("Ctrl+K finds a job, a rule, a file and a setting, and Enter goes to each", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=fastapi-react`);

  // A job: the Pipeline view with the job selected in the inspector.
  await page.getByTestId("view-files").click();
  await search(page, "deploy-prod", "Job");
  assert.match(await firstResult(page), /deploy-production/);
  await page.keyboard.press("Enter");
  assert.equal(await page.getByTestId("search-dialog").isVisible(), false);
  assert.equal(await page.getByTestId("view-pipeline").getAttribute("aria-selected"), "true");
  await page.getByTestId("job-inspector").locator('[data-field="pipeline.jobs[8].id"], input').first().waitFor();
  assert.match(await page.getByTestId("job-inspector").innerHTML(), /deploy-production/);

  // A rule by its words: the Rules view filtered to it.
  await search(page, "non-root user", "Rule");
  const rule = (await firstResult(page)).match(/[A-Z]+-\d{3}/)[0];
  await page.keyboard.press("Enter");
  assert.equal(await page.getByTestId("view-rules").getAttribute("aria-selected"), "true");
  assert.equal(await page.getByTestId("rule-search").inputValue(), rule);
  await page.locator(`[data-testid="rule"][data-rule="${rule}"]`).waitFor();

  // A file, chosen with the arrow keys among several.
  await search(page, "values", "File");
  const results = await page.getByTestId("search-result").allTextContents();
  assert.ok(results.length > 1, results.join(" | "));
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.getByTestId("search-result").nth(1).getAttribute("aria-selected"), "true");
  const wanted = await page.getByTestId("search-result").nth(1).locator("span").nth(1).textContent();
  await page.keyboard.press("Enter");
  await page.waitForFunction((path) => document.querySelector('[data-testid="file-contents"]')?.getAttribute("aria-label") === path, wanted);

  // A setting, with the form folded: it unfolds and the field takes focus.
  await page.getByTestId("toggle-form").click();
  await search(page, "container port", "Setting");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.dataset.field === "container.port");
  assert.equal(await page.getByTestId("toggle-form").getAttribute("aria-expanded"), "true");

  // Nothing found says so; Esc closes; the Search button opens it again.
  await search(page, "backend", "Job");
  await page.getByTestId("search-input").fill("zzzz nothing");
  await page.getByTestId("search-empty").waitFor();
  await page.keyboard.press("Escape");
  assert.equal(await page.getByTestId("search-dialog").isVisible(), false);
  await page.getByTestId("open-search").click();
  assert.equal(await page.getByTestId("search-dialog").isVisible(), true);
  assert.equal(await page.getByTestId("search-input").inputValue(), "");
  await page.screenshot({ path: "/tmp/search-1280.png" });
  assert.deepEqual(errors, []);
  await context.close();
});

test("a service found by name is shown in the per-service views", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=fastapi-react`);
  const switcher = page.getByTestId("service-switcher");
  assert.equal(await switcher.inputValue(), "0");
  // "frontend" alone finds its jobs first; the kind's name narrows to the service.
  await search(page, "service frontend", "Service");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector('[data-testid="service-switcher"]')?.value === "1");
  // Focus lands on the service's name, in the Services panel or its own section.
  await page.waitForFunction(() => /^(services\[1\]\.)?name$/.test(document.activeElement?.dataset.field ?? ""));
  assert.deepEqual(errors, []);
  await context.close();
});

test("the Files view filters its list by the words of a path", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=web-api-worker&view=files`);
  const tabs = page.getByTestId("file-tab");
  const all = await tabs.count();
  await page.getByTestId("file-filter").fill("worker values");
  await page.waitForFunction((all) => {
    const shown = [...document.querySelectorAll('[data-testid="file-tab"]')].filter((tab) => tab.offsetParent !== null);
    return shown.length > 0 && shown.length < all;
  }, all);
  const shown = await tabs.evaluateAll((tabs) => tabs.filter((tab) => tab.offsetParent !== null).map((tab) => tab.dataset.path));
  assert.ok(shown.every((path) => /worker/i.test(path) && /values/i.test(path)), shown.join(" | "));
  // Groups without a match are hidden; a filter that matches nothing says so.
  const groups = await page.getByTestId("file-group").evaluateAll((groups) => groups.filter((group) => !group.hidden).map((group) => group.dataset.group));
  assert.ok(groups.length >= 1 && !groups.includes("web"), groups.join(" | "));
  await page.getByTestId("file-filter").fill("no-such-file");
  await page.getByTestId("file-filter-empty").waitFor();
  await page.getByTestId("file-filter").fill("");
  assert.equal(await tabs.evaluateAll((tabs) => tabs.filter((tab) => tab.offsetParent !== null).length), all);
  assert.deepEqual(errors, []);
  await context.close();
});
