// Embedding: launch options in the address, and the example portal page driving Slipway in an
// iframe through the postMessage API, from another origin.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openApp } from "./browser.mjs";
import { serve } from "./server.mjs";
import { DIST } from "./harness.mjs";

const EXAMPLE = new URL("../../examples/embed/", import.meta.url).pathname;
let browser;
let slipway;
let portal;
let stranger;

before(async () => {
  browser = await launch();
  slipway = await serve(DIST);
  // Different ports are different origins.
  portal = await serve(EXAMPLE);
  stranger = await serve(EXAMPLE);
});
after(async () => {
  await browser?.close();
  await Promise.all([slipway, portal, stranger].map((server) => server?.close()));
});

test("the address picks the preset, theme, view and panels, and can make the view read-only", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${slipway.url}?preset=rust-service&theme=dark&view=files&panels=designer,findings&readonly=1`);
  await page.getByTestId("project-name").filter({ hasText: "rust-service" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  assert.equal(await page.getByTestId("view-files").getAttribute("aria-selected"), "true");
  assert.equal(await page.locator('[data-field="project.name"]').count(), 0, "the editor panel is hidden");
  await page.getByTestId("read-only").waitFor();
  assert.equal(await page.getByTestId("preset-picker").count(), 0);
  assert.equal(await page.getByTestId("undo").count(), 0);
  // Findings are explained but offer no fix or waiver in a read-only view.
  await page.getByTestId("finding").first().waitFor();
  assert.equal(await page.getByTestId("fix").count(), 0);
  assert.equal(await page.getByTestId("waive-open").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a wrong option is explained and the saved design is kept", async () => {
  const { context, page } = await openApp(browser, slipway.url);
  const name = page.locator('[data-field="project.name"]');
  await name.fill("kept-design");
  await name.blur();
  await page.goto(`${slipway.url}?preset=does-not-exist&theme=pink`);
  await page.getByTestId("project-name").filter({ hasText: "kept-design" }).waitFor();
  const notices = await page.getByTestId("notice").allTextContents();
  assert.ok(notices.some((text) => text.includes("no preset called") && text.includes("go-service")), notices.join("\n"));
  assert.ok(notices.some((text) => text.includes("Unknown theme")), notices.join("\n"));
  await context.close();
});

test("a portal page drives the embedded designer through postMessage", async () => {
  const context = await browser.newContext();
  // A design the user made in standalone Slipway must never reach the portal.
  const own = await context.newPage();
  await own.goto(slipway.url);
  const name = own.locator('[data-field="project.name"]');
  await name.fill("private-standalone-design");
  await name.blur();
  await own.close();

  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${portal.url}index.html?slipway=${encodeURIComponent(slipway.url)}`);
  await page.locator("#status").filter({ hasText: "ready" }).waitFor();
  const frame = page.frameLocator("#slipway");
  await frame.getByTestId("project-name").filter({ hasText: "go-service" }).waitFor({ state: "attached" });

  // Read the design: the preset the portal asked for, not the user's standalone design.
  await page.locator("#get-design").click();
  await page.locator("#project").filter({ hasText: "go-service" }).waitFor({ state: "attached" });
  assert.match(await page.locator("#design").inputValue(), /name: go-service/);

  // Findings arrive as events.
  await page.locator("#findings").filter({ hasText: /^\d+$/ }).waitFor();

  // Load a design; the frame and the change event follow.
  await page.locator("#design").fill("version: 1\nproject:\n  name: portal-service\n  runtime: go\n");
  await page.locator("#load").click();
  await frame.getByTestId("project-name").filter({ hasText: "portal-service" }).waitFor({ state: "attached" });
  await page.locator("#project").filter({ hasText: "portal-service" }).waitFor();
  assert.equal(await page.locator("#error").textContent(), "");

  // A user edit inside the frame is announced to the portal.
  await page.goto(`${portal.url}index.html?slipway=${encodeURIComponent(slipway.url)}&panels=editor,designer,findings`);
  await page.locator("#status").filter({ hasText: "ready" }).waitFor();
  const field = page.frameLocator("#slipway").locator('[data-field="project.name"]');
  await field.fill("edited-in-frame");
  await field.blur();
  await page.locator("#project").filter({ hasText: "edited-in-frame" }).waitFor({ state: "attached" });

  // A bad design gets a located error and changes nothing.
  await page.locator("#design").fill("version: 1\ncontainer:\n  port: http\n");
  await page.locator("#load").click();
  await page.locator("#error").filter({ hasText: "Line 3" }).waitFor();
  assert.match(await page.locator("#error").textContent(), /container\.port/);
  await page.frameLocator("#slipway").getByTestId("project-name").filter({ hasText: "edited-in-frame" }).waitFor({ state: "attached" });

  // The bundle: every file and the zip.
  await page.locator("#get-bundle").click();
  await page.locator("#zip-size").waitFor();
  const files = await page.locator("#files li").allTextContents();
  assert.ok(files.includes("Dockerfile") && files.includes("slipway.yaml"), files.join(", "));
  assert.match(await page.locator("#zip-size").textContent(), /zip: [1-9]\d+ bytes/);

  // Theming through custom properties.
  await page.locator("#dark").click();
  const inner = page.frames().find((candidate) => candidate.url().startsWith(slipway.url));
  await inner.waitForFunction(() => document.documentElement.style.getPropertyValue("--accent") === "#7c5cff");
  assert.equal(await inner.evaluate(() => document.documentElement.dataset.theme), "dark");

  assert.deepEqual(errors, []);
  await context.close();
});

test("a page that is not on the allowlist gets no answer", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${stranger.url}index.html?slipway=${encodeURIComponent(slipway.url)}`);
  await page.locator("#status").filter({ hasText: "ready" }).waitFor();
  // Re-point the frame at an allowlist naming only the portal's origin, then ask from here.
  const allowsPortalOnly = `${slipway.url}?embed=${encodeURIComponent(new URL(portal.url).origin)}`;
  const answered = await page.evaluate(async (src) => {
    const frame = document.getElementById("slipway");
    await new Promise((done) => {
      frame.addEventListener("load", done, { once: true });
      frame.src = src;
    });
    await new Promise((done) => setTimeout(done, 1500));
    let answer = false;
    window.addEventListener("message", (event) => {
      if (event.data?.id === 4242) answer = true;
    });
    frame.contentWindow.postMessage({ type: "slipway:get-design", id: 4242 }, "*");
    await new Promise((done) => setTimeout(done, 1000));
    return answer;
  }, allowsPortalOnly);
  assert.equal(answered, false);
  await context.close();
});
