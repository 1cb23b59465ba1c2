// Start from your repository: a chosen folder or .zip becomes the design, with a report of what
// each file became; undo brings the previous design back; a bad archive changes nothing; the
// report fits the Audit view at 1280×720 in both themes. Nothing is fetched while importing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { openApp } from "./browser.mjs";
import { harness } from "./harness.mjs";

const run = harness();

const FOLDER = fileURLToPath(new URL("../repos/compose-worker-app", import.meta.url));
// tests/repos/single-service in a top folder `single-service-main/`, as `zip -D` writes it (file
// entries only) and, below, as GitHub's archives do (with an entry for each folder).
const ZIP = fileURLToPath(new URL("./fixtures/single-service.zip", import.meta.url));
const GITHUB_ZIP = fileURLToPath(new URL("./fixtures/single-service-github.zip", import.meta.url));

const serviceNames = (page) => page.getByTestId("service-row").evaluateAll((rows) => rows.map((row) => row.dataset.service));

/** The import notice's text, once shown. */
async function importNotice(page) {
  const notice = page.locator('[data-testid="notice"][data-topic="repository-import"]');
  await notice.waitFor();
  return notice.textContent();
}

test("a chosen folder becomes the design, its report is shown, and undo restores the previous design", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?view=audit`);
  const before = await serviceNames(page);
  const projectBefore = await page.getByTestId("project-name").textContent();
  const requests = run.server.requests.length;

  await page.getByTestId("repo-folder-input").setInputFiles(FOLDER);
  assert.match(await importNotice(page), /^Imported compose-worker-app: 4 services, \d+ jobs?\. Undo restores your previous design\./);

  const report = page.getByTestId("repo-report");
  await report.waitFor();
  // Focus moves to the report's heading, so a screen reader reads on from there.
  assert.equal(await page.evaluate(() => document.activeElement?.id), "repository-import-report");
  assert.match(await page.getByTestId("repo-summary").textContent(), /^\d+ files read: \d+ parts? mapped, \d+ not mapped/);
  assert.match(await page.getByTestId("repo-status").textContent(), /^Imported compose-worker-app/);

  const compose = report.locator('[data-testid="repo-file"][data-path="docker-compose.yml"]');
  assert.equal(await compose.count(), 1);
  assert.match(await compose.locator("summary").textContent(), /docker-compose\.yml.*\d+ mapped · [1-9]\d* not mapped/);
  // Files with something not mapped are open; each line says its outcome in words.
  assert.equal(await compose.evaluate((details) => details.open), true);
  const notMapped = compose.locator('[data-testid="repo-entry"][data-outcome="not-mapped"]');
  assert.ok((await notMapped.count()) > 0);
  assert.match(await notMapped.first().textContent(), /^(line \d+|whole file) · not mapped · \S/);
  const mapped = compose.locator('[data-testid="repo-entry"][data-outcome="mapped"]');
  assert.match(await mapped.first().textContent(), /^(line \d+|whole file) · mapped · \S/);
  // A file whose every part was mapped starts closed.
  const closed = await report.locator('[data-testid="repo-file"]').evaluateAll((blocks) =>
    blocks.filter((block) => !block.open).map((block) => block.dataset.path),
  );
  for (const path of closed) {
    const block = report.locator(`[data-testid="repo-file"][data-path="${path}"]`);
    assert.equal(await block.locator('[data-outcome="not-mapped"]').count(), 0, path);
  }

  const after = await serviceNames(page);
  for (const name of ["vote", "result", "worker", "seed"]) {
    assert.ok(after.some((service) => service === name || service.startsWith(name)), `${name} in ${after}`);
  }
  assert.equal(await page.getByTestId("project-name").textContent(), "compose-worker-app");
  assert.equal(run.server.requests.length, requests, "nothing was fetched while importing");

  await page.getByTestId("undo").click();
  await page.getByTestId("project-name").filter({ hasText: projectBefore }).waitFor();
  assert.deepEqual(await serviceNames(page), before);

  // The report stays until cleared; clearing gives focus back to the drop zone.
  assert.equal(await report.count(), 1);
  await page.getByTestId("repo-clear").click();
  assert.equal(await page.getByTestId("repo-report").count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "repo-drop");
  assert.deepEqual(errors, []);
  await context.close();
});

/** Imports `zip` through the .zip button's input and checks the single-service design. */
async function importsSingleService(zip) {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?view=audit`);
  await page.getByTestId("repo-zip-input").setInputFiles(zip);
  assert.match(await importNotice(page), /^Imported single-service: 1 service, \d+ jobs?\. Undo restores your previous design\./);
  await page.getByTestId("project-name").filter({ hasText: "single-service" }).waitFor();
  assert.equal((await serviceNames(page)).length, 1);
  const report = page.getByTestId("repo-report");
  for (const path of ["Dockerfile", "package.json", ".github/workflows/test.yml"]) {
    assert.equal(await report.locator(`[data-testid="repo-file"][data-path="${path}"]`).count(), 1, path);
  }
  assert.deepEqual(errors, []);
  await context.close();
}

test("a chosen .zip of a repository becomes the design, named after its top folder", () => importsSingleService(ZIP));

test("a GitHub archive (with folder entries) is read from inside its top folder", () =>
  importsSingleService(GITHUB_ZIP),
);

test("a dropped .zip that is not an archive shows the error and leaves the design unchanged", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?view=audit&preset=node-api`);
  const before = await serviceNames(page);
  const project = await page.getByTestId("project-name").textContent();
  // Dropped on the drop zone, as a file manager would.
  await page.getByTestId("repo-drop").evaluate((zone) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(["this is not a zip archive"], "broken.zip", { type: "application/zip" }));
    zone.dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: transfer }));
  });
  const error = page.getByTestId("repo-error");
  await error.waitFor();
  assert.match(await error.textContent(), /^Not imported, your design is unchanged: broken\.zip: not a readable \.zip archive/);
  assert.equal(await error.getAttribute("role"), "alert");
  assert.equal(await page.getByTestId("project-name").textContent(), project);
  assert.deepEqual(await serviceNames(page), before);
  assert.equal(await page.locator('[data-testid="notice"][data-topic="repository-import"]').count(), 0);
  assert.equal(await page.getByTestId("repo-report").count(), 0);

  // The same through the .zip button's input.
  await page.getByTestId("repo-zip-input").setInputFiles({ name: "garbage.zip", mimeType: "application/zip", buffer: Buffer.from("PK\u0003\u0004 garbage") });
  await page.getByTestId("repo-error").filter({ hasText: "garbage.zip" }).waitFor();
  assert.equal(await page.getByTestId("project-name").textContent(), project);
  assert.deepEqual(await serviceNames(page), before);

  // An archive over 128 MB is refused by its size, before reading it.
  await page.getByTestId("repo-drop").evaluate((zone) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(129 * 1024 * 1024)], "huge.zip", { type: "application/zip" }));
    zone.dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: transfer }));
  });
  await page.getByTestId("repo-error").filter({ hasText: "huge.zip is 129.0 MB; Slipway reads archives up to 128 MB" }).waitFor();
  assert.equal(await page.getByTestId("project-name").textContent(), project);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Every file under `root`, as { path: text } with `/`-separated paths from `root`. */
async function folderFiles(root) {
  const files = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath ?? entry.path, entry.name);
    files[relative(root, full).split("\\").join("/")] = await readFile(full, "utf8");
  }
  return files;
}

test("a dropped folder is walked batch by batch, skipping the folders the import ignores", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?view=audit`);
  const files = await folderFiles(FOLDER);
  // A dependency folder the import must never enter, whatever it holds.
  files["node_modules/left-pad/Dockerfile"] = "FROM scratch\n";
  // Playwright cannot drag a folder from the system: the drop carries a stand-in for the
  // entries API (webkitGetAsEntry, createReader, readEntries in batches, file).
  const opened = await page.getByTestId("repo-drop").evaluate((zone, files) => {
    const opened = [];
    const folder = (name, fullPath) => ({ name, fullPath, isFile: false, isDirectory: true, children: new Map() });
    const root = folder("compose-worker-app", "/compose-worker-app");
    for (const [path, text] of Object.entries(files)) {
      const parts = path.split("/");
      let at = root;
      for (const part of parts.slice(0, -1)) {
        if (!at.children.has(part)) at.children.set(part, folder(part, `${at.fullPath}/${part}`));
        at = at.children.get(part);
      }
      const name = parts.at(-1);
      const file = new File([text], name);
      at.children.set(name, { name, fullPath: `${at.fullPath}/${name}`, isFile: true, isDirectory: false, file: (done) => setTimeout(() => done(file)) });
    }
    const withReaders = (entry) => {
      if (!entry.isDirectory) return entry;
      const children = [...entry.children.values()].map(withReaders);
      entry.createReader = () => {
        opened.push(entry.fullPath);
        let next = 0;
        // Two entries a batch, then an empty one, as browsers hand over long listings.
        return { readEntries: (done) => setTimeout(() => done(children.slice(next, (next += 2)))) };
      };
      return entry;
    };
    withReaders(root);
    const item = { kind: "file", type: "", webkitGetAsEntry: () => root, getAsFile: () => null };
    const event = new DragEvent("drop", { bubbles: true, cancelable: true });
    Object.defineProperty(event, "dataTransfer", { value: { items: { length: 1, 0: item }, files: [] } });
    zone.dispatchEvent(event);
    window.__opened = opened;
    return opened;
  }, files);
  assert.ok(opened !== null);
  assert.match(await importNotice(page), /^Imported compose-worker-app: 4 services, \d+ jobs?\./);
  const walked = await page.evaluate(() => window.__opened);
  assert.ok(walked.includes("/compose-worker-app/result/tests"), walked.join(", "));
  assert.ok(!walked.some((path) => path.includes("node_modules")), walked.join(", "));
  const report = page.getByTestId("repo-report");
  await report.locator('[data-testid="repo-file"][data-path="docker-compose.yml"]').waitFor();
  await report.locator('[data-testid="repo-file"][data-path="result/tests/Dockerfile"]').waitFor();
  assert.equal(await report.locator('[data-path^="node_modules"]').count(), 0);
  const after = await serviceNames(page);
  for (const name of ["vote", "result", "worker", "seed"]) {
    assert.ok(after.some((service) => service === name || service.startsWith(name)), `${name} in ${after}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

for (const theme of ["light", "dark"]) {
  test(`at 1280×720 in the ${theme} theme, the Audit view with a report does not scroll sideways`, async () => {
    const { context, page, errors } = await openApp(run.browser, `${run.server.url}?view=audit&theme=${theme}`, { viewport: { width: 1280, height: 720 } });
    await page.getByTestId("repo-folder-input").setInputFiles(FOLDER);
    await page.getByTestId("repo-report").waitFor();
    const widths = await page.evaluate(() => {
      const root = document.scrollingElement;
      const panel = document.getElementById("view-panel");
      return { scroll: root.scrollWidth, client: root.clientWidth, panelScroll: panel.scrollWidth, panelClient: panel.clientWidth };
    });
    assert.ok(widths.scroll <= widths.client, JSON.stringify(widths));
    assert.ok(widths.panelScroll <= widths.panelClient, JSON.stringify(widths));
    await page.getByTestId("repository-import").scrollIntoViewIfNeeded();
    await page.screenshot({ path: theme === "light" ? "/tmp/import-1280.png" : "/tmp/import-1280-dark.png" });
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("the drop zone is a button that opens the folder picker", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?view=audit`);
  const zone = page.getByTestId("repo-drop");
  assert.equal(await zone.evaluate((element) => element.tagName), "BUTTON");
  const chooser = page.waitForEvent("filechooser");
  await zone.focus();
  await page.keyboard.press("Enter");
  const picked = await chooser;
  assert.equal(picked.isMultiple(), true);
  assert.equal(await picked.element().evaluate((input) => input.webkitdirectory), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the Start from… menu leads to the repository import, with the focus on its drop zone", async () => {
  const { context, page, errors } = await openApp(run.browser, run.server.url);
  await page.getByTestId("gallery").click();
  await page.getByTestId("start-from-repository").click();
  await page.waitForFunction(() => document.activeElement?.id === "repository-import-drop");
  assert.equal(await page.getByRole("tab", { name: "Audit" }).getAttribute("aria-selected"), "true");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the report judges each file and the repository as a whole, as slipway lint does", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?view=audit`);
  await page.getByTestId("repo-folder-input").setInputFiles(FOLDER);
  const vote = page.locator('[data-testid="repo-file"][data-path="vote/Dockerfile"]');
  // The audit follows the report: the file's count appears in its summary.
  await vote.getByTestId("repo-file-findings").waitFor();
  await vote.evaluate((details) => {
    details.open = true;
  });
  await vote.locator('[data-testid="repo-finding"][data-rule="DOCKER-001"]').waitFor();
  const result = page.locator('[data-testid="repo-file"][data-path=".github/workflows/call-docker-build-result.yaml"]');
  // Open (files with gaps start open; opening fires the toggle that builds the entries).
  await result.evaluate((details) => {
    details.open = true;
  });
  // No workflow scans dependencies: the repository's finding, placed at its first CI workflow.
  await result.locator('[data-testid="repo-finding"][data-rule="PIPELINE-005"]').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
