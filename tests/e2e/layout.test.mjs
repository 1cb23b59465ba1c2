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

test("at 1280×720 the form and the findings are resized by their edges, remembered, and nothing scrolls sideways", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=web-api-worker`, {
    viewport: { width: 1280, height: 720 },
  });
  const width = (selector) => page.locator(selector).evaluate((element) => Math.round(element.getBoundingClientRect().width));
  const form = page.getByTestId("form-divider");
  const findings = page.getByTestId("findings-divider");
  assert.equal(await form.getAttribute("aria-label"), "Resize the design form");
  const formBefore = await width('section[aria-label="Design"]');
  const findingsBefore = await width("#findings");

  // The keyboard: the form's edge moves right to widen it, the findings' edge left.
  await form.focus();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  assert.equal(await width('section[aria-label="Design"]'), formBefore + 48);
  await findings.focus();
  await page.keyboard.press("ArrowLeft");
  assert.equal(await width("#findings"), findingsBefore + 24);

  // The pointer: dragging the findings' edge right by 40 px narrows them by as much.
  const box = await findings.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 40, box.y + 200, { steps: 4 });
  await page.mouse.up();
  assert.equal(await width("#findings"), findingsBefore + 24 - 40);

  // Widths stay within limits and survive a reload; at 1280 px the designer keeps 600 px
  // between the two, so the views still fit.
  await form.focus();
  await page.keyboard.press("End");
  assert.equal(await form.getAttribute("aria-valuenow"), "480");
  await findings.focus();
  await page.keyboard.press("Home");
  assert.equal(await findings.getAttribute("aria-valuenow"), "440");
  await page.reload();
  await page.getByTestId("form-divider").waitFor();
  assert.equal(await page.getByTestId("findings-divider").getAttribute("aria-valuenow"), "440");
  assert.equal(await width("#designer"), 600);
  for (const view of VIEWS) {
    await page.getByTestId(`view-${view}`).click();
    assert.deepEqual(await overflow(page), [], view);
  }
  // A folded form has no edge to drag.
  await page.getByTestId("toggle-form").click();
  assert.equal(await page.getByTestId("form-divider").count(), 0);
  await page.screenshot({ path: `${SCREENS}layout-1280-resized.png` });
  assert.deepEqual(errors, []);
  await context.close();
});
