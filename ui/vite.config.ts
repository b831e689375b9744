import { cpSync, createReadStream, existsSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { precompressDir } from './precompress.ts';

const uiDir = fileURLToPath(new URL('.', import.meta.url));
const punktAssets = fileURLToPath(new URL('../node_modules/@oslokommune/punkt-assets/dist', import.meta.url));
/** Punkt's icons and logos are served by us under /punkt/ (the components would otherwise fetch them from a CDN). */
const PUNKT_DIRS = ['icons', 'logos'];

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
  plugins: [react(), punktAssetsPlugin(), precompressPlugin()],
  resolve: {
    // Punkt's CSS names its fonts relative to a sibling folder that only exists in punkt-assets.
    alias: [{ find: /^\.\.\/fonts\/(.*)$/, replacement: `${punktAssets}/fonts/$1` }],
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
