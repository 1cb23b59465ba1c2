// Several services in one design: the Services panel, the switcher every per-service view
// follows, each service's own files, findings that name their service, and undo.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openApp } from "./browser.mjs";
import { harness } from "./harness.mjs";

const run = harness();

const fileContents = (page) => page.getByTestId("file-contents").textContent();

/** Waits until the shown file does (or, with `wanted` false, does not) match `pattern`. */
function contentsMatch(page, pattern, wanted = true) {
  return page.waitForFunction(
    ([source, flags, wanted]) => new RegExp(source, flags).test(document.querySelector('[data-testid="file-contents"]')?.textContent ?? "") === wanted,
    [pattern.source, pattern.flags, wanted],
  );
}

/** Shows the generated file at `path` in the Files view. */
async function showFile(page, path) {
  await page.getByTestId("view-files").click();
  await page.locator(`[data-testid="file-tab"][data-path="${path}"]`).click();
  await page.waitForFunction((wanted) => document.querySelector('[data-testid="file-contents"]')?.getAttribute("aria-label") === wanted, path);
}

test("a service is added, switched to and edited on its own, reaches the files, and undo reverts it", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=node-api`);
  const rows = page.getByTestId("service-row");
  const switcher = page.getByTestId("service-switcher");
  const port = page.locator('[data-field="container.port"]');
  assert.equal(await rows.count(), 1);
  const first = await rows.first().getAttribute("data-service");
  const firstPort = await port.inputValue();

  // The last service cannot be removed, and the panel says why.
  assert.equal(await page.getByTestId("remove-service").isDisabled(), true);
  await page.getByText("The last service cannot be removed").waitFor();

  // Add a web service: it gets a fresh name and its own folder, and is shown at once.
  await page.getByTestId("new-service-kind").selectOption("web-service");
  await page.getByTestId("add-service").click();
  await rows.nth(1).waitFor();
  assert.equal(await rows.nth(1).getAttribute("data-service"), "service-2");
  assert.match(await rows.nth(1).textContent(), /Web service · service-2/);
  assert.equal(await switcher.inputValue(), "1");
  assert.equal(await page.getByTestId("remove-service").first().isDisabled(), false);

  // The switcher names each service with its kind; switching redraws the service's fields.
  const options = await switcher.locator("option").allTextContents();
  assert.deepEqual(options, [`${first} · Web service`, "service-2 · Web service"]);
  await switcher.selectOption({ label: `${first} · Web service` });
  assert.equal(await page.locator('[data-field="name"]').inputValue(), first);
  assert.equal(await rows.first().getAttribute("aria-current"), "true");
  await switcher.selectOption({ label: "service-2 · Web service" });
  assert.equal(await page.locator('[data-field="name"]').inputValue(), "service-2");
  assert.equal(await rows.nth(1).getAttribute("aria-current"), "true");

  // Change the new service's port: only its own fields change.
  await port.fill("9090");
  await port.blur();
  await page.getByTestId("view-container").click();
  const viewSwitcher = page.getByTestId("view-service-switcher");
  assert.equal(await viewSwitcher.inputValue(), "1");
  await viewSwitcher.selectOption("0");
  assert.equal(await switcher.inputValue(), "0");
  assert.equal(await port.inputValue(), firstPort);
  // Selecting in the panel selects in the switcher too.
  await rows.nth(1).getByTestId("select-service").check();
  assert.equal(await switcher.inputValue(), "1");
  assert.equal(await viewSwitcher.inputValue(), "1");
  assert.equal(await port.inputValue(), "9090");

  // Its Dockerfile sits in its folder, and compose runs it.
  await showFile(page, "service-2/Dockerfile");
  assert.match(await fileContents(page), /EXPOSE 9090/);
  await showFile(page, "compose.yaml");
  const compose = await fileContents(page);
  assert.match(compose, /^ {2}service-2:/m);
  assert.match(compose, /9090/);
  await showFile(page, "Dockerfile");
  assert.doesNotMatch(await fileContents(page), /EXPOSE 9090/);

  // Undo the port, then the new service: the files follow.
  assert.match(await page.getByTestId("undo").getAttribute("title"), /Undo: Edit Port/);
  await page.getByTestId("undo").click();
  await showFile(page, "compose.yaml");
  await contentsMatch(page, /9090/, false);
  assert.match(await page.getByTestId("undo").getAttribute("title"), /Undo: Add service service-2/);
  await page.getByTestId("undo").click();
  await rows.nth(1).waitFor({ state: "detached" });
  await contentsMatch(page, /service-2/, false);
  await page.locator('[data-testid="file-tab"][data-path="service-2/Dockerfile"]').waitFor({ state: "detached" });
  assert.equal(await switcher.inputValue(), "0");
  assert.equal(await port.inputValue(), firstPort);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a finding names its service, and clicking it shows that service's field", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=node-api`);
  const switcher = page.getByTestId("service-switcher");
  await page.getByTestId("add-service").click();
  await page.getByTestId("service-row").nth(1).waitFor();
  const uid = page.locator('[data-field="container.user.uid"]');
  await uid.fill("0");
  await uid.blur();
  const finding = page.locator('[data-testid="finding"][data-rule="DOCKER-001"]');
  await finding.waitFor();
  assert.equal(await finding.getByTestId("finding-service").textContent(), "service-2");

  // From the first service, the finding brings its own service back with the field focused.
  await switcher.selectOption("0");
  assert.notEqual(await uid.inputValue(), "0");
  await finding.getByRole("button", { name: /DOCKER-001/ }).click();
  assert.equal(await switcher.inputValue(), "1");
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.field), "container.user.uid");
  await page.waitForFunction(() => document.activeElement?.value === "0");

  // The fix applies in that service, as one undo step named after it.
  await switcher.selectOption("0");
  await finding.getByTestId("fix").click();
  await finding.waitFor({ state: "detached" });
  assert.match(await page.getByTestId("undo").getAttribute("title"), /Undo: Fix DOCKER-001 in service-2/);

  // Duplicate, move and remove are undoable too, and the selection follows its service.
  await page.getByTestId("duplicate-service").nth(1).click();
  await page.getByTestId("service-row").nth(2).waitFor();
  assert.equal(await page.getByTestId("service-row").nth(2).getAttribute("data-service"), "service-2-copy");
  assert.equal(await switcher.inputValue(), "2");
  await page.getByRole("button", { name: "Move service service-2-copy up" }).click();
  assert.equal(await page.getByTestId("service-row").nth(1).getAttribute("data-service"), "service-2-copy");
  assert.equal(await switcher.inputValue(), "1");
  await page.getByRole("button", { name: "Remove service service-2-copy" }).click();
  assert.equal(await page.getByTestId("service-row").count(), 2);
  assert.match(await page.getByTestId("undo").getAttribute("title"), /Undo: Remove service service-2-copy/);
  await page.getByTestId("undo").click();
  assert.equal(await page.getByTestId("service-row").count(), 3);
  assert.deepEqual(errors, []);
  await context.close();
});

test("typing a service's name re-renders only what shows the name", async () => {
  // The switchers, the panel's row, the files, the canvas's legend and the renamed service's
  // jobs (their tags) name the service; the editor's other fields, the rest of the canvas and
  // the composer must not touch the DOM. Counted over one keystroke.
  for (const [view, shows] of [
    ["pipeline", ["duplicate-service", "legend-service", "pipeline-canvas", "remove-service", "select-service", "service-legend", "service-row", "service-switcher"]],
    ["container", ["duplicate-service", "remove-service", "select-service", "service-row", "service-switcher", "view-service-switcher"]],
  ]) {
    const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=fastapi-react&view=${view}`);
    const touched = await page.evaluate(async () => {
      const input = document.querySelector('[data-field="name"]');
      const type = async (value) => {
        input.value = value;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        await new Promise((done) => setTimeout(done, 50));
      };
      await type("orders-a");
      const places = new Set();
      const observer = new MutationObserver((records) => {
        for (const record of records) {
          const element = record.target.nodeType === 1 ? record.target : record.target.parentElement;
          places.add(element.closest("[data-testid]")?.getAttribute("data-testid") ?? element.closest("[aria-label]")?.getAttribute("aria-label") ?? element.tagName);
        }
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      await type("orders-b");
      observer.disconnect();
      return [...places].sort();
    });
    // Findings whose message names the service are replaced too.
    const others = touched.filter((place) => !/findings$/.test(place) && place !== "finding");
    assert.deepEqual(others, shows, `view ${view}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

/** The lines of compose.yaml's entry for `name`, up to the next top-level service. */
function composeEntry(compose, name) {
  const lines = compose.split("\n");
  const start = lines.findIndex((line) => line === `  ${name}:`);
  if (start < 0) return "";
  const end = lines.findIndex((line, index) => index > start && /^ {2}\S/.test(line));
  return lines.slice(start, end < 0 ? undefined : end).join("\n");
}

test("in a design of several services, the canvas colours jobs by service, the System view draws them, and the files group by service", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=web-api-worker`);
  const switcher = page.getByTestId("service-switcher");
  const port = page.locator('[data-field="container.port"]');

  // The legend lists the services and the repository; each job names its service.
  const legend = page.getByTestId("service-legend");
  assert.deepEqual(await legend.getByTestId("legend-service").allTextContents(), ["web", "api", "worker"]);
  assert.equal(await legend.getByTestId("legend-repository").textContent(), "repository");
  const apiTest = page.locator('[data-testid="job-node"][data-job="api-test"]');
  assert.match(await apiTest.getAttribute("aria-label"), /^api-test Test api/);
  assert.equal(await apiTest.getByTestId("job-service").textContent(), "api");
  const build = page.locator('[data-testid="job-node"][data-job="build"]');
  assert.match(await build.getAttribute("aria-label"), /^build Build & push image repository/);
  assert.equal(await build.getAttribute("data-tone"), "repository");
  assert.notEqual(await apiTest.getAttribute("data-tone"), await page.locator('[data-job="web-test"]').getAttribute("data-tone"));
  // A legend entry shows its service in the per-service views.
  await legend.getByRole("button", { name: "worker" }).click();
  assert.equal(await switcher.inputValue(), "2");
  assert.equal(await legend.getByRole("button", { name: "worker" }).getAttribute("aria-pressed"), "true");

  // Add a web service: it is selected, and the legend lists it.
  await page.getByTestId("new-service-kind").selectOption("web-service");
  await page.getByTestId("add-service").click();
  await page.getByTestId("service-row").nth(3).waitFor();
  assert.equal(await switcher.inputValue(), "3");
  assert.deepEqual(await legend.getByTestId("legend-service").allTextContents(), ["web", "api", "worker", "service-4"]);
  const oldPort = await port.inputValue();

  // Its files form a group of their own; the repository's are grouped last.
  await page.getByTestId("view-files").click();
  const groups = page.getByTestId("file-group");
  assert.deepEqual(
    await groups.evaluateAll((all) => all.map((group) => group.dataset.group)),
    ["web", "api", "worker", "service-4", "Repository"],
  );
  const ownGroup = page.locator('[data-testid="file-group"][data-group="service-4"]');
  const own = await ownGroup.getByTestId("file-tab").evaluateAll((tabs) => tabs.map((tab) => tab.dataset.path));
  assert.ok(own.includes("service-4/Dockerfile") && own.includes("charts/service-4/Chart.yaml"), own.join(", "));
  assert.ok(own.every((path) => path.startsWith("service-4/") || path.startsWith("charts/service-4/")), own.join(", "));
  const repository = await page
    .locator('[data-testid="file-group"][data-group="Repository"]')
    .getByTestId("file-tab")
    .evaluateAll((tabs) => tabs.map((tab) => tab.dataset.path));
  for (const path of ["compose.yaml", "README.md", ".github/workflows/ci.yml"]) assert.ok(repository.includes(path), path);
  // Groups fold away.
  await ownGroup.getByTestId("file-group-head").click();
  assert.equal(await ownGroup.locator('[data-path="service-4/Dockerfile"]').count(), 0);
  await ownGroup.getByTestId("file-group-head").click();
  await ownGroup.locator('[data-path="service-4/Dockerfile"]').waitFor();
  // A file's name never wraps, and nothing scrolls sideways.
  const wrapped = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="file-tab"]')].flatMap((tab) =>
      [...tab.childNodes]
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .filter((node) => {
          const range = document.createRange();
          range.selectNodeContents(node);
          return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size > 1;
        })
        .map((node) => node.textContent),
    ),
  );
  assert.deepEqual(wrapped, []);
  const designer = await page.locator("#designer").evaluate((section) => section.scrollWidth - section.clientWidth);
  assert.ok(designer <= 1, `the designer scrolls sideways by ${designer}px`);

  // Give it the API's port: its Dockerfile, its compose entry and a finding follow.
  const expose = async () => {
    await showFile(page, "service-4/Dockerfile");
    return (await fileContents(page)).match(/^EXPOSE (\d+)/m)?.[1];
  };
  assert.equal(await expose(), oldPort);
  const portConflict = page.locator('[data-testid="finding"][data-rule="SERVICE-004"]');
  assert.equal(await portConflict.count(), 0);
  await port.fill("3001");
  await port.blur();
  assert.equal(await expose(), "3001");
  await showFile(page, "compose.yaml");
  assert.match(composeEntry(await fileContents(page), "service-4"), /PORT: "?3001"?/);
  await portConflict.waitFor();
  assert.equal(await portConflict.getByTestId("finding-service").textContent(), "service-4");

  // Undo: the old port is back everywhere.
  assert.match(await page.getByTestId("undo").getAttribute("title"), /Undo: Edit Port/);
  await page.getByTestId("undo").click();
  assert.equal(await port.inputValue(), oldPort);
  await portConflict.waitFor({ state: "detached" });
  await showFile(page, "compose.yaml");
  assert.match(composeEntry(await fileContents(page), "service-4"), new RegExp(`PORT: "?${oldPort}"?`));
  assert.equal(await expose(), oldPort);

  // The System view: every service, what it talks to, the data stores; choosing one shows it.
  await page.getByTestId("view-system").click();
  const boxes = page.getByTestId("system-service");
  assert.deepEqual(await boxes.evaluateAll((all) => all.map((box) => box.dataset.service)), ["web", "api", "worker", "service-4"]);
  assert.match(await boxes.nth(0).getAttribute("aria-label"), /^web Static site · :\d+, talks to api$/);
  assert.match(await boxes.nth(2).getAttribute("aria-label"), /Worker · no port/);
  assert.equal(await page.locator('[data-testid="system-link"][data-from="web"][data-to="api"]').count(), 1);
  assert.deepEqual(
    await page.getByTestId("system-store").evaluateAll((all) => all.map((store) => store.dataset.store)),
    ["PostgreSQL", "Redis"],
  );
  await boxes.nth(1).click();
  assert.equal(await switcher.inputValue(), "1");
  assert.equal(await boxes.nth(1).getAttribute("aria-pressed"), "true");
  await boxes.nth(2).focus();
  await page.keyboard.press("Enter");
  assert.equal(await switcher.inputValue(), "2");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a design of one service has no legend and no service tags on its jobs", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?preset=node-api`);
  await page.getByTestId("job-node").first().waitFor();
  assert.equal(await page.getByTestId("service-legend").count(), 0);
  assert.equal(await page.getByTestId("job-service").count(), 0);
  assert.equal(await page.getByTestId("job-node").first().getAttribute("data-tone"), null);
  assert.deepEqual(errors, []);
  await context.close();
});
