import { cpSync, createReadStream, existsSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { precompressDir } from './precompress.ts';

const uiDir = fileURLToPath(new URL('.', import.meta.url));
const punktAssets = fileURLToPath(new URL('../node_modules/@oslokommune/punkt-assets/dist', import.meta.url));
/** Punkt's icons, logos and animations are served by us under /punkt/ (the components would otherwise fetch them from a CDN). */
const PUNKT_DIRS = ['icons', 'logos', 'animations'];
/** Punkt's CDN as its CSS and components name it, with a version (`/13.13/`) or `/latest/`. */
const PUNKT_CDN = /https:\/\/punkt-cdn\.oslo\.kommune\.no\/[^/'"`)]+\//g;

/**
 * Punkt's CSS draws the check of a checked checkbox, the chevron of a select and the external-link mark with images
 * from its CDN, and its components default to the CDN for icons, logos and animations. The app's Content Security
 * Policy allows images from itself only, and the app must work without internet: point them at our own copies.
 */
function punktWithoutCdnPlugin(): Plugin {
  return {
    name: 'punkt-without-cdn',
    enforce: 'pre',
    transform(code, id) {
      if (!id.includes('/@oslokommune/') || !code.includes('https://punkt-cdn.')) return null;
      // In CSS the images are bundled (small ones inlined as data: URLs); in the components a path we serve.
      const local = id.split('?')[0]!.endsWith('.css') ? '@punkt-assets/' : '/punkt/';
      return { code: code.replace(PUNKT_CDN, local), map: null };
    },
  };
}

function punktAssetsPlugin(): Plugin {
  return {
    name: 'punkt-assets',
    configureServer(server) {
      server.middlewares.use('/punkt', (req, res, next) => {
        const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(/^(\.\.[/\\])+/, '');
        const file = join(punktAssets, path);
        if (!file.startsWith(punktAssets) || !existsSync(file) || !statSync(file).isFile()) return next();
        res.setHeader('content-type', file.endsWith('.svg') ? 'image/svg+xml' : 'application/octet-stream');
        createReadStream(file).pipe(res);
      });
    },
    writeBundle(options) {
      for (const dir of PUNKT_DIRS)
        cpSync(join(punktAssets, dir), join(options.dir!, 'punkt', dir), { recursive: true });
    },
  };
}

/** After the bundle (and Punkt's assets) are written: .br and .gz copies for the server to send as they are. */
function precompressPlugin(): Plugin {
  let outDir = '';
  return {
    name: 'precompress',
    apply: 'build',
    writeBundle(options) {
      outDir = options.dir!;
    },
    closeBundle() {
      if (outDir) precompressDir(outDir);
    },
  };
}

export default defineConfig({
  root: uiDir,
  base: '/',
  plugins: [react(), punktWithoutCdnPlugin(), punktAssetsPlugin(), precompressPlugin()],
  resolve: {
    // Punkt's CSS names its fonts relative to a sibling folder that only exists in punkt-assets.
    alias: [
      { find: /^\.\.\/fonts\/(.*)$/, replacement: `${punktAssets}/fonts/$1` },
      { find: /^@punkt-assets\/(.*)$/, replacement: `${punktAssets}/$1` },
    ],
  },
  build: { outDir: join(uiDir, 'dist'), emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
  server: {
    port: Number(process.env.UI_DEV_PORT ?? 5173),
    proxy: {
      '/api': process.env.API_URL ?? 'http://127.0.0.1:3000',
      '/docs': process.env.API_URL ?? 'http://127.0.0.1:3000',
    },
  },
  logLevel: process.env.VITE_LOG_LEVEL === 'silent' ? 'silent' : 'info',
});
