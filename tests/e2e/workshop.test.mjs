// Workshop mode: a trainee completes an exercise end to end.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openApp } from "./browser.mjs";
import { harness } from "./harness.mjs";

const run = harness();

test("a workshop exercise is completed end to end, explaining each rule as it is met", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?workshop=1`);
  const panel = page.getByTestId("workshop");
  await panel.waitFor();
  await panel.locator('[data-exercise="non-root"]').click();
  const active = page.getByTestId("exercise-active");
  await active.waitFor();
  assert.equal(await page.getByTestId("exercise-progress").textContent(), "0 of 2 rules pass");
  assert.equal(await active.locator(".why, [class*=why]").count(), 0, "no explanation before a rule is met");

  // Meet the first rule by editing the field the finding points at.
  await page.locator('[data-testid="finding"][data-rule="DOCKER-001"]').getByRole("button", { name: /DOCKER-001/ }).click();
  const uid = page.locator('[data-field="container.user.uid"]');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.field), "container.user.uid");
  await uid.fill("10001");
  await uid.blur();
  await page.getByTestId("exercise-progress").filter({ hasText: "1 of 2" }).waitFor();
  const met = active.locator('[data-rule="DOCKER-001"][data-met="true"]');
  await met.waitFor();
  assert.match(await met.textContent(), /root/i, "the rule's explanation appears once it is met");

  // Meet the second with its one-click fix.
  await page.locator('[data-testid="finding"][data-rule="K8S-001"]').getByTestId("fix").click();
  await page.getByTestId("exercise-done").waitFor();
  assert.equal(await page.getByTestId("exercise-progress").textContent(), "2 of 2 rules pass");

  // Back to the list; the exercises button in the header closes and reopens the panel.
  await page.getByTestId("exercise-list").click();
  assert.equal(await page.getByTestId("exercise").count() >= 5, true);
  await page.getByTestId("workshop-toggle").click();
  await panel.waitFor({ state: "detached" });
  assert.deepEqual(errors, []);
  await context.close();
});
