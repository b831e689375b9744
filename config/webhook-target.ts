import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where the engine may send a webhook (OWASP API7: server-side request forgery). An administrator's webhook URL is a
 * request the worker makes from inside the network: to Temporal, PostgreSQL, the cloud's metadata service. So the
 * host must resolve to public addresses only — checked when the URL is saved and again, on the very addresses
 * connected to, at every delivery (a name can resolve elsewhere later) — over https, without following redirects.
 * The embedded development stack may also call http on this machine (a local receiver).
 */
export type WebhookPolicy = {
  allowHttp: boolean;
  allowLoopback: boolean;
  /** Resolves a host name to all its addresses (default: the system resolver). */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
};

export const PRODUCTION_WEBHOOKS: WebhookPolicy = { allowHttp: false, allowLoopback: false };
export const EMBEDDED_WEBHOOKS: WebhookPolicy = { allowHttp: true, allowLoopback: true };
export const webhookPolicyOf = (config: { embeddedStack: boolean }): WebhookPolicy =>
  config.embeddedStack ? EMBEDDED_WEBHOOKS : PRODUCTION_WEBHOOKS;

/** A webhook refused by the policy: its message names the rule, never an address or port. */
export class WebhookRefused extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'WebhookRefused';
  }
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** Not public: private, shared, link-local (cloud metadata), reserved, documentation, multicast, unspecified. */
const internal = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  internal.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  internal.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:127.0.0.1), else the address as it is. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return address;
  const [hi, lo] = [Number.parseInt(hex[1]!, 16), Number.parseInt(hex[2]!, 16)];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Why the engine must not connect to this IP address, or undefined. */
export function refusedAddress(address: string, policy: WebhookPolicy): string | undefined {
  const ip = unmapped(address);
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  if (loopback.check(ip, family)) return policy.allowLoopback ? undefined : 'it points at this machine (loopback)';
  if (internal.check(ip, family))
    return 'it points at a private, link-local or reserved address (only public addresses are allowed)';
  return undefined;
}

const systemResolve = (host: string) =>
  new Promise<{ address: string; family: number }[]>((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

/** The URL's host without IPv6 brackets; the WHATWG parser has already turned 0x7f000001 and friends into 127.0.0.1. */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

function schemeRefusal(url: URL, policy: WebhookPolicy): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && policy.allowHttp) return undefined;
  return policy.allowHttp ? 'it must be an http(s) URL' : 'it must be an https URL';
}

/** Why a webhook URL is refused (scheme, an address that is not public, a host that does not resolve), or undefined. */
export async function webhookUrlRefusal(raw: string, policy: WebhookPolicy): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'it is not a URL';
  }
  const scheme = schemeRefusal(url, policy);
  if (scheme) return scheme;
  if (url.username || url.password) return 'it must not carry a user name or password';
  const host = hostOf(url);
  if (isIP(host)) return refusedAddress(host, policy);
  let addresses: { address: string }[];
  try {
    addresses = await (policy.resolve ?? systemResolve)(host);
  } catch {
    return 'its host name cannot be resolved';
  }
  if (addresses.length === 0) return 'its host name cannot be resolved';
  for (const { address } of addresses) {
    const refusal = refusedAddress(address, policy);
    if (refusal) return refusal;
  }
  return undefined;
}

/** A resolver for the connection itself: the addresses it hands to the socket are the ones checked. */
function guardedLookup(policy: WebhookPolicy): LookupFunction {
  return (hostname, options, callback) => {
    (policy.resolve ?? systemResolve)(hostname).then(
      (addresses) => {
        const wanted = options.family ? addresses.filter((a) => a.family === options.family) : addresses;
        const refusal = wanted.map((a) => refusedAddress(a.address, policy)).find(Boolean);
        if (refusal || wanted.length === 0) {
          callback(new WebhookRefused(refusal ?? 'its host name cannot be resolved'), '', 0);
          return;
        }
        if (options.all) (callback as unknown as (e: null, a: typeof wanted) => void)(null, wanted);
        else callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

/**
 * POSTs a webhook under the policy and answers its HTTP status. Redirects are not followed (a 3xx is an answer
 * like any other), the host's addresses are checked as they are connected to, and the whole call is bounded.
 */
export async function postWebhook(
  raw: string,
  opts: { headers: Record<string, string>; body: string; policy: WebhookPolicy; timeoutMs: number },
): Promise<number> {
  const url = new URL(raw);
  const refusal =
    schemeRefusal(url, opts.policy) ?? (isIP(hostOf(url)) ? refusedAddress(hostOf(url), opts.policy) : undefined);
  if (refusal) throw new WebhookRefused(refusal);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...opts.headers, 'content-length': Buffer.byteLength(opts.body) },
        lookup: guardedLookup(opts.policy),
        signal: AbortSignal.timeout(opts.timeoutMs),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}
