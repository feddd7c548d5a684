import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  ENCRYPTED_ENCODING,
  PayloadDecryptionError,
  PayloadEncryptionCodec,
  payloadKeyId,
} from '../../infra/payload-codec';

const newKey = () => randomBytes(32).toString('base64');
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString();
const SECRET = 'vpn-password-Zq81!x';

function secretPayload(): Payload {
  return defaultPayloadConverter.toPayload({ username: 'alice', password: SECRET });
}

describe('PayloadEncryptionCodec', () => {
  it('round-trips payloads, metadata included, without the clear text in the encoded form', async () => {
    const codec = new PayloadEncryptionCodec([newKey()]);
    const original = [secretPayload(), defaultPayloadConverter.toPayload(undefined), secretPayload()];

    const encoded = await codec.encode(original);
    for (const payload of encoded) {
      expect(text(payload.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      expect(text(payload.metadata?.['encryption-key-id'])).toBe(codec.encryptionKeyId);
      expect(Object.keys(payload.metadata ?? {}).sort()).toEqual(['encoding', 'encryption-key-id']);
      expect(text(payload.data)).not.toContain(SECRET);
      expect(text(payload.data)).not.toContain('json/plain');
    }
    expect(Buffer.compare(encoded[0].data!, encoded[2].data!)).not.toBe(0);

    const decoded = await codec.decode(encoded);
    expect(decoded.map((payload) => defaultPayloadConverter.fromPayload(payload))).toEqual([
      { username: 'alice', password: SECRET },
      undefined,
      { username: 'alice', password: SECRET },
    ]);
    expect(text(decoded[1].metadata?.encoding)).toBe('binary/null');
  });

  // Key ids are stored in histories for years, so their derivation is pinned here.
  it('names keys by the first 8 hex digits of their SHA-256', () => {
    const key = Buffer.alloc(32, 7);
    const codec = new PayloadEncryptionCodec([key.toString('base64')]);
    expect(codec.encryptionKeyId).toBe(payloadKeyId(key));
    expect(codec.encryptionKeyId).toBe('4bb06f8e');
  });

  it('refuses a payload whose ciphertext, IV or tag was altered', async () => {
    const codec = new PayloadEncryptionCodec([newKey()]);
    const [encoded] = await codec.encode([secretPayload()]);
    const sealed = Buffer.from(encoded.data!);
    for (const offset of [0, 11, 12, sealed.length - 17, sealed.length - 1]) {
      const altered = Buffer.from(sealed);
      altered[offset] ^= 0x01;
      await expect(codec.decode([{ ...encoded, data: altered }])).rejects.toThrow(
        new PayloadDecryptionError(
          `Encrypted payload failed authentication with key ${codec.encryptionKeyId}`,
        ),
      );
    }
    await expect(codec.decode([{ ...encoded, data: sealed.subarray(0, 27) }])).rejects.toThrow(
      'Encrypted payload is truncated',
    );
  });

  it('refuses a payload from an unknown key or without a key id', async () => {
    const [encoded] = await new PayloadEncryptionCodec([newKey()]).encode([secretPayload()]);
    const stranger = new PayloadEncryptionCodec([newKey()]);
    const keyId = text(encoded.metadata?.['encryption-key-id']);
    await expect(stranger.decode([encoded])).rejects.toThrow(`Encrypted payload uses unknown key ${keyId}`);
    await expect(
      stranger.decode([{ metadata: { encoding: encoded.metadata!.encoding }, data: encoded.data }]),
    ).rejects.toThrow(PayloadDecryptionError);
  });

  it('decrypts with a rotated-out key and encrypts only with the first', async () => {
    const oldKey = newKey();
    const newerKey = newKey();
    const before = new PayloadEncryptionCodec([oldKey]);
    const after = new PayloadEncryptionCodec([newerKey, oldKey]);
    const [oldPayload] = await before.encode([secretPayload()]);

    const [decoded] = await after.decode([oldPayload]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual({ username: 'alice', password: SECRET });

    const [newPayload] = await after.encode([secretPayload()]);
    expect(text(newPayload.metadata?.['encryption-key-id'])).toBe(
      payloadKeyId(Buffer.from(newerKey, 'base64')),
    );
    await expect(before.decode([newPayload])).rejects.toThrow(PayloadDecryptionError);
  });

  it('turns payloads that are not encrypted into the refusal marker, naming their encoding', async () => {
    const codec = new PayloadEncryptionCodec([newKey()]);
    const plain = [secretPayload(), { metadata: {}, data: Buffer.from('raw') }, {}];
    const decoded = await codec.decode(plain);
    expect(decoded.map((payload) => defaultPayloadConverter.fromPayload(payload))).toEqual([
      { vpnflowRefusedPayload: { encoding: 'json/plain' } },
      { vpnflowRefusedPayload: { encoding: 'none' } },
      { vpnflowRefusedPayload: { encoding: 'none' } },
    ]);
    expect(JSON.stringify(decoded.map((payload) => Buffer.from(payload.data!).toString()))).not.toContain(
      SECRET,
    );
  });

  it('rejects keys that are not 32 bytes and an empty key list', () => {
    expect(() => new PayloadEncryptionCodec([newKey(), randomBytes(16).toString('base64')])).toThrow(
      'Payload codec key 1 must be 32 bytes, base64-encoded',
    );
    expect(() => new PayloadEncryptionCodec([])).toThrow('at least one key');
  });
});
