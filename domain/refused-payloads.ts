/**
 * The worker accepts only payloads encrypted with a current key. Its codec cannot simply throw on any
 * other: a decoding error fails the whole workflow task, and a service would retry it for ever. So the
 * codec replaces such a payload with this marker, a plain value the workflow's interceptor recognises
 * and refuses: an update or query fails, a signal is dropped, a start fails.
 */
export const REFUSED_PAYLOAD_MARKER = 'vpnflowRefusedPayload';

export interface RefusedPayload {
  [REFUSED_PAYLOAD_MARKER]: { encoding: string };
}

export function refusedPayload(encoding: string): RefusedPayload {
  return { [REFUSED_PAYLOAD_MARKER]: { encoding } };
}

/** The encoding of the first refused value among `values`, or undefined when every value was encrypted. */
export function refusedEncodingAmong(values: readonly unknown[]): string | undefined {
  for (const value of values) {
    if (typeof value === 'object' && value !== null && REFUSED_PAYLOAD_MARKER in value) {
      return (value as RefusedPayload)[REFUSED_PAYLOAD_MARKER].encoding;
    }
  }
  return undefined;
}

export function refusedPayloadMessage(encoding: string): string {
  return `payload refused: it is not encrypted with a current key (its encoding is ${encoding})`;
}
