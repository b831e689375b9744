import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/** Where `npm run build:ui` puts the web app. */
export const UI_DIST_DIR = fileURLToPath(new URL('../../../ui/dist', import.meta.url));

/** Paths the web app never answers: the API, its docs and the operational endpoints keep their own 404s. */
const NOT_THE_APP = /^\/(api|docs|health|ready|metrics)(\/|$|\?)/;

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>Nettløsningen er ikke bygget</title></head>
<body><main><h1>Nettløsningen er ikke bygget</h1>
<p>Kjør <code>npm run build:ui</code> (eller <code>npm install</code>) og start på nytt. API-et virker som før under <code>/api</code>.</p>
</main></body></html>`;

/**
 * Serves the built single-page app (`ui/dist`) at `/`. Hashed files under /assets are cached for a year;
 * index.html never, so a deploy is picked up at the next navigation. Any other GET outside the API is the
 * app's own route (e.g. /opphold/<id>) and gets index.html: React decides what to show there.
 */
const uiStatic: FastifyPluginAsync<{ root: string }> = async (app, opts) => {
  const index = join(opts.root, 'index.html');
  const built = existsSync(index);
  if (!built) app.log.warn({ root: opts.root }, 'the web app is not built (npm run build:ui); serving a notice at /');
  else {
    await app.register(fastifyStatic, {
      root: opts.root,
      prefix: '/',
      // One route per built file, found at start: unknown paths fall through to the SPA route below.
      wildcard: false,
      index: false,
      // ui/dist holds .br and .gz copies made at build time (ui/precompress.ts): sent by Accept-Encoding, never routed.
      preCompressed: true,
      globIgnore: ['**/*.br', '**/*.gz'],
      setHeaders(reply, path) {
        reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  const sendApp = (reply: FastifyReply) =>
    built
      ? reply.header('cache-control', 'no-cache').sendFile('index.html')
      : reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);

  const schema = { hide: true } as const;
  app.get('/', { schema, logLevel: 'warn' }, (_request, reply) => sendApp(reply));
  app.get('/*', { schema, logLevel: 'warn' }, (request, reply) => {
    if (NOT_THE_APP.test(request.url) || /\.[a-z0-9]+$/i.test(request.url.split('?')[0]!)) return reply.callNotFound();
    return sendApp(reply);
  });
};

export default uiStatic;
