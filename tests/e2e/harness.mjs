// Shared setup for the browser test files: one static server and one browser per file.
import { before, after } from "node:test";
import { launch } from "./browser.mjs";
import { serve } from "./server.mjs";

export const DIST = process.env.SLIPWAY_DIST ?? new URL("../../dist/", import.meta.url).pathname;

/** Starts the server and browser for this test file; returns a live handle. */
export function harness() {
  const handle = { server: null, browser: null };
  before(async () => {
    handle.server = await serve(DIST);
    handle.browser = await launch();
  });
  after(async () => {
    await handle.browser?.close();
    await handle.server?.close();
  });
  return handle;
}
