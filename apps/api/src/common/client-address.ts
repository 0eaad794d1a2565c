import type { Request } from 'express';

type TrustFn = (address: string, hop: number) => boolean;

/**
 * The client address that keys login throttling. Express's `req.ip` walks X-Forwarded-For past
 * every trusted address and, when all of them are trusted (a client inside the trusted range, or
 * one that wrote a trusted-looking entry itself), ends on the leftmost entry, which the client
 * wrote. Here each trusted hop (at most TRUSTED_PROXY_HOPS of them) vouches for exactly the one
 * entry it appended: the rightmost address that no trusted hop is known to have passed on is the
 * key, and nothing the client wrote is ever used.
 */
export function clientAddress(req: Request, maxHops: number): string {
  const peer = req.socket.remoteAddress ?? '';
  const trust = req.app.get('trust proxy fn') as TrustFn | undefined;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean)
    .reverse();
  const chain = [peer, ...forwarded];
  let i = 0;
  while (i < maxHops && i + 1 < chain.length && trust?.(chain[i], i)) i++;
  return normalise(chain[i]);
}

function normalise(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
