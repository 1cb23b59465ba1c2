// The first user journey, in a real browser against the release build:
// open → pick a preset → edit a field → the preview follows → a finding appears and is fixed
// → undo/redo → download the zip and check its file list.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { launch, openApp, zipEntries } from "./browser.mjs";
import { serve } from "./server.mjs";

const DIST = process.env.SLIPWAY_DIST ?? new URL("../../dist/", import.meta.url).pathname;
let server;
let browser;

before(async () => {
  server = await serve(DIST);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const fileContents = (page) => page.getByTestId("file-contents").textContent();

/** Findings that are errors rather than warnings or suggestions. */
function blockingFindings(page) {
  return page.locator('[data-testid="finding"][data-severity="critical"], [data-testid="finding"][data-severity="high"]').count();
}

test("a user designs, checks and exports a delivery setup", async () => {
  const { context, page, errors } = await openApp(browser, server.url);

  // Pick the Go preset: the project name and the Dockerfile follow.
  await page.getByTestId("preset-picker").selectOption("go-service");
  await assert.doesNotReject(page.getByTestId("project-name").filter({ hasText: "go-service" }).waitFor());
  await page.getByTestId("view-files").click();
  await page.locator('[data-testid="file-tab"][data-path="Dockerfile"]').click();
  assert.match(await fileContents(page), /FROM golang:1\.23-alpine AS deps/);

  // Edit a field: the preview changes as the user types.
  const runtimeImage = page.locator('[data-field="container.runtime_image"]');
  await runtimeImage.fill("alpine:3.21");
  await runtimeImage.blur();
  assert.match(await fileContents(page), /FROM alpine:3\.21 AS runner/);

  // Running as root makes a critical finding appear and blocks the download …
  assert.equal(await blockingFindings(page), 0);
  assert.equal(await page.getByTestId("download-zip").isDisabled(), false);
  const uid = page.locator('[data-field="container.user.uid"]');
  await uid.fill("0");
  await uid.blur();
  const finding = page.locator('[data-testid="finding"][data-rule="DOCKER-001"]');
  await finding.waitFor();
  assert.match(await fileContents(page), /USER root/);
  assert.equal(await page.getByTestId("download-zip").isDisabled(), true);

  // … clicking the finding focuses the field at fault …
  await finding.getByRole("button", { name: /DOCKER-001/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.field), "container.user.uid");

  // … one click fixes it, and undo brings it back, redo removes it again.
  await finding.getByTestId("fix").click();
  await finding.waitFor({ state: "detached" });
  assert.match(await fileContents(page), /USER 1001:1001/);
  await page.getByTestId("undo").click();
  await finding.waitFor();
  await page.keyboard.press("Control+Shift+Z");
  await finding.waitFor({ state: "detached" });

  // Download the zip, built in the browser, and check its file list.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("download-zip").click(),
  ]);
  assert.equal(download.suggestedFilename(), "go-service.zip");
  const entries = zipEntries(await readFile(await download.path()));
  // The Files view shows the same files, grouped by service (each under its folders).
  const tabs = await page.getByTestId("file-tab").evaluateAll((tabs) => tabs.map((tab) => tab.dataset.path));
  assert.deepEqual([...entries].sort(), [...tabs].sort());
  assert.ok(entries.includes("Dockerfile") && entries.includes(".dockerignore") && entries.includes("slipway.yaml"));

  assert.deepEqual(errors, []);
  await context.close();
});

test("the default design is the seed's FastAPI + React example, with no critical or high finding", async () => {
  const { context, page, errors } = await openApp(browser, server.url);
  assert.equal(await page.getByTestId("project-name").textContent(), "fastapi-react");
  await page.getByTestId("findings-count").waitFor();
  assert.equal(await blockingFindings(page), 0);
  assert.equal(await page.getByTestId("download-zip").isDisabled(), false);
  await page.getByTestId("view-files").click();
  assert.match(await fileContents(page), /FROM python:3\.12-slim AS runner/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("hostile names render as text, never as markup", async () => {
  const { context, page, errors } = await openApp(browser, server.url);
  const name = page.locator('[data-field="project.name"]');
  await name.fill('<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>');
  await name.blur();
  assert.match(await page.getByTestId("project-name").textContent(), /<img src=x/);
  // The preview sets its code as one escaped HTML string: the name must stay text there too.
  await page.getByTestId("view-files").click();
  await page.locator('[data-testid="file-tab"][data-path="README.md"]').click();
  // The README escapes the name for Markdown; the preview shows those entities as typed.
  assert.match(await fileContents(page), /# &lt;img src=x onerror="window\.\\_\\_pwned=1"&gt;&lt;script&gt;/);
  assert.equal(await page.getByTestId("file-contents").locator("img, script").count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator("img[src=x]").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
