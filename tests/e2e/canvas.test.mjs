// The pipeline canvas at a projector's 1280×720: legible labels at the fitted view, zoom with
// the toolbar, keys and Ctrl+wheel, panning, the minimap, and jobs dragged from the palette.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { openApp } from "./browser.mjs";
import { harness } from "./harness.mjs";

const run = harness();
const SCREENS = new URL("../../target/screens/", import.meta.url).pathname;

const percent = async (page) => Number((await page.getByTestId("zoom-percent").textContent()).replace("%", ""));

/** Waits until the zoom reads `value` percent. */
async function zoomIs(page, value) {
  await page.waitForFunction((value) => document.querySelector('[data-testid="zoom-percent"]')?.textContent === `${value}%`, value);
}

/** The frame's scroll offsets and whether it scrolls at all. */
const frameState = (page) =>
  page.getByTestId("canvas-frame").evaluate((frame) => ({
    left: frame.scrollLeft,
    top: frame.scrollTop,
    maxLeft: frame.scrollWidth - frame.clientWidth,
    maxTop: frame.scrollHeight - frame.clientHeight,
  }));

/** Every job label's on-screen font size: its computed size times the drawing's scale. */
const labelSizes = (page) =>
  page.evaluate(() => {
    const svg = document.querySelector('[data-testid="pipeline-canvas"]');
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('[data-testid="job-node"] text')].map((text) => ({
      text: text.textContent,
      px: parseFloat(getComputedStyle(text).fontSize) * scale,
    }));
  });

/** A page point on empty canvas (nothing but the pan surface under it), away from the overlays. */
const emptyPoint = (page) =>
  page.evaluate(() => {
    const frame = document.querySelector('[data-testid="canvas-frame"]').getBoundingClientRect();
    for (let y = frame.top + 60; y < frame.bottom - 20; y += 7) {
      for (let x = frame.left + 20; x < frame.left + frame.width * 0.6; x += 7) {
        if (document.elementFromPoint(x, y)?.dataset?.pan) return { x, y };
      }
    }
    return null;
  });

/** The page point of drawing point (x, y). */
const pagePoint = (page, x, y) =>
  page.evaluate(
    ([x, y]) => {
      const svg = document.querySelector('[data-testid="pipeline-canvas"]');
      const rect = svg.getBoundingClientRect();
      const scale = rect.width / svg.viewBox.baseVal.width;
      return { x: rect.left + x * scale, y: rect.top + y * scale };
    },
    [x, y],
  );

/** Drags a palette button to a page point with the mouse (HTML5 drag and drop). */
async function dragToPoint(page, testId, point) {
  const start = await page.getByTestId(testId).boundingBox();
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
  await page.mouse.down();
  await page.mouse.move(start.x + start.width / 2 + 10, start.y + start.height / 2 + 10, { steps: 2 });
  await page.mouse.move(point.x, point.y, { steps: 8 });
  await page.mouse.up();
}

test("the largest preset is legible at the fitted view, zooms, pans and has a minimap", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await page.getByTestId("view-pipeline").click();
  // The largest preset: the one with the most jobs.
  const presets = await page.getByTestId("preset-picker").locator("option").evaluateAll((options) =>
    options.map((option) => option.value).filter(Boolean),
  );
  let largest = null;
  for (const preset of presets) {
    await page.getByTestId("preset-picker").selectOption(preset);
    await page.getByTestId("job-node").first().waitFor();
    const count = await page.getByTestId("job-node").count();
    if (!largest || count > largest.count) largest = { preset, count };
  }
  await page.getByTestId("preset-picker").selectOption(largest.preset);
  await page.getByTestId("zoom-fit").click();
  await zoomIs(page, 100);

  // At the fitted view no label is under 12 px on screen; what does not fit scrolls.
  const sizes = await labelSizes(page);
  assert.ok(sizes.length >= largest.count * 2, `${sizes.length} labels`);
  const small = sizes.filter((label) => label.px < 11.99);
  assert.deepEqual(small, [], `labels under 12 px in ${largest.preset}`);
  await mkdir(SCREENS, { recursive: true });
  await page.screenshot({ path: `${SCREENS}canvas-fit.png` });

  // The toolbar's buttons zoom in steps, the percent says by how much.
  await page.getByRole("button", { name: "Zoom in" }).click();
  await zoomIs(page, 125);
  await page.getByRole("button", { name: "Zoom out" }).click();
  await page.getByRole("button", { name: "Zoom out" }).click();
  await zoomIs(page, 80);
  await page.getByRole("button", { name: "Reset zoom to 100%" }).click();
  await zoomIs(page, 100);

  // Keys when the canvas has focus: a job node, then the frame itself.
  await page.getByTestId("job-node").first().focus();
  await page.keyboard.press("+");
  await zoomIs(page, 125);
  await page.keyboard.press("-");
  await zoomIs(page, 100);
  await page.keyboard.press("-");
  await zoomIs(page, 80);
  await page.keyboard.press("0");
  await zoomIs(page, 100);
  await page.getByTestId("canvas-frame").focus();
  await page.keyboard.press("=");
  await zoomIs(page, 125);
  await page.keyboard.press("f");
  await zoomIs(page, 100);
  // Keys typed into a text field stay there.
  await page.getByTestId("simulate").check();
  await page.getByTestId("sim-paths").fill("");
  await page.getByTestId("sim-paths").press("+");
  assert.equal(await page.getByTestId("sim-paths").inputValue(), "+");
  assert.equal(await percent(page), 100);
  await page.getByTestId("simulate").uncheck();

  // Ctrl+wheel zooms around the pointer: the drawing point under it stays put.
  const anchor = await page.locator('[data-testid="job-node"] rect').nth(1).boundingBox();
  const pointer = { x: anchor.x + 20, y: anchor.y + 20 };
  await page.mouse.move(pointer.x, pointer.y);
  await page.keyboard.down("Control");
  await page.mouse.wheel(0, -100);
  await page.keyboard.up("Control");
  await page.waitForFunction(() => document.querySelector('[data-testid="zoom-percent"]').textContent !== "100%");
  assert.ok((await percent(page)) > 100);
  // The scroll follows the zoom on the next frame: poll (a slow machine may need several).
  const scale = (await percent(page)) / 100;
  let moved;
  for (let attempt = 0; attempt < 40; attempt++) {
    moved = await page.locator('[data-testid="job-node"] rect').nth(1).boundingBox();
    if (Math.abs(moved.x + 20 * scale - pointer.x) < 3 && Math.abs(moved.y + 20 * scale - pointer.y) < 3) break;
    await page.waitForTimeout(50);
  }
  assert.ok(Math.abs(moved.x + 20 * scale - pointer.x) < 3, `x ${moved.x} for pointer ${pointer.x}`);
  assert.ok(Math.abs(moved.y + 20 * scale - pointer.y) < 3, `y ${moved.y} for pointer ${pointer.y}`);

  // Zoomed in, the pipeline does not fit: dragging empty space pans, the minimap shows it all.
  await page.getByTestId("zoom-reset").click();
  await page.getByTestId("zoom-in").click();
  await page.getByTestId("zoom-in").click();
  await zoomIs(page, 156);
  await page.getByTestId("minimap").waitFor();
  await page.screenshot({ path: `${SCREENS}canvas-zoomed.png` });
  await page.getByTestId("canvas-frame").evaluate((frame) => frame.scrollTo(0, 0));
  let state = await frameState(page);
  assert.ok(state.maxLeft > 120, `scrolls sideways: ${JSON.stringify(state)}`);
  assert.equal(state.left, 0);
  const empty = await emptyPoint(page);
  assert.ok(empty, "an empty spot to drag");
  await page.mouse.move(empty.x, empty.y);
  await page.mouse.down();
  await page.mouse.move(empty.x - 60, empty.y - 20, { steps: 4 });
  await page.mouse.move(empty.x - 120, empty.y - 40, { steps: 4 });
  await page.mouse.up();
  state = await frameState(page);
  assert.ok(Math.abs(state.left - 120) <= 2, `panned to ${state.left}`);
  // A plain wheel scrolls.
  await page.mouse.move(empty.x, empty.y);
  await page.mouse.wheel(0, 60);
  await page.waitForFunction(() => document.querySelector('[data-testid="canvas-frame"]').scrollTop > 0);

  // A click on the minimap's right end moves the view there; dragging on it back to the start.
  const view = page.getByTestId("minimap-view");
  const before = Number(await view.getAttribute("x"));
  const minimap = await page.getByTestId("minimap").boundingBox();
  await page.mouse.click(minimap.x + minimap.width - 3, minimap.y + minimap.height / 2);
  await page.waitForFunction(() => {
    const frame = document.querySelector('[data-testid="canvas-frame"]');
    return frame.scrollLeft >= frame.scrollWidth - frame.clientWidth - 1;
  });
  assert.ok(Number(await view.getAttribute("x")) > before, "the minimap's view moved right");
  await page.mouse.move(minimap.x + minimap.width / 2, minimap.y + minimap.height / 2);
  await page.mouse.down();
  await page.mouse.move(minimap.x + 2, minimap.y + 2, { steps: 5 });
  await page.mouse.up();
  state = await frameState(page);
  assert.equal(state.left, 0);
  assert.equal(state.top, 0);

  // An arrow dragged to the frame's edge scrolls towards jobs out of view; released between
  // jobs, it says it connected nothing.
  await page.getByTestId("zoom-fit").click();
  await zoomIs(page, 100);
  await page.waitForFunction(() => document.querySelector('[data-testid="canvas-frame"]').scrollLeft === 0);
  const port = await page.locator('[data-testid="job-node"] [data-testid="port"]').first().boundingBox();
  const frameBox = await page.getByTestId("canvas-frame").boundingBox();
  const edgesBefore = await page.getByTestId("edge").count();
  await page.mouse.move(port.x + port.width / 2, port.y + port.height / 2);
  await page.mouse.down();
  for (let i = 0; i < 10; i++) await page.mouse.move(frameBox.x + frameBox.width - 12, port.y + 30 + i, { steps: 2 });
  assert.ok((await frameState(page)).left > 50, "the drag scrolled right");
  // Back onto its own job (or out of the canvas): nothing is connected.
  const back = await page.locator('[data-testid="job-node"] [data-testid="port"]').first().boundingBox();
  await page.mouse.move(back.x + back.width / 2, back.y + back.height / 2, { steps: 6 });
  await page.mouse.up();
  assert.equal(await page.getByTestId("edge").count(), edgesBefore);
  await page.getByTestId("zoom-fit").click();
  await page.waitForFunction(() => document.querySelector('[data-testid="canvas-frame"]').scrollLeft === 0);
  // Between the first two columns and rows, clear of every job.
  const gap = await pagePoint(page, 205, 89);
  const firstPort = await page.locator('[data-testid="job-node"] [data-testid="port"]').first().boundingBox();
  await page.mouse.move(firstPort.x + firstPort.width / 2, firstPort.y + firstPort.height / 2);
  await page.mouse.down();
  await page.mouse.move(gap.x, gap.y, { steps: 6 });
  await page.mouse.up();
  assert.match(await page.getByTestId("canvas-status").textContent(), /Not connected: .* released between jobs/);
  assert.equal(await page.getByTestId("edge").count(), edgesBefore);

  // Fit again: 100 %, from the start.
  await page.getByTestId("canvas-frame").focus();
  await page.keyboard.press("F");
  await zoomIs(page, 100);
  assert.deepEqual(errors, []);
  await context.close();
});

test("jobs dragged from the palette land where they are dropped, undoably; a missed drop says so", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await page.getByTestId("view-pipeline").click();
  await page.getByTestId("preset-picker").selectOption("node-api");
  const nodes = page.getByTestId("job-node");
  const count = await nodes.count();
  const status = page.getByTestId("canvas-status");

  // Dropped on a job, a new job needs that job.
  const build = await page.locator('[data-testid="job-node"][data-job="build"] rect').first().boundingBox();
  await dragToPoint(page, "add-smoke", { x: build.x + build.width / 2, y: build.y + build.height / 2 });
  await page.locator('[data-testid="edge"][data-from="build"][data-to="smoke"]').waitFor({ state: "attached" });
  assert.match(await status.textContent(), /Added smoke after build.*needs build/);
  assert.equal(await nodes.count(), count + 1);
  // 6 px beside a job still lands on it.
  const again = await page.locator('[data-testid="job-node"][data-job="build"] rect').first().boundingBox();
  assert.equal(again.width, build.width);
  await dragToPoint(page, "add-smoke", { x: again.x + again.width + 6, y: again.y + again.height / 2 });
  await page.locator('[data-testid="edge"][data-from="build"][data-to="smoke-2"]').waitFor({ state: "attached" });
  // One undo step each.
  await page.keyboard.press("Control+z");
  await page.locator('[data-job="smoke-2"]').waitFor({ state: "detached" });
  await page.keyboard.press("Control+z");
  await page.locator('[data-job="smoke"]').waitFor({ state: "detached" });
  assert.equal(await nodes.count(), count);

  // Dropped in empty space of a column, the job joins that column, highlighted while dragging.
  await page.getByTestId("zoom-out").click();
  await page.getByTestId("zoom-out").click();
  await zoomIs(page, 64);
  // Column 2's band is x 205…419 (its jobs 234…390): a spot in the gap before its jobs.
  const spot = await pagePoint(page, 214, 130);
  const start = await page.getByTestId("add-lint").boundingBox();
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
  await page.mouse.down();
  await page.mouse.move(spot.x - 5, spot.y - 5, { steps: 8 });
  await page.mouse.move(spot.x, spot.y, { steps: 2 });
  await page.getByTestId("drop-column").waitFor();
  assert.equal(await page.getByTestId("drop-column").getAttribute("data-column"), "1");
  await page.mouse.up();
  await page.getByTestId("drop-column").waitFor({ state: "detached" });
  assert.match(await status.textContent(), /Added lint-2 in column 2: it needs \S+/);
  const needed = (await status.textContent()).match(/needs (\S+)$/)[1];
  await page.locator(`[data-testid="edge"][data-from="${needed}"][data-to="lint-2"]`).waitFor({ state: "attached" });
  const lint2 = await page.locator('[data-job="lint-2"] rect').first().boundingBox();
  const columnLeft = await pagePoint(page, 234, 0);
  assert.ok(Math.abs(lint2.x - columnLeft.x) < 1.5, `lint-2 is in column 2: ${lint2.x} vs ${columnLeft.x}`);
  await page.keyboard.press("Control+z");
  await page.locator('[data-job="lint-2"]').waitFor({ state: "detached" });

  // Zoomed right out, the drawing is small and centred: a drop beside it adds nothing and says why.
  for (let i = 0; i < 8; i++) await page.getByTestId("zoom-out").click();
  await zoomIs(page, 25);
  const frame = await page.getByTestId("canvas-frame").boundingBox();
  await dragToPoint(page, "add-smoke", { x: frame.x + 12, y: frame.y + frame.height / 2 });
  await page.waitForFunction(() => /outside any column/.test(document.querySelector('[data-testid="canvas-status"]').textContent));
  assert.match(await status.textContent(), /Dropped outside any column — drop on the canvas or a job/);
  assert.equal(await nodes.count(), count);

  // Dropped outside the canvas altogether: said too.
  const inspector = await page.getByTestId("job-inspector").boundingBox();
  await dragToPoint(page, "add-smoke", { x: inspector.x + 40, y: inspector.y + 20 });
  await page.waitForFunction(() => /outside the canvas/.test(document.querySelector('[data-testid="canvas-status"]').textContent));
  assert.equal(await nodes.count(), count);

  // Click-to-add still works.
  await page.getByTestId("add-smoke").click();
  await page.locator('[data-job="smoke"]').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("several jobs are chosen with Shift-click and deleted in one undo step, with a word of what went", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=node-api`);
  const node = (id) => page.locator(`[data-testid="job-node"][data-job="${id}"]`);
  const ids = await page.getByTestId("job-node").evaluateAll((nodes) => nodes.map((node) => node.dataset.job));
  const [first, second, third] = ids;
  await node(first).click();
  await node(second).click({ modifiers: ["Shift"] });
  await node(third).click({ modifiers: ["Shift"] });
  await page.getByTestId("selection-bar").getByText("3 jobs selected").waitFor();
  for (const id of [first, second, third]) assert.equal(await node(id).getAttribute("aria-pressed"), "true");
  // Shift-click again takes a job out; Escape clears the rest; a plain click starts over.
  await node(second).click({ modifiers: ["Shift"] });
  assert.equal(await node(second).getAttribute("aria-pressed"), "false");
  await page.getByTestId("selection-bar").getByText("2 jobs selected").waitFor();
  await node(third).press("Escape");
  assert.equal(await page.getByTestId("selection-bar").count(), 0);
  await node(first).click();
  await node(third).click({ modifiers: ["Shift"] });
  await page.getByTestId("selection-bar").getByText("2 jobs selected").waitFor();

  // Delete on a chosen job removes both, as one step, and says which.
  await node(third).press("Delete");
  await page.waitForFunction((gone) => gone.every((id) => !document.querySelector(`[data-testid="job-node"][data-job="${id}"]`)), [first, third]);
  assert.equal(await node(second).count(), 1);
  const notice = page.locator('[data-testid="notice"][data-topic="change"]');
  assert.equal(await notice.textContent().then((text) => text.includes(`Deleted 2 jobs: ${third}, ${first}.`) || text.includes(`Deleted 2 jobs: ${first}, ${third}.`)), true);
  await page.getByTestId("undo").click();
  await page.waitForFunction((back) => back.every((id) => document.querySelector(`[data-testid="job-node"][data-job="${id}"]`)), [first, third]);
  assert.equal(await page.getByTestId("job-node").count(), ids.length);
  assert.deepEqual(errors, []);
  await context.close();
});

test("an arrow's end is dragged by its handle onto another job, undoably; a cycle is refused", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await page.getByTestId("view-pipeline").click();
  await page.getByTestId("preset-picker").selectOption("node-api");
  const edge = (from, to) => page.locator(`[data-testid="edge"][data-from="${from}"][data-to="${to}"]`);
  const centreOf = async (locator) => {
    const box = await locator.boundingBox();
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  };
  // Choose the arrow lint → build by clicking its line, then drag its end onto test.
  const select = async (from, to) => {
    const middle = await edge(from, to).locator("path").last().evaluate((path) => {
      const point = path.getPointAtLength(path.getTotalLength() / 2);
      const matrix = path.getScreenCTM();
      return { x: point.x * matrix.a + matrix.e, y: point.y * matrix.d + matrix.f };
    });
    await page.mouse.click(middle.x, middle.y);
    await page.locator(`[data-testid="edge-handle"][data-from="${from}"][data-to="${to}"]`).waitFor();
  };
  const dragHandle = async (from, to, onto) => {
    const handle = await centreOf(page.getByTestId("edge-handle"));
    const target = await centreOf(page.locator(`[data-testid="job-node"][data-job="${onto}"] rect`).first());
    await page.mouse.move(handle.x, handle.y);
    await page.mouse.down();
    await page.mouse.move(target.x, target.y, { steps: 8 });
    await page.mouse.up();
  };
  await select("lint", "build");
  await dragHandle("lint", "build", "test");
  await edge("lint", "test").waitFor({ state: "attached" });
  await edge("lint", "build").waitFor({ state: "detached" });
  assert.match(await page.getByTestId("canvas-status").textContent(), /test needs lint instead of build/);
  // One undo step puts the arrow back.
  await page.keyboard.press("Control+z");
  await edge("lint", "build").waitFor({ state: "attached" });
  await edge("lint", "test").waitFor({ state: "detached" });
  // Onto a job that runs before it: refused, nothing moved.
  await select("build", "deploy-staging");
  await dragHandle("build", "deploy-staging", "lint");
  await edge("build", "deploy-staging").waitFor({ state: "attached" });
  assert.match(await page.getByTestId("connect-refused").textContent(), /cycle/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("two fingers pinch the canvas to zoom around them, and together again to zoom out", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=node-api`, { hasTouch: true });
  await page.getByTestId("view-pipeline").click();
  await zoomIs(page, 100);
  const frame = await page.getByTestId("canvas-frame").boundingBox();
  const [x, y] = [frame.x + frame.width / 2, frame.y + frame.height / 2];
  const cdp = await context.newCDPSession(page);
  const pinch = async (from, to) => {
    const points = (apart) => [
      { x: x - apart, y, id: 1 },
      { x: x + apart, y, id: 2 },
    ];
    await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: points(from) });
    for (let step = 1; step <= 5; step++) {
      await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: points(from + ((to - from) * step) / 5) });
    }
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  };
  // Fingers twice as far apart: twice the size.
  await pinch(40, 80);
  await zoomIs(page, 200);
  // Back to where they started: the size it had.
  await pinch(80, 40);
  await zoomIs(page, 100);
  assert.deepEqual(errors, []);
  await context.close();
});
