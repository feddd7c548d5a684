import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import {
  METADATA_ENCODING_KEY,
  type DataConverter,
  type Payload,
  type PayloadCodec,
} from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { refusedPayload } from '../domain/refused-payloads';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA_KEY = 'encryption-key-id';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** An encrypted payload that cannot be opened: unknown key, truncated, or altered. */
export class PayloadDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

/** A short, stable name for a key, stored beside each payload so that a rotated-out key still decrypts. */
export function payloadKeyId(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function metadataText(payload: Payload, key: string): string | undefined {
  const value = payload.metadata?.[key];
  return value ? Buffer.from(value).toString('utf8') : undefined;
}

/**
 * Encrypts every Temporal payload with AES-256-GCM so that workflow inputs, results and activity
 * arguments (passwords, customer data) never reach Temporal's database in clear text. The whole
 * original payload, metadata included, is sealed as `iv | ciphertext | tag` (the WebCrypto layout the
 * other SDKs' encryption samples use), so not even its encoding leaks.
 *
 * `base64Keys[0]` encrypts; every key in the list decrypts, which lets an operator rotate by putting
 * a new key first and keeping the old one until no open history needs it.
 */
export class PayloadEncryptionCodec implements PayloadCodec {
  readonly encryptionKeyId: string;
  private readonly encryptionKey: Buffer;
  private readonly keysById = new Map<string, Buffer>();

  constructor(base64Keys: readonly string[]) {
    if (base64Keys.length === 0) throw new Error('PayloadEncryptionCodec needs at least one key');
    for (const [index, base64Key] of base64Keys.entries()) {
      const key = Buffer.from(base64Key, 'base64');
      if (key.length !== 32) throw new Error(`Payload codec key ${index} must be 32 bytes, base64-encoded`);
      this.keysById.set(payloadKeyId(key), key);
    }
    this.encryptionKey = Buffer.from(base64Keys[0], 'base64');
    this.encryptionKeyId = payloadKeyId(this.encryptionKey);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  private encrypt(payload: Payload): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.encryptionKey, iv);
    const plaintext = temporal.api.common.v1.Payload.encode(payload).finish();
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA_KEY]: Buffer.from(this.encryptionKeyId),
      },
      data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
    };
  }

  /**
   * A payload that is not encrypted is never passed on as it is: it becomes the refusal marker, which
   * the workflows refuse and an operator sees in the UI for what it is.
   */
  private decrypt(payload: Payload): Payload {
    const encoding = metadataText(payload, METADATA_ENCODING_KEY);
    if (encoding !== ENCRYPTED_ENCODING) return refusedPayloadOf(encoding ?? 'none');
    const keyId = metadataText(payload, KEY_ID_METADATA_KEY);
    if (!keyId) throw new PayloadDecryptionError(`Encrypted payload has no ${KEY_ID_METADATA_KEY}`);
    const key = this.keysById.get(keyId);
    if (!key) throw new PayloadDecryptionError(`Encrypted payload uses unknown key ${keyId}`);
    const sealed = payload.data ?? new Uint8Array();
    if (sealed.length < IV_BYTES + TAG_BYTES)
      throw new PayloadDecryptionError('Encrypted payload is truncated');
    const decipher = createDecipheriv(ALGORITHM, key, sealed.subarray(0, IV_BYTES));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, -TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(`Encrypted payload failed authentication with key ${keyId}`);
    }
    return temporal.api.common.v1.Payload.decode(plaintext);
  }
}

function refusedPayloadOf(encoding: string): Payload {
  return {
    metadata: { [METADATA_ENCODING_KEY]: Buffer.from('json/plain') },
    data: Buffer.from(JSON.stringify(refusedPayload(encoding))),
  };
}

/** Failures are encoded too (workflows/encoded-failures.ts), so the codec encrypts their messages and traces. */
export const FAILURE_CONVERTER_PATH = require.resolve('../workflows/encoded-failures');

/** The `dataConverter` option for `new Client(...)`, `Worker.create(...)` and replays. */
export function encryptedDataConverter(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath: FAILURE_CONVERTER_PATH };
}
