// The design as slipway.yaml beside the views: typing valid YAML changes the design (the form,
// the findings and the files follow) as one undo step; invalid YAML leaves the design as it
// was with a located error and a marked line; a change elsewhere rewrites the text; the pane
// is resizable and fits 1280×720 in both themes without sideways scrolling.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openApp } from "./browser.mjs";
import { harness } from "./harness.mjs";

const run = harness();

/** Selects the first occurrence of `pattern`'s group 1 in the YAML text. */
async function selectInYaml(page, pattern) {
  await page.getByTestId("yaml-text").evaluate((area, [source, flags]) => {
    const match = new RegExp(source, flags).exec(area.value);
    if (!match) throw new Error(`no ${source} in the YAML text`);
    const start = match.index + match[0].indexOf(match[1]);
    area.focus();
    area.setSelectionRange(start, start + match[1].length);
  }, [pattern.source, pattern.flags]);
}

const yamlText = (page) => page.getByTestId("yaml-text").inputValue();
const rules = (page) => page.getByTestId("finding").evaluateAll((items) => items.map((item) => item.dataset.rule));

test("typing valid YAML edits the design as one undo step; invalid YAML changes nothing and says where", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=node-api`);
  await page.getByTestId("toggle-yaml").click();
  assert.equal(await page.getByTestId("toggle-yaml").getAttribute("aria-pressed"), "true");
  const text = await yamlText(page);
  assert.match(text, /^version: 3$/m);
  assert.match(text, /^ {2}name: node-api$/m);
  assert.match(await page.getByTestId("yaml-status").textContent(), /In sync/);

  // Typing a port key by key: the form field follows, and the four keystrokes are one step.
  const port = page.locator('[data-field="container.port"]');
  assert.equal(await port.inputValue(), "3000");
  await selectInYaml(page, /port: (3000)/);
  await page.keyboard.type("8081");
  await page.waitForFunction(() => document.querySelector('[data-field="container.port"]')?.value === "8081");
  assert.match(await yamlText(page), /port: 8081/);

  // Running as root: the finding appears while the text stays as typed.
  assert.ok(!(await rules(page)).includes("DOCKER-001"));
  await selectInYaml(page, /uid: (1001)/);
  await page.keyboard.type("0");
  await page.locator('[data-testid="finding"][data-rule="DOCKER-001"]').first().waitFor();

  // Invalid YAML: a located error, the line marked, the design untouched.
  const findingsBefore = await rules(page);
  await selectInYaml(page, /(project:)/);
  await page.keyboard.type("project: [");
  const status = page.getByTestId("yaml-status");
  await page.waitForFunction(() => document.querySelector('[data-testid="yaml-status"]')?.dataset.state === "error");
  assert.match(await status.textContent(), /Not applied, the design is unchanged: line \d+, column \d+/);
  assert.equal(await page.getByTestId("yaml-text").getAttribute("aria-invalid"), "true");
  await page.getByTestId("yaml-error-mark").waitFor();
  assert.deepEqual(await rules(page), findingsBefore);
  assert.equal(await port.inputValue(), "8081");
  // Go to line selects the line the parser names.
  const line = Number((await status.textContent()).match(/line (\d+)/)[1]);
  await page.getByTestId("yaml-go-to-line").click();
  const selected = await page.getByTestId("yaml-text").evaluate((area) => ({
    focused: document.activeElement === area,
    line: area.value.slice(0, area.selectionStart).split("\n").length,
  }));
  assert.deepEqual(selected, { focused: true, line });

  // The draft is kept until the user asks for the design's text back.
  await page.getByTestId("yaml-discard").click();
  await page.waitForFunction(() => document.querySelector('[data-testid="yaml-status"]')?.dataset.state === "ok");
  assert.match(await yamlText(page), /^project:$/m);
  assert.equal(await page.getByTestId("yaml-error-mark").count(), 0);

  // Undo (focus outside the editor): the root user first, then the whole port run.
  await page.getByTestId("view-pipeline").focus();
  await page.keyboard.press("Control+z");
  await page.waitForFunction(() => !document.querySelector('[data-testid="finding"][data-rule="DOCKER-001"]'));
  assert.match(await yamlText(page), /uid: 1001/);
  await page.keyboard.press("Control+z");
  await page.waitForFunction(() => document.querySelector('[data-field="container.port"]')?.value === "3000");
  assert.match(await yamlText(page), /port: 3000/);

  // A change made in the form rewrites the text.
  await port.fill("4000");
  await port.blur();
  await page.waitForFunction(() => /port: 4000/.test(document.querySelector('[data-testid="yaml-text"]')?.value ?? ""));

  // The choice is remembered across a reload.
  await page.reload();
  await page.getByTestId("yaml-pane").waitFor();
  await page.getByTestId("close-yaml").click();
  assert.equal(await page.getByTestId("yaml-pane").count(), 0);
  assert.equal(await page.getByTestId("toggle-yaml").getAttribute("aria-pressed"), "false");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a name too long for the files it ends up in is refused, with the YAML's own message", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=node-api`);
  await page.getByTestId("toggle-yaml").click();
  await selectInYaml(page, /^\s+- id: (\S+)$/m);
  await page.getByTestId("yaml-text").evaluate((area) => {
    area.setRangeText("j".repeat(2000), area.selectionStart, area.selectionEnd, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await page.waitForFunction(() => document.querySelector('[data-testid="yaml-status"]')?.dataset.state === "error");
  assert.match(await page.getByTestId("yaml-status").textContent(), /pipeline\.jobs\[0\]\.id/);
  assert.deepEqual(errors, []);
  await context.close();
});

for (const theme of ["light", "dark"]) {
  test(`at 1280×720 in the ${theme} theme the pane fits beside every view and its divider resizes it`, async () => {
    const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=fastapi-react&theme=${theme}`);
    await page.getByTestId("toggle-yaml").click();
    // With the form folded, the views and the pane share the middle column.
    await page.getByTestId("toggle-form").click();
    const pane = page.getByTestId("yaml-pane");
    await pane.waitFor();
    const width = async () => (await pane.boundingBox()).width;
    const before = await width();
    const divider = page.getByTestId("yaml-divider");
    await divider.focus();
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    assert.ok((await width()) > before + 40, "ArrowLeft widens the pane");
    // Dragging the divider to the right narrows the pane.
    const box = await divider.boundingBox();
    await page.mouse.move(box.x + 3, box.y + 100);
    await page.mouse.down();
    await page.mouse.move(box.x + 123, box.y + 100, { steps: 4 });
    await page.mouse.up();
    assert.ok((await width()) < before, "dragging right narrows the pane");
    assert.equal(await divider.getAttribute("aria-valuenow"), String(Math.round(await width())));

    for (const view of ["pipeline", "container", "files", "rules", "audit"]) {
      await page.getByTestId(`view-${view}`).click();
      const overflow = await page.evaluate(() => {
        const root = document.documentElement;
        const designer = document.getElementById("designer");
        return { page: root.scrollWidth - root.clientWidth, designer: designer.scrollWidth - designer.clientWidth };
      });
      assert.deepEqual(overflow, { page: 0, designer: 0 }, `the ${view} view scrolls sideways`);
    }
    await page.getByTestId("view-pipeline").click();
    await page.screenshot({ path: `/tmp/yaml-pane-1280-${theme}.png` });
    assert.deepEqual(errors, []);
    await context.close();
  });
}
