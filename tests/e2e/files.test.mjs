// The Files view as a folder tree at 1280×720: folders open and close, the keyboard moves
// through the tree (one Tab stop), the filter keeps matching files with their folders open,
// the divider resizes the list and is remembered, and nothing scrolls sideways in either theme.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openApp } from "./browser.mjs";
import { harness } from "./harness.mjs";

const run = harness();

const focusedKey = (page) => page.evaluate(() => document.activeElement?.dataset.key);

/** Presses `key` until the focused tree row is `wanted` (at most 80 times). */
async function moveTo(page, key, wanted) {
  for (let press = 0; press < 80 && (await focusedKey(page)) !== wanted; press++) await page.keyboard.press(key);
  assert.equal(await focusedKey(page), wanted);
}

/** How far the page and the file list scroll sideways, and the file names that wrap. */
function overflow(page) {
  return page.evaluate(() => {
    const root = document.scrollingElement;
    const list = document.getElementById("file-list");
    const wrapped = [...document.querySelectorAll('[data-testid="file-tab"] span')]
      .filter((name) => name.getClientRects().length !== 1 || name.scrollHeight > name.clientHeight + 1)
      .map((name) => name.textContent);
    return { page: root.scrollWidth - root.clientWidth, list: list.scrollWidth - list.clientWidth, wrapped };
  });
}

for (const theme of ["light", "dark"]) {
  test(`in the ${theme} theme the Files view is a folder tree the keyboard can use, and it fits 1280×720`, async () => {
    const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=web-api-worker&view=files&theme=${theme}`);
    const tree = page.getByTestId("file-tree");
    await tree.locator('[role="treeitem"]').first().waitFor();

    // Files show by name under compacted folders, every folder open at first.
    const deployment = page.locator('[data-testid="file-tab"][data-path="charts/api/templates/deployment.yaml"]');
    assert.equal((await deployment.textContent()).trim(), "deployment.yaml");
    assert.equal(await deployment.getAttribute("aria-level"), "4");
    const charts = page.locator('[data-key="charts/api/"]');
    assert.equal((await charts.textContent()).trim(), "charts/api");
    assert.equal(await charts.getAttribute("aria-expanded"), "true");
    assert.equal(await page.locator('[data-key=".github/workflows/"]').getAttribute("aria-expanded"), "true");

    // One Tab stop: Tab from the filter lands on one row of the tree.
    assert.equal(await tree.locator('[role="treeitem"][tabindex="0"]').count(), 1);
    await page.getByTestId("file-filter").focus();
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("role")), "treeitem");

    // Home goes to the first group, which closes and opens like a folder.
    await page.keyboard.press("Home");
    const web = page.locator('[data-testid="file-group"][data-group="web"] [data-testid="file-group-head"]');
    assert.equal(await focusedKey(page), await web.getAttribute("data-key"));
    await page.keyboard.press("ArrowLeft");
    assert.equal(await web.getAttribute("aria-expanded"), "false");
    assert.equal(await page.locator('[data-testid="file-group"][data-group="web"] [data-testid="file-tab"]').count(), 0);
    await page.keyboard.press("ArrowRight");
    assert.equal(await web.getAttribute("aria-expanded"), "true");
    // Down reaches the templates folder; Left closes it, Right opens it again.
    await moveTo(page, "ArrowDown", "charts/api/templates/");
    await page.keyboard.press("ArrowLeft");
    assert.equal(await page.locator('[data-key="charts/api/templates/"]').getAttribute("aria-expanded"), "false");
    assert.equal(await deployment.count(), 0);
    await page.keyboard.press("ArrowRight");
    await deployment.waitFor();
    // Right enters the folder; Down reaches the file, Enter shows it.
    await page.keyboard.press("ArrowRight");
    await moveTo(page, "ArrowDown", "charts/api/templates/deployment.yaml");
    await page.keyboard.press("Enter");
    await page.locator('[data-testid="file-contents"][aria-label="charts/api/templates/deployment.yaml"]').waitFor();
    assert.equal(await deployment.getAttribute("aria-selected"), "true");
    assert.match(await page.getByTestId("file-contents").textContent(), /kind: Deployment/);
    // Left from a file goes to its folder; Up moves back.
    await page.keyboard.press("ArrowLeft");
    assert.equal(await focusedKey(page), "charts/api/templates/");
    await page.keyboard.press("ArrowUp");
    assert.notEqual(await focusedKey(page), "charts/api/templates/");

    // A closed folder opens again while a filter shows its matches: only values files.
    await page.locator('[data-key="charts/api/"]').click();
    assert.equal(await page.locator('[data-key="charts/api/"]').getAttribute("aria-expanded"), "false");
    await page.getByTestId("file-filter").fill("values");
    await page.waitForFunction(() => document.querySelector('[data-key="charts/api/"]')?.getAttribute("aria-expanded") === "true");
    const shown = await page.getByTestId("file-tab").evaluateAll((tabs) => tabs.filter((tab) => tab.offsetParent !== null).map((tab) => tab.dataset.path));
    assert.ok(shown.length >= 3, shown.join(" | "));
    assert.ok(shown.every((path) => /values/i.test(path)), shown.join(" | "));
    const folders = await page.getByTestId("file-folder").evaluateAll((rows) => rows.filter((row) => row.offsetParent !== null).map((row) => row.getAttribute("aria-expanded")));
    assert.ok(folders.every((open) => open === "true"), folders.join(" "));
    // The shown file stays shown, outside the filter's matches.
    assert.equal(await page.getByTestId("file-contents").getAttribute("aria-label"), "charts/api/templates/deployment.yaml");
    // Without a filter the folder the user closed is closed again, until opened.
    await page.getByTestId("file-filter").fill("");
    await page.waitForFunction(() => document.querySelector('[data-key="charts/api/"]')?.getAttribute("aria-expanded") === "false");
    await page.locator('[data-key="charts/api/"]').click();
    await deployment.waitFor();

    // The divider widens the list from the keyboard, and the width is remembered.
    const divider = page.getByTestId("files-divider");
    assert.equal(await divider.getAttribute("aria-label"), "Resize the file list");
    const listWidth = () => page.locator("#file-list").evaluate((list) => list.getBoundingClientRect().width);
    const before = Number(await divider.getAttribute("aria-valuenow"));
    const beforeWidth = await listWidth();
    await divider.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    assert.equal(Number(await divider.getAttribute("aria-valuenow")), before + 48);
    assert.ok((await listWidth()) > beforeWidth + 40);
    await page.keyboard.press("ArrowLeft");
    assert.equal(Number(await divider.getAttribute("aria-valuenow")), before + 24);

    // Dragging the divider right widens the list by as much.
    const box = await divider.boundingBox();
    const dragged = Number(await divider.getAttribute("aria-valuenow"));
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    assert.equal(Number(await divider.getAttribute("aria-valuenow")), dragged + 60);
    await divider.focus();
    // Nothing scrolls sideways and no file name wraps, at the default width and the widest.
    assert.deepEqual(await overflow(page), { page: 0, list: 0, wrapped: [] });
    await page.keyboard.press("End");
    assert.deepEqual(await overflow(page), { page: 0, list: 0, wrapped: [] });
    await page.keyboard.press("Home");
    assert.deepEqual(await overflow(page), { page: 0, list: 0, wrapped: [] });
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    const kept = await divider.getAttribute("aria-valuenow");
    await page.reload();
    await page.getByTestId("files-divider").waitFor();
    assert.equal(await page.getByTestId("files-divider").getAttribute("aria-valuenow"), kept);
    await page.locator('[data-testid="file-tab"][data-path="charts/api/templates/deployment.yaml"]').click();
    await page.locator('[data-testid="file-contents"][aria-label="charts/api/templates/deployment.yaml"]').waitFor();
    assert.deepEqual(await overflow(page), { page: 0, list: 0, wrapped: [] });
    const name = theme === "light" ? "files-tree-1280.png" : `files-tree-1280-${theme}.png`;
    await page.screenshot({ path: join(process.env.SLIPWAY_SCREENSHOTS ?? tmpdir(), name) });
    // The filter stays in view while the tree scrolls.
    const filterShown = await page.evaluate(() => {
      const list = document.getElementById("file-list");
      list.scrollTop = list.scrollHeight;
      const filter = document.querySelector('[data-testid="file-filter"]').getBoundingClientRect();
      return list.scrollTop > 0 && filter.top >= list.getBoundingClientRect().top - 1;
    });
    assert.equal(filterShown, true);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
