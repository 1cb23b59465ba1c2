// Static hosting: the release build under a base path, its Content-Security-Policy, no request
// to any other origin, and offline use once loaded.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { launch, openApp } from "./browser.mjs";
import { serve } from "./server.mjs";
import { DIST } from "./harness.mjs";

// Built by scripts/test with `trunk build --release --public-url /tools/slipway/`.
const BASE_DIST = process.env.SLIPWAY_BASE_DIST ?? new URL("../../target/dist-base/", import.meta.url).pathname;
const BASE_PATH = "/tools/slipway/";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Records CSP violations in the page before any of its scripts run. */
async function watchPolicy(context) {
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
}

/** Visits every view and downloads the zip: the requests a real session makes. */
async function useEveryView(page) {
  for (const view of ["pipeline", "container", "rollout", "environments", "files"]) {
    await page.getByTestId(`view-${view}`).click();
  }
  await page.getByTestId("preset-picker").selectOption("node-api");
  await page.getByTestId("project-name").filter({ hasText: "node-api" }).waitFor();
  const download = page.waitForEvent("download");
  await page.getByTestId("download-zip").click();
  await download;
}

test("no request leaves the origin, and the policy blocks nothing the app needs", async () => {
  const server = await serve(DIST);
  try {
    const context = await browser.newContext({ acceptDownloads: true });
    await watchPolicy(context);
    const foreign = [];
    context.on("request", (request) => {
      const url = new URL(request.url());
      if (!["blob:", "data:"].includes(url.protocol) && url.origin !== new URL(server.url).origin) {
        foreign.push(request.url());
      }
    });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    await page.goto(server.url);
    await page.getByTestId("preset-picker").waitFor();
    await useEveryView(page);

    assert.deepEqual(foreign, [], "requests to other origins");
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(errors, []);
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
    assert.doesNotMatch(policy, /unsafe-inline|'unsafe-eval'/);
    for (const element of await page.locator("link[rel=stylesheet], link[rel=modulepreload], link[rel=preload]").all()) {
      assert.match(await element.getAttribute("integrity"), /^sha384-/, "every asset carries Subresource Integrity");
    }
    await context.close();
  } finally {
    await server.close();
  }
});

test("the release build works under a base path", async () => {
  assert.ok(existsSync(BASE_DIST), `${BASE_DIST} is missing: scripts/test builds it with --public-url ${BASE_PATH}`);
  const server = await serve(BASE_DIST, { prefix: BASE_PATH });
  try {
    const { context, page, errors } = await openApp(browser, server.url, { acceptDownloads: true });
    await useEveryView(page);
    assert.deepEqual(errors, []);
    assert.deepEqual(server.requests.filter((path) => !path.startsWith(BASE_PATH)), [], "every request stays under the base path");
    await context.close();
  } finally {
    await server.close();
  }
});

test("once loaded, Slipway works offline", async () => {
  const server = await serve(DIST);
  try {
    const { context, page, errors } = await openApp(browser, server.url);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((done) => navigator.serviceWorker.addEventListener("controllerchange", done, { once: true }));
      }
    });
    const name = page.locator('[data-field="project.name"]');
    await name.fill("offline-edit");
    await name.blur();
    await context.setOffline(true);
    await page.reload();
    await page.getByTestId("project-name").filter({ hasText: "offline-edit" }).waitFor();
    await page.getByTestId("view-files").click();
    await page.getByTestId("file-contents").waitFor();
    await context.setOffline(false);
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await server.close();
  }
});
