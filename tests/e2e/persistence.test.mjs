// Never losing work, in a real browser: autosave and reload, share links, named designs,
// imports of bad input that leave the design untouched, and two tabs at once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { openApp } from "./browser.mjs";
import { harness } from "./harness.mjs";

const run = harness();

async function rename(page, name) {
  const field = page.locator('[data-field="project.name"]');
  await field.fill(name);
  await field.blur();
  await page.getByTestId("project-name").filter({ hasText: name }).waitFor();
}

test("a reload restores exactly the design being edited", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await page.getByTestId("preset-picker").selectOption("go-service");
  await rename(page, "inventory");
  await page.reload();
  await page.getByTestId("project-name").filter({ hasText: "inventory" }).waitFor();
  await page.getByTestId("view-files").click();
  assert.match(await page.getByTestId("file-contents").textContent(), /golang/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a design autosaved by schema version 1 is upgraded on load, not lost", async () => {
  const v1 = await readFile(new URL("../../crates/slipway-core/tests/fixtures/v1/fastapi-react.autosave.json", import.meta.url), "utf8");
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await page.evaluate((json) => localStorage.setItem("slipway.design", json), v1);
  await page.reload();
  await page.getByTestId("project-name").filter({ hasText: "fastapi-react" }).waitFor();
  await page.getByTestId("view-environments").click();
  const prefixes = await page.getByTestId("secret-prefix").evaluateAll((inputs) => inputs.map((input) => input.value));
  assert.deepEqual(prefixes, ["staging", "prod"]);
  // The upgraded design is what autosave keeps from now on.
  const saved = JSON.parse(await page.evaluate(() => localStorage.getItem("slipway.design")));
  assert.equal(saved.version, 3);
  assert.deepEqual(saved.services.map((service) => service.name), ["fastapi-react"]);
  assert.equal(saved.secrets[0].remote_key, "fastapi-react/database");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a share link opens the same design in a fresh browser", async () => {
  const first = await openApp(run.browser, run.server.url, { permissions: ["clipboard-read", "clipboard-write"] });
  await first.page.getByTestId("preset-picker").selectOption("rust-service");
  await rename(first.page, "pricing-share");
  await first.page.getByTestId("designs-menu").click();
  await first.page.getByTestId("copy-share-link").click();
  const link = await first.page.getByTestId("share-link").inputValue();
  assert.match(link, /#d=[A-Za-z0-9_-]+$/);
  await first.context.close();

  const second = await openApp(run.browser, link);
  await second.page.getByTestId("project-name").filter({ hasText: "pricing-share" }).waitFor();
  assert.equal(new URL(second.page.url()).hash, "", "the fragment is cleared after opening");
  assert.deepEqual(second.errors, []);
  await second.context.close();
});

test("a damaged share link says so and keeps the saved design", async () => {
  const { context, page } = await openApp(run.browser, run.server.url);
  await rename(page, "kept-design");
  await page.goto(`${run.server.url}#d=AAAAthis-is-not-a-design`);
  await page.reload();
  const notice = page.locator('[data-testid="notice"][data-topic="share"]');
  await notice.waitFor();
  assert.match(await notice.textContent(), /could not be opened/);
  assert.equal(await page.getByTestId("project-name").textContent(), "kept-design");
  await context.close();
});

async function openDesignsMenu(page) {
  await page.locator("details:has([data-testid='designs-menu'])").evaluate((menu) => {
    menu.open = true;
  });
}

async function paste(page, text) {
  await openDesignsMenu(page);
  await page.getByTestId("paste-design").fill(text);
  await page.getByTestId("load-pasted").click();
  const notice = page.locator('[data-testid="notice"][data-topic="import"]');
  await notice.waitFor();
  return notice.textContent();
}

test("bad input gets a located error and leaves the design untouched", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await rename(page, "untouched");
  const cases = [
    ["version: 1\ncontainer:\n  port: [oops\n", /line \d+/],
    ["{\"version\": 1, \"container\": {\"port\": \"eighty\"}}", /container\.port/],
    ["version: 7\n", /newer Slipway/],
    ["name: not a design\n", /version/],
  ];
  for (const [text, expected] of cases) {
    assert.match(await paste(page, text), expected);
    assert.equal(await page.getByTestId("project-name").textContent(), "untouched");
  }
  // A 50 MB paste is refused without freezing the page.
  const huge = "#".repeat(50 * 1024 * 1024);
  await page.getByTestId("paste-design").evaluate((el, value) => {
    el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }, huge);
  // Chromium itself needs about 30 s on a 2-core machine to lay out a 50 MB textarea value set
  // this way, so the button may stay busy that long before the app is even asked.
  await page.getByTestId("load-pasted").click({ timeout: 120_000 });
  await page.locator('[data-testid="notice"][data-topic="import"]').getByText(/MB/).waitFor();
  assert.equal(await page.getByTestId("project-name").textContent(), "untouched");
  assert.deepEqual(errors, []);
  await context.close();
});

test("named designs are saved and opened again", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await rename(page, "first-design");
  await page.getByTestId("designs-menu").click();
  await page.getByTestId("save-as-name").fill("My first");
  await page.getByTestId("save-as").click();
  await page.getByTestId("designs-menu").click();
  await rename(page, "second-design");
  await page.getByTestId("designs-menu").click();
  await page.getByTestId("saved-design").filter({ hasText: "My first" }).getByRole("button", { name: "Open" }).click();
  await page.getByTestId("project-name").filter({ hasText: "first-design" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("two tabs editing at once are told, not silently overwritten", async () => {
  const { context, page } = await openApp(run.browser, run.server.url);
  const other = await context.newPage();
  await other.goto(run.server.url);
  await other.getByTestId("preset-picker").waitFor();
  await rename(other, "from-the-other-tab");
  const notice = page.locator('[data-testid="notice"][data-topic="conflict"]');
  await notice.waitFor();
  await notice.getByRole("button", { name: "Load the other tab's version" }).click();
  await page.getByTestId("project-name").filter({ hasText: "from-the-other-tab" }).waitFor();
  await context.close();
});

test("a full storage quota is shown to the user", async () => {
  const { context, page } = await openApp(run.browser, run.server.url);
  await page.evaluate(() => {
    const original = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (key === "slipway.design") throw new DOMException("full", "QuotaExceededError");
      return original.call(this, key, value);
    };
  });
  await rename(page, "no-room");
  const notice = page.locator('[data-testid="notice"][data-topic="storage"]');
  await notice.waitFor();
  assert.match(await notice.textContent(), /full/);
  await context.close();
});
