// Hand back a patch: after a repository is imported and the design edited, the Files view shows
// what an export would change in that repository, file by file, and downloads it as a unified
// diff that `git apply` accepts in a checkout of the repository. The repository is kept in the
// tab only; Forget drops it. The panel fits 1280×720 without scrolling sideways.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cp, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openApp } from "./browser.mjs";
import { harness } from "./harness.mjs";

const run = harness();

const FOLDER = fileURLToPath(new URL("../repos/single-service", import.meta.url));
const OTHER_FOLDER = fileURLToPath(new URL("../repos/compose-worker-app", import.meta.url));
const WORKFLOWS = [".github/workflows/lint.yml", ".github/workflows/publish-docker.yml", ".github/workflows/test.yml"];

/** Imports tests/repos/single-service through the folder input, in the Audit view. */
async function importFolder(page) {
  await page.getByTestId("repo-folder-input").setInputFiles(FOLDER);
  await page.locator('[data-testid="notice"][data-topic="repository-import"]').waitFor();
  await page.getByTestId("repo-report").waitFor();
  await page.getByTestId("project-name").filter({ hasText: "single-service" }).waitFor();
}

/** The panel's row for `path`. */
const row = (page, path) => page.locator(`[data-testid="patch-file"][data-path="${path}"]`);

/** Runs git in `cwd`; fails the test with git's output when it fails. */
function git(cwd, ...args) {
  const result = spawnSync("git", ["-c", "init.defaultBranch=main", ...args], { cwd, encoding: "utf8" });
  assert.equal(result.status, 0, `git ${args.join(" ")}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

test("an edited import is shown as changes to the repository and downloads as a patch git applies", async (t) => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?view=audit`);
  await importFolder(page);

  // Fix a finding whose fix rewrites the repository's Dockerfile: the final image gets a HEALTHCHECK.
  const finding = page.locator('[data-testid="finding"][data-rule="DOCKER-015"]');
  await finding.getByTestId("fix").click();
  await finding.waitFor({ state: "detached" });

  // The report's link leads to the Files view, with the focus on the panel's heading.
  await page.getByTestId("repo-see-changes").click();
  const panel = page.getByTestId("repo-changes");
  await panel.waitFor();
  assert.equal(await page.getByRole("tab", { name: "Files" }).getAttribute("aria-selected"), "true");
  await page.waitForFunction(() => document.activeElement?.id === "repository-changes-title");
  assert.equal(await page.locator("#repository-changes-title").textContent(), "Changes to single-service");
  assert.match(await page.getByTestId("patch-summary").textContent(), /^\d+ new, 1 changed, 0 unchanged, 3 no longer generated$/);
  assert.match(await panel.textContent(), /kept in this tab only/);
  assert.equal(await page.getByTestId("patch-hint").textContent(), "Apply it in your repository with: git apply single-service-slipway.patch");
  assert.equal(await page.getByTestId("patch-unchanged").textContent(), "No file is unchanged.");

  // One row per file the export writes or lists, its status in words.
  const dockerfile = row(page, "Dockerfile");
  assert.equal(await dockerfile.getAttribute("data-change"), "changed");
  assert.equal(await dockerfile.getByTestId("patch-status").textContent(), "changed");
  assert.match(await dockerfile.getByTestId("patch-counts").textContent(), /^\+[1-9]\d* −[1-9]\d*$/);
  const ci = row(page, ".github/workflows/ci.yml");
  assert.equal(await ci.getAttribute("data-change"), "new");
  assert.match(await ci.getByTestId("patch-counts").textContent(), /^\+[1-9]\d* −0$/);
  for (const path of WORKFLOWS) {
    assert.equal(await row(page, path).getByTestId("patch-status").textContent(), "no longer generated — kept", path);
    assert.equal(await row(page, path).getByTestId("patch-diff-toggle").count(), 0, path);
  }
  assert.equal(await page.locator('[data-testid="patch-file"][data-change="unchanged"]').count(), 0);

  // The Dockerfile's diff opens in place: a git-style section whose lines keep their +, - or space.
  await dockerfile.locator("summary").click();
  const diff = dockerfile.getByTestId("patch-diff");
  await diff.waitFor();
  const diffText = await diff.textContent();
  assert.match(diffText, /^diff --git a\/Dockerfile b\/Dockerfile\n--- a\/Dockerfile\n\+\+\+ b\/Dockerfile\n@@ /);
  assert.match(diffText, /^\+HEALTHCHECK /m);
  assert.match(diffText, /^-\S/m);

  // At 1280×720 with the panel open and a diff shown, nothing scrolls sideways.
  const widths = await page.evaluate(() => {
    const root = document.scrollingElement;
    const panel = document.getElementById("view-panel");
    const box = document.querySelector('[data-testid="patch-diff"]');
    return {
      scroll: root.scrollWidth,
      client: root.clientWidth,
      panelScroll: panel.scrollWidth,
      panelClient: panel.clientWidth,
      boxScroll: box.scrollWidth,
      boxClient: box.clientWidth,
    };
  });
  assert.ok(widths.scroll <= widths.client, JSON.stringify(widths));
  assert.ok(widths.panelScroll <= widths.panelClient, JSON.stringify(widths));
  assert.ok(widths.boxScroll <= widths.boxClient, JSON.stringify(widths));
  await page.screenshot({ path: "/tmp/patch-1280.png" });

  // What the app shows for the Dockerfile, to compare with the patched checkout.
  await page.locator('[data-testid="file-tab"][data-path="Dockerfile"]').click();
  await page.locator('[data-testid="file-contents"][aria-label="Dockerfile"]').waitFor();
  const shown = await page.getByTestId("file-contents").textContent();
  assert.match(shown, /^HEALTHCHECK /m);

  const download = page.waitForEvent("download");
  await page.getByTestId("download-patch").click();
  const saved = await download;
  assert.equal(saved.suggestedFilename(), "single-service-slipway.patch");
  const patch = await readFile(await saved.path(), "utf8");
  assert.match(patch, /^diff --git a\/\.dockerignore b\/\.dockerignore\nnew file mode 100644\n/);
  assert.ok(patch.includes(diffText), "the download holds the diff shown");
  for (const path of WORKFLOWS) assert.ok(!patch.includes(`a/${path}`), `${path} is not in the patch`);

  const hasGit = spawnSync("git", ["--version"]).status === 0;
  if (!hasGit) {
    t.diagnostic("git is not installed: the patch was not applied to a checkout");
  } else {
    const dir = await mkdtemp(join(tmpdir(), "slipway-patch-"));
    try {
      await cp(FOLDER, dir, { recursive: true });
      const patchFile = join(dir, "..", `${dir.split("/").at(-1)}.patch`);
      await cp(await saved.path(), patchFile);
      git(dir, "init", "--quiet");
      git(dir, "apply", "--check", patchFile);
      git(dir, "apply", patchFile);
      assert.equal(await readFile(join(dir, "Dockerfile"), "utf8"), shown);
      // Nothing is deleted: the repository's own workflows are still there, next to the new one.
      const workflows = (await readdir(join(dir, ".github/workflows"))).sort();
      assert.deepEqual(workflows, ["ci.yml", "lint.yml", "publish-docker.yml", "security.yml", "test.yml"]);
      await rm(patchFile);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test("the panel shows only while a repository is kept: it follows edits, Forget drops it, a later import replaces it", async () => {
  const { context, page, errors } = await openApp(run.browser, `${run.server.url}?view=files`);
  // Without an import there is nothing to compare with.
  await page.getByTestId("file-tab").first().waitFor();
  assert.equal(await page.getByTestId("repo-changes").count(), 0);

  await page.getByTestId("view-audit").click();
  await importFolder(page);
  await page.getByTestId("repo-see-changes").click();
  await page.getByTestId("repo-changes").waitFor();

  // The panel follows the design: a fix that rewrites the Dockerfile changes its row.
  const before = await row(page, "Dockerfile").getByTestId("patch-counts").textContent();
  await page.locator('[data-testid="finding"][data-rule="DOCKER-015"]').getByTestId("fix").click();
  await page.waitForFunction(
    (before) => document.querySelector('[data-testid="patch-file"][data-path="Dockerfile"] [data-testid="patch-counts"]')?.textContent !== before,
    before,
  );

  await page.getByTestId("forget-repository").click();
  await page.getByTestId("repo-changes").waitFor({ state: "detached" });
  await page.waitForFunction(() => document.activeElement?.id === "view-tab-files");
  // A later import is kept in its place.
  await page.getByTestId("view-audit").click();
  await page.getByTestId("repo-folder-input").setInputFiles(OTHER_FOLDER);
  await page.getByTestId("project-name").filter({ hasText: "compose-worker-app" }).waitFor();
  await page.getByTestId("repo-see-changes").click();
  await page.locator("#repository-changes-title").filter({ hasText: "Changes to compose-worker-app" }).waitFor();
  assert.equal(await row(page, "Dockerfile").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a repository's own README and chart templates are read for the patch, so it still applies", async (t) => {
  // The fixture holds only the files the import turns into a design; a real checkout has its
  // own README.md too, which the export must not overwrite.
  const dir = await mkdtemp(join(tmpdir(), "slipway-readme-"));
  const repo = join(dir, "single-service");
  try {
    await cp(FOLDER, repo, { recursive: true });
    const { writeFile } = await import("node:fs/promises");
    await writeFile(join(repo, "README.md"), "# excalidraw-room\n\nOur own README.\n");
    const { context, page, errors } = await openApp(run.browser, `${run.server.url}?view=audit`);
    await page.getByTestId("repo-folder-input").setInputFiles(repo);
    await page.getByTestId("repo-report").waitFor();
    await page.getByTestId("repo-see-changes").click();
    await page.getByTestId("repo-changes").waitFor();
    // The guide goes beside the repository's README, which the patch leaves alone.
    assert.equal(await row(page, "docs/slipway/README.md").getAttribute("data-change"), "new");
    assert.equal(await row(page, "README.md").count(), 0);
    const download = page.waitForEvent("download");
    await page.getByTestId("download-patch").click();
    const patch = await readFile(await (await download).path(), "utf8");
    assert.ok(!patch.includes("b/README.md\n"), "the repository's README is not rewritten");
    if (spawnSync("git", ["--version"]).status !== 0) {
      t.diagnostic("git is not installed: the patch was not applied to a checkout");
    } else {
      const patchFile = join(dir, "readme.patch");
      const { writeFile: write } = await import("node:fs/promises");
      await write(patchFile, patch);
      git(repo, "init", "--quiet");
      git(repo, "apply", "--check", patchFile);
    }
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
