import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Encrypts secrets kept at rest (router API passwords, VPN account passwords) with AES-256-GCM.
 * The stored form is `v1:<base64(iv | tag | ciphertext)>`; the version prefix leaves room to change
 * the algorithm without guessing what an old row holds.
 *
 * Keys rotate like the payload codec's: the first key seals, every key opens (GCM's tag tells which
 * one fits), so an operator puts a new key first and keeps the old ones for what they sealed.
 */
export class SecretBox {
  private readonly keys: Buffer[];

  constructor(base64Keys: string | readonly string[]) {
    this.keys = (typeof base64Keys === 'string' ? [base64Keys] : base64Keys).map((key) =>
      Buffer.from(key, 'base64'),
    );
    if (this.keys.length === 0 || this.keys.some((key) => key.length !== 32)) {
      throw new Error('SecretBox needs one or more 32-byte keys');
    }
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0], iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
  }

  open(sealed: string): string {
    if (!sealed.startsWith('v1:')) throw new Error('unknown secret format');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    if (raw.length < 28) throw new Error('secret is truncated');
    for (const key of this.keys) {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      try {
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        // Sealed with another key of the list, or altered: the next key may fit.
      }
    }
    throw new Error('secret does not open with any configured key');
  }
}
