// Writes a Brotli (.br) and a gzip (.gz) copy next to every compressible file of the built web app, once at build
// time, so the server sends the smallest encoding the browser accepts without compressing on each request.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Text formats; fonts (woff/woff2) and images other than SVG are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt', '.map']);
/** Below this a compressed copy saves less than the headers it costs. */
const MIN_BYTES = 1024;

export type PrecompressResult = { files: number; bytes: number; brotliBytes: number; gzipBytes: number };

export function precompressDir(dir: string): PrecompressResult {
  const result: PrecompressResult = { files: 0, bytes: 0, brotliBytes: 0, gzipBytes: 0 };
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const inner = precompressDir(path);
      for (const key of Object.keys(result) as (keyof PrecompressResult)[]) result[key] += inner[key];
      continue;
    }
    if (!COMPRESSIBLE.has(extname(name)) || statSync(path).size < MIN_BYTES) continue;
    const content = readFileSync(path);
    const brotli = brotliCompressSync(content, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
    });
    const gzip = gzipSync(content, { level: 9 });
    // A copy that is not smaller is not written: the server then sends the file itself.
    if (brotli.length < content.length) writeFileSync(`${path}.br`, brotli);
    if (gzip.length < content.length) writeFileSync(`${path}.gz`, gzip);
    result.files += 1;
    result.bytes += content.length;
    result.brotliBytes += Math.min(brotli.length, content.length);
    result.gzipBytes += Math.min(gzip.length, content.length);
  }
  return result;
}
