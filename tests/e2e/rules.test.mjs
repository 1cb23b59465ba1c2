// Rules in the browser: docs behind "Why?", the searchable rule browser, waivers with a
// reason (which unblock the export), and the production-readiness checklist.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openApp } from "./browser.mjs";
import { harness } from "./harness.mjs";

const run = harness();

test("Why? explains a finding with the rule's docs", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  const uid = page.locator('[data-field="container.user.uid"]');
  await uid.fill("0");
  await uid.blur();
  const finding = page.locator('[data-testid="finding"][data-rule="DOCKER-001"]');
  await finding.getByTestId("why").locator("summary").click();
  const docs = finding.getByTestId("rule-docs");
  await docs.waitFor();
  const text = await docs.textContent();
  for (const part of ["What:", "Why:", "Incorrect", "Correct", "Fix:", "Source:"]) assert.ok(text.includes(part), part);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the rule browser lists and searches every rule, with its state for this design", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await page.getByTestId("view-rules").click();
  const count = await page.getByTestId("rule-count").textContent();
  const [, shown, total] = count.match(/(\d+) of (\d+) rules/).map(Number);
  assert.equal(shown, total);
  assert.ok(total >= 50, `${total} rules`);
  await page.getByTestId("rule-search").fill("non-root");
  await page.getByTestId("rule-count").filter({ hasText: new RegExp(`^\\d+ of ${total} rules$`) }).waitFor();
  const ids = await page.getByTestId("rule").evaluateAll((rules) => rules.map((rule) => rule.dataset.rule));
  assert.ok(ids.includes("DOCKER-001"), ids.join(", "));
  assert.ok(ids.length < total);
  await page.getByTestId("rule-search").fill("no-such-rule-anywhere");
  await page.getByTestId("rule-count").filter({ hasText: `0 of ${total} rules` }).waitFor();
  await page.getByTestId("rule-search").fill("DOCKER-001");
  const rule = page.locator('[data-testid="rule"][data-rule="DOCKER-001"]');
  assert.equal(await rule.getByTestId("rule-state").textContent(), "passing");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a critical finding is waived only with a reason, which unblocks the download, and undo brings it back", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  const uid = page.locator('[data-field="container.user.uid"]');
  await uid.fill("0");
  await uid.blur();
  const finding = page.locator('[data-testid="finding"][data-rule="DOCKER-001"]');
  await finding.waitFor();
  assert.equal(await page.getByTestId("download-zip").isDisabled(), true);

  await finding.getByTestId("waive-open").click();
  await finding.getByTestId("waive-reason").fill("ok");
  await finding.getByTestId("waive").click();
  await finding.getByRole("alert").waitFor();
  assert.equal(await page.getByTestId("download-zip").isDisabled(), true, "a too-short reason waives nothing");

  await finding.getByTestId("waive-reason").fill("Legacy image needs root until the port below 1024 moves.");
  await finding.getByTestId("waive").click();
  await finding.waitFor({ state: "detached" });
  assert.equal(await page.getByTestId("download-zip").isDisabled(), false);
  const waiver = page.locator('[data-testid="waiver"][data-rule="DOCKER-001"]').first();
  assert.match(await waiver.textContent(), /Legacy image needs root/);

  // The waiver is in the design, so the exported README lists it.
  await page.getByTestId("view-files").click();
  await page.locator('[data-testid="file-tab"][data-path="README.md"]').click();
  assert.match(await page.getByTestId("file-contents").textContent(), /Legacy image needs root/);

  await page.getByTestId("undo").click();
  await finding.waitFor();
  assert.equal(await page.getByTestId("download-zip").isDisabled(), true);
  await page.getByTestId("redo").click();
  await page.locator('[data-testid="waiver"][data-rule="DOCKER-001"]').first().getByTestId("unwaive").click();
  await finding.waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("the readiness checklist is answered, scored and kept in the design", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await page.getByTestId("view-checklist").click();
  const score = page.getByTestId("checklist-score");
  assert.match(await score.textContent(), /^0 of 38 done/);
  const item = page.locator('[data-testid="checklist-item"][data-item="CHK-004"]');
  await item.locator('input[type="checkbox"]').check();
  await item.getByPlaceholder("Owner").fill("Sam (platform)");
  await item.getByPlaceholder("Owner").blur();
  await item.locator('input[type="date"]').fill("2026-11-20");
  await score.filter({ hasText: /^1 of 38 done/ }).waitFor();
  await page.reload();
  await page.getByTestId("view-checklist").click();
  await page.getByTestId("checklist-score").filter({ hasText: /^1 of 38 done/ }).waitFor();
  const again = page.locator('[data-testid="checklist-item"][data-item="CHK-004"]');
  assert.equal(await again.getByPlaceholder("Owner").inputValue(), "Sam (platform)");
  assert.equal(await again.locator('input[type="date"]').inputValue(), "2026-11-20");
  assert.deepEqual(errors, []);
  await context.close();
});
