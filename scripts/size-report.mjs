// Prints each file of the release build with its raw, gzip and brotli size, and the totals.
// Usage: node scripts/size-report.mjs [DIST_DIR]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const root = process.argv[2] ?? "dist";
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
console.log(`${"wasm + js + css (budget: 300 KB brotli)".padEnd(44)}${kb(sum("raw", app))}${kb(sum("gzip", app))}${kb(sum("brotli", app))}`);
