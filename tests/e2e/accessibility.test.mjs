// Accessibility as a test: axe-core (run inside the page, offline) on every view in both themes
// at 1280×720 finds no serious or critical violation, and every placeholder has a contrast of
// at least 4.5:1 against its field (axe does not judge placeholders).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { openApp } from "./browser.mjs";
import { harness } from "./harness.mjs";

const run = harness();
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const VIEWS = ["pipeline", "system", "container", "rollout", "environments", "files", "rules", "checklist", "audit"];

/** The serious and critical axe violations on the page, one line per element. */
async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.addScriptTag({ path: AXE });
  }
  const results = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ["violations"] }).then((result) =>
      result.violations
        .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
        .flatMap((violation) =>
          violation.nodes.map((node) => `${violation.id} (${violation.impact}) ${node.target.join(" ")}: ${node.failureSummary.split("\n").slice(0, 2).join(" ")}`),
        ),
    ),
  );
  return results;
}

/** Placeholders whose contrast with their field's background is under 4.5:1. */
function faintPlaceholders(page) {
  return page.evaluate(() => {
    const parse = (color) => {
      const match = color.match(/rgba?\(([^)]+)\)/);
      if (!match) return null;
      const [r, g, b, a = 1] = match[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const luminance = ({ r, g, b }) => {
      const channel = (value) => {
        const c = value / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    // The colour behind an element: its own background or the nearest opaque one above it.
    const background = (element) => {
      for (let node = element; node; node = node.parentElement) {
        const color = parse(getComputedStyle(node).backgroundColor);
        if (color && color.a > 0.5) return color;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const blend = (top, bottom) => ({
      r: top.r * top.a + bottom.r * (1 - top.a),
      g: top.g * top.a + bottom.g * (1 - top.a),
      b: top.b * top.a + bottom.b * (1 - top.a),
    });
    const faint = [];
    for (const field of document.querySelectorAll("input[placeholder], textarea[placeholder]")) {
      if (!field.placeholder || field.offsetParent === null) continue;
      const behind = background(field);
      const text = parse(getComputedStyle(field, "::placeholder").color);
      if (!text) continue;
      const [light, dark] = [luminance(blend(text, behind)), luminance(behind)].sort((a, b) => b - a);
      const ratio = (light + 0.05) / (dark + 0.05);
      if (ratio < 4.5) faint.push(`${field.getAttribute("data-testid") ?? field.getAttribute("aria-label") ?? field.placeholder}: ${ratio.toFixed(2)}:1`);
    }
    return faint;
  });
}

for (const theme of ["light", "dark"]) {
  test(`every view in the ${theme} theme has no serious or critical accessibility violation`, async () => {
    // The page's CSP refuses injected scripts; axe is injected by the test alone.
    const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=fastapi-react&theme=${theme}`, { bypassCSP: true });
    const found = [];
    for (const view of VIEWS) {
      await page.getByTestId(`view-${view}`).click();
      await page.waitForFunction((id) => document.getElementById(`view-tab-${id}`)?.getAttribute("aria-selected") === "true", view);
      for (const line of await violations(page)) found.push(`${view}: ${line}`);
      for (const line of await faintPlaceholders(page)) found.push(`${view}: placeholder ${line}`);
    }
    // The YAML pane and an open fix preview are part of the page too.
    await page.getByTestId("view-pipeline").click();
    await page.getByTestId("toggle-yaml").click();
    await page.locator('[data-testid="finding"][data-rule="PIPELINE-020"]').getByTestId("fix").click();
    for (const line of await violations(page)) found.push(`yaml pane: ${line}`);
    assert.deepEqual([...new Set(found)], []);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("a canary's rollout view, with its analysis marks, has no serious or critical accessibility violation", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=go-service`, { bypassCSP: true });
  await page.getByTestId("view-rollout").click();
  await page.getByTestId("analysis-gate").waitFor();
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});
