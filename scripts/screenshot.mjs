// Takes a screenshot of the release build as a user sees it.
// Usage: node scripts/screenshot.mjs OUT.png [preset] [width] [height] [color-scheme]
import { launch, openApp } from "../tests/e2e/browser.mjs";
import { serve } from "../tests/e2e/server.mjs";

const [out = "screenshot.png", preset, width = "1280", height = "720", scheme = "light"] = process.argv.slice(2);
const server = await serve(new URL("../dist/", import.meta.url).pathname);
const browser = await launch();
try {
  const { page, errors } = await openApp(browser, server.url, {
    viewport: { width: Number(width), height: Number(height) },
    colorScheme: scheme,
  });
  if (preset) await page.getByTestId("preset-picker").selectOption(preset);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}${errors.length ? `; page errors: ${errors.join("; ")}` : ""}`);
} finally {
  await browser.close();
  await server.close();
}
