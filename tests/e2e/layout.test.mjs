// The shell fits a workshop projector and a desktop screen: at 1280×720 and 1920×1080, in both
// themes, no view scrolls the page or its own panel sideways (code panes scroll inside
// themselves by design), and each view is photographed for a look.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { openApp } from "./browser.mjs";
import { harness } from "./harness.mjs";

const run = harness();
const SCREENS = new URL("../../target/screens/", import.meta.url).pathname;
const VIEWS = ["pipeline", "system", "container", "rollout", "environments", "files", "rules", "checklist", "audit"];
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];

/** What is wider than its box: the page, the view's panel, and any element of the panel that
 * reaches past the panel's right edge without a scroll box of its own to hold it. */
async function overflow(page) {
  return page.evaluate(() => {
    const found = [];
    const root = document.scrollingElement;
    if (root.scrollWidth > root.clientWidth) found.push(`page ${root.scrollWidth} > ${root.clientWidth}`);
    const panel = document.getElementById("view-panel");
    if (panel.scrollWidth > panel.clientWidth + 1) found.push(`view panel ${panel.scrollWidth} > ${panel.clientWidth}`);
    const right = panel.getBoundingClientRect().right;
    const scrolls = (element) => {
      for (let e = element.parentElement; e && e !== panel; e = e.parentElement) {
        const style = getComputedStyle(e);
        if (/(auto|scroll|hidden|clip)/.test(style.overflowX)) return true;
      }
      return false;
    };
    for (const element of panel.querySelectorAll("*")) {
      const box = element.getBoundingClientRect();
      if (box.width > 0 && box.right > right + 1 && !scrolls(element)) {
        found.push(`${element.tagName.toLowerCase()}${element.dataset.testid ? `[${element.dataset.testid}]` : ""} ends at ${Math.round(box.right)} > ${Math.round(right)}`);
        if (found.length > 5) break;
      }
    }
    return found;
  });
}

for (const { width, height } of SIZES) {
  for (const theme of ["light", "dark"]) {
    test(`at ${width}×${height} in the ${theme} theme no view scrolls sideways`, async () => {
      await mkdir(SCREENS, { recursive: true });
      const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=web-api-worker&theme=${theme}`, {
        viewport: { width, height },
      });
      const found = [];
      for (const view of VIEWS) {
        await page.getByTestId(`view-${view}`).click();
        await page.waitForFunction((id) => document.getElementById(`view-tab-${id}`)?.getAttribute("aria-selected") === "true", view);
        for (const line of await overflow(page)) found.push(`${view}: ${line}`);
        await page.screenshot({ path: `${SCREENS}layout-${width}-${theme}-${view}.png` });
      }
      assert.deepEqual(found, []);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
}

test("the overflow check sees an element wider than its view", async () => {
  const { context, page } = await openApp(run.browser, `${run.server.url}?preset=node-api`);
  assert.deepEqual(await overflow(page), []);
  await page.evaluate(() => {
    const wide = document.createElement("div");
    wide.style.width = "3000px";
    wide.textContent = "wide";
    document.getElementById("view-panel").append(wide);
  });
  assert.ok((await overflow(page)).length > 0);
  await context.close();
});
