// Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9) beside every
// compressible file under the given directory, once per build: the server sends them as they
// are (tower-http ServeDir precompressed), far smaller than what it could compress per request.
// Usage: node scripts/precompress.mjs dist
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const COMPRESSIBLE = /\.(wasm|js|mjs|css|svg|json|csv|txt)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (COMPRESSIBLE.test(name)) yield path;
  }
}

const root = process.argv[2] ?? "dist";
let before = 0;
let after = 0;
for (const path of files(root)) {
  const data = readFileSync(path);
  if (data.length < 512) continue;
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  writeFileSync(`${path}.br`, br);
  writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
  before += data.length;
  after += br.length;
}
console.log(`precompressed ${root}: ${before} bytes -> ${after} bytes with brotli`);
