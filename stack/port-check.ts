import { createServer } from 'node:net';

/**
 * Fails fast, with a message naming the port, when something already listens there. Without this a second
 * copy of a server would die on bind while our readiness probe happily talks to the first one.
 */
export async function assertPortFree(port: number, host: string, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `${what}: port ${port} on ${host} is already in use (is another instance still running?)`
            : `${what}: cannot listen on ${host}:${port}: ${err.message}`,
        ),
      );
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}
