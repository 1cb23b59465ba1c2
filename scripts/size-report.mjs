// Prints each file of the release build with its raw, gzip and brotli size, and the totals,
// then holds the brotli size of wasm + js + css to the limit in scripts/size-limit.json: exits 1
// when it is more than 2 % over, and says to lower the limit when it is more than 2 % under.
// Usage: node scripts/size-report.mjs [DIST_DIR] [--figures-only]   (--figures-only: no limit,
// for builds that are not the app, such as the engine alone in scripts/size-floor)
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const LIMIT_FILE = "scripts/size-limit.json";
const TOLERANCE = 0.02;

const args = process.argv.slice(2);
const figuresOnly = args.includes("--figures-only");
const root = args.find((arg) => !arg.startsWith("--")) ?? "dist";
const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? (name.startsWith(".") ? [] : walk(path)) : [path];
  });

const kb = (bytes) => (bytes / 1024).toFixed(1).padStart(9);
const rows = walk(root)
  .sort()
  .map((path) => {
    const data = readFileSync(path);
    return {
      file: relative(root, path),
      raw: data.length,
      gzip: gzipSync(data, { level: 9 }).length,
      brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });

console.log(`${"file".padEnd(44)}${"raw KB".padStart(9)}${"gzip KB".padStart(9)}${"br KB".padStart(9)}`);
for (const row of rows) console.log(`${row.file.padEnd(44)}${kb(row.raw)}${kb(row.gzip)}${kb(row.brotli)}`);
const sum = (key, filter = () => true) => rows.filter(filter).reduce((total, row) => total + row[key], 0);
console.log(`${"total".padEnd(44)}${kb(sum("raw"))}${kb(sum("gzip"))}${kb(sum("brotli"))}`);
const app = (row) => /\.(wasm|js|css)$/.test(row.file);
console.log(`${"wasm + js + css".padEnd(44)}${kb(sum("raw", app))}${kb(sum("gzip", app))}${kb(sum("brotli", app))}`);

const brotli = sum("brotli", app);
if (figuresOnly) process.exit(0);
if (!rows.some((row) => row.file.endsWith(".wasm"))) {
  // An empty or failed build must not pass as a small one.
  console.error(`no .wasm file in ${root}: build the app first (trunk build --release --offline).`);
  process.exit(1);
}
const limit = JSON.parse(readFileSync(new URL(`../${LIMIT_FILE}`, import.meta.url), "utf8")).brotli_bytes;
const percent = Math.round((brotli / limit - 1) * 1000) / 10;
const figures = `wasm + js + css: ${brotli} bytes brotli; limit ${limit} bytes (${LIMIT_FILE}), ${percent > 0 ? "+" : ""}${percent.toFixed(1)} %`;
if (brotli > limit * (1 + TOLERANCE)) {
  console.error(`size limit exceeded: ${figures}, more than ${TOLERANCE * 100} % over.`);
  console.error(`Make the build smaller, or raise brotli_bytes in ${LIMIT_FILE} in a commit that says why.`);
  process.exitCode = 1;
} else if (brotli < limit * (1 - TOLERANCE)) {
  console.log(`${figures}: more than ${TOLERANCE * 100} % under the limit.`);
  console.log(`Lower brotli_bytes in ${LIMIT_FILE} to ${brotli} so the saving is kept.`);
} else {
  console.log(`${figures}: within ${TOLERANCE * 100} %.`);
}
