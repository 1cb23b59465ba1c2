// Zero-downtime migrations in the browser: a service's operations are edited in the design
// form, the Rollout view shows them phased across releases and marks the unsafe ones, and undo
// takes an edit back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { openApp } from "./browser.mjs";
import { harness } from "./harness.mjs";

const run = harness();
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** The serious and critical axe violations on the page. */
async function violations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(() =>
    window.axe.run(document, { resultTypes: ["violations"] }).then((result) =>
      result.violations
        .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
        .flatMap((violation) => violation.nodes.map((node) => `${violation.id} ${node.target.join(" ")}`)),
    ),
  );
}

test("migration operations are edited in the form and shown phased across releases", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=web-api-worker&view=rollout`, { bypassCSP: true });
  // The API (the second service) adds a NOT NULL column in three releases.
  await page.getByTestId("view-service-switcher").selectOption("1");
  const plan = page.getByTestId("release-plan");
  await plan.waitFor();
  assert.deepEqual(await plan.locator("thead th").allTextContents(), ["Phase", "Release 1", "Release 2", "Release 3"]);
  const contract = plan.locator("tbody tr").nth(2);
  assert.match(await contract.textContent(), /set users\.email_verified NOT NULL/);
  assert.equal(await plan.getByText(/⚠/).count(), 0);

  // Make the first release's column NOT NULL in the form: the plan marks it unsafe.
  const notNull = page.locator('[data-field="migrations.operations[0].not_null"]');
  await notNull.scrollIntoViewIfNeeded();
  await notNull.check();
  await plan.getByText(/⚠ add column users\.email_verified \(NOT NULL\)/).waitFor();
  // The plan, its mark and the operations' fields pass axe.
  assert.deepEqual(await violations(page), []);

  // Undo takes it back.
  await page.getByTestId("undo").click();
  await plan.getByText(/⚠/).waitFor({ state: "detached" });

  // A new operation goes into the next release: a fourth column.
  const operations = page.getByTestId("migration-operation");
  assert.equal(await operations.count(), 4);
  await page.getByTestId("add-migration-operation").click();
  assert.equal(await operations.count(), 5);
  await plan.locator("thead th", { hasText: "Release 4" }).waitFor();

  // The view fits 1280×720 without scrolling sideways.
  const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls ${overflow}px sideways`);
  assert.deepEqual(errors, []);
  await context.close();
});
