import { Agent, request } from 'node:http';

/**
 * A keep-alive HTTP client for the benchmarks. The bench's client shares the machine (and the process) with what it
 * measures; node:http spends about a third less CPU per call than fetch (undici), so less of the figure is the client.
 */
export function httpClient(base: string, headers: Record<string, string>) {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  return (method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(`${base}${path}`, { method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
}
