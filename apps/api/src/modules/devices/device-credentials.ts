import { hash, verify } from '@node-rs/argon2';
import { createHash, randomBytes } from 'node:crypto';
import { DEVICE_CREDENTIAL_PREFIX } from '@vigil/contracts';

// Algorithm.Argon2id: the package exports a const enum, which isolated modules cannot inline.
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };

const SHAPE = /^vgd_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface MintedCredential {
  credential: string;
  keyId: string;
  secretHash: string;
}

/** A new credential: a public key id to find the row and 256 random bits stored as argon2id. */
export async function mintCredential(): Promise<MintedCredential> {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return {
    credential: `${DEVICE_CREDENTIAL_PREFIX}${keyId}_${secret}`,
    keyId,
    secretHash: await hash(secret, OPTIONS),
  };
}

export function parseCredential(token: string): { keyId: string; secret: string } | null {
  const match = SHAPE.exec(token);
  return match ? { keyId: match[1], secret: match[2] } : null;
}

const CACHE_LIMIT = 10_000;

/**
 * argon2id costs tens of milliseconds, and a hub posting every second would pay it every time.
 * A credential verified once against a stored hash is remembered by its SHA-256 with that hash:
 * rotation changes the hash (and the key id), so a remembered pair can never outlive it, and the
 * caller still reads the row (revocation) on every use.
 */
export class CredentialVerifier {
  private readonly verified = new Map<string, string>();

  async verify(token: string, secret: string, secretHash: string): Promise<boolean> {
    const digest = createHash('sha256').update(token).digest('hex');
    if (this.verified.get(digest) === secretHash) return true;
    const ok = await verify(secretHash, secret).catch(() => false);
    if (ok) {
      if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
      this.verified.set(digest, secretHash);
    }
    return ok;
  }
}
