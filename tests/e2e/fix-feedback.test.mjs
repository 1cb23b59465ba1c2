// Fixes say what they changed: a fix applies and is announced with the settings and files it
// changed, Show and Undo; a fix that changes the user's own settings shows that change first
// and applies only when asked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openApp } from "./browser.mjs";
import { harness } from "./harness.mjs";

const run = harness();

const finding = (page, rule) => page.locator(`[data-testid="finding"][data-rule="${rule}"]`);
const changeNotice = (page) => page.locator('[data-testid="notice"][data-topic="change"]');

test("a fix is announced with what it changed, Show setting, Show file and Undo", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=fastapi-react`);
  await finding(page, "BRANCH-005").getByTestId("fix").click();
  const notice = changeNotice(page);
  await notice.waitFor();
  const text = await notice.textContent();
  assert.match(text, /Fixed BRANCH-005\. 1 setting and \d+ files? changed: /);
  assert.equal(await finding(page, "BRANCH-005").count(), 0);

  // Show setting moves focus to the control the fix changed.
  await notice.getByRole("button", { name: "Show setting" }).click();
  const focused = await page.evaluate(() => document.activeElement?.getAttribute("data-field"));
  assert.match(focused ?? "", /require_linear_history/);

  // Undo from the announcement reverts the fix (Show setting dismissed the first one).
  await page.getByTestId("undo").click();
  await finding(page, "BRANCH-005").waitFor();
  await finding(page, "BRANCH-005").getByTestId("fix").click();
  await changeNotice(page).getByRole("button", { name: "Undo" }).click();
  await finding(page, "BRANCH-005").waitFor();
  assert.equal(await changeNotice(page).count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a fix that changes your settings shows the change first and applies when asked", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=fastapi-react`);
  const fix = finding(page, "PIPELINE-020").getByTestId("fix");
  assert.match(await fix.textContent(), /changes your settings/);
  assert.equal(await fix.getAttribute("aria-expanded"), "false");
  await fix.click();
  const preview = finding(page, "PIPELINE-020").getByTestId("fix-preview");
  await preview.waitFor();
  assert.equal(await fix.getAttribute("aria-expanded"), "true");
  const settings = await preview.getByTestId("fix-preview-setting").allTextContents();
  assert.ok(settings.length > 0, "the preview lists the settings");
  assert.ok(settings.every((line) => /^\S+: /.test(line)), settings.join(" | "));
  const files = await preview.getByTestId("fix-preview-file").allTextContents();
  assert.ok(files.some((line) => /^\.github\/workflows\/\S+ \((\+\d+ −\d+|new, \d+ lines)\)$/.test(line)), files.join(" | "));
  // Each file opens on the lines the fix would change, added and removed ones marked.
  const workflow = preview.getByTestId("fix-preview-diff").filter({ hasText: /^\.github\/workflows\// }).first();
  await workflow.locator("summary").click();
  const lines = await workflow.locator("pre span").allTextContents();
  assert.ok(lines.some((line) => line.startsWith("+ ") || line.startsWith("− ")), lines.join("\n"));
  // Nothing changes until the fix is applied: Cancel leaves the finding.
  await preview.getByTestId("cancel-fix").click();
  assert.equal(await preview.count(), 0);
  assert.equal(await finding(page, "PIPELINE-020").count(), 1);
  assert.equal(await page.getByTestId("undo").isDisabled(), true);

  await fix.click();
  await finding(page, "PIPELINE-020").getByTestId("apply-fix").click();
  await changeNotice(page).waitFor();
  assert.equal(await finding(page, "PIPELINE-020").count(), 0);
  assert.match(await changeNotice(page).textContent(), /Fixed PIPELINE-020\./);

  // Show file opens the Files view at a workflow the fix changed.
  await changeNotice(page).getByRole("button", { name: "Show file" }).click();
  await page.waitForFunction(() => /^\.github\/workflows\//.test(document.querySelector('[data-testid="file-contents"]')?.getAttribute("aria-label") ?? ""));
  assert.equal(await page.getByTestId("view-files").getAttribute("aria-selected"), "true");

  // Undo from a stale announcement says why it does nothing.
  await finding(page, "BRANCH-005").getByTestId("fix").click();
  await changeNotice(page).waitFor();
  await page.getByTestId("view-pipeline").click();
  await page.locator('[data-field="project.name"]').fill("renamed");
  await page.locator('[data-field="project.name"]').blur();
  await changeNotice(page).getByRole("button", { name: "Undo" }).click();
  await page.getByText("is no longer the latest change").waitFor();
  assert.equal(await finding(page, "BRANCH-005").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
