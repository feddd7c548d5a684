import { requirePositiveId } from './identifiers';

/**
 * The rule for a PPP secret name: 1 to 64 characters of letters, digits and `. _ @ -`, starting with a
 * letter or digit. It keeps names unambiguous in RouterOS API words and queries, in the CLI, in
 * interface names (`<l2tp-NAME>`) and in every VPN client's login box.
 */
const PPP_USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function isValidPppUsername(name: string): boolean {
  return PPP_USERNAME.test(name);
}

/** The WHMCS username when it is valid as a PPP secret name, else `vpn<serviceId>`. */
export function pppUsername(whmcsUsername: string | null | undefined, serviceId: number): string {
  if (whmcsUsername && isValidPppUsername(whmcsUsername)) return whmcsUsername;
  return `vpn${requirePositiveId('service', serviceId)}`;
}

/**
 * `vpn<digits>` is the fallback name of service <digits>: a client who picks another service's fallback
 * would block that future service, so only the service's own is accepted. Null when the name may be used.
 */
export function fallbackNameProblem(username: string, serviceId: number): string | null {
  return /^vpn\d+$/.test(username) && username !== `vpn${serviceId}`
    ? `"${username}" is kept for the service ${username.slice(3)}'s own fallback username`
    : null;
}

export const MAX_COMMENT_LENGTH = 128;

/**
 * Makes free text (client names, operator prefixes) safe for a RouterOS comment: accents are folded
 * (`Müller` -> `Muller`), line breaks and tabs become spaces, other control characters are dropped and
 * remaining non-ASCII becomes `?` (words travel as win1252 bytes, so only ASCII survives every client
 * unchanged), then whitespace is collapsed and the result capped at `maxLength` characters.
 */
export function sanitizeComment(text: string, maxLength = MAX_COMMENT_LENGTH): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\t\n\r\v\f]/g, ' ')
    .replace(/\p{Cc}/gu, '')
    .replace(/[^\x20-\x7e]/gu, '?')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, maxLength)
    .trimEnd();
}

/**
 * Router comments carry the service tag at the end, `<prefix> [svc=42 client=7]`, so that queues and
 * secrets can be matched back to services after a reboot, an import or a lost database row. Brackets
 * are removed from the prefix so that no prefix can forge a tag.
 */
export function serviceComment(prefix: string, serviceId: number, clientId: number): string {
  const tag = `[svc=${requirePositiveId('service', serviceId)} client=${requirePositiveId('client', clientId)}]`;
  const room = MAX_COMMENT_LENGTH - tag.length - 1;
  const label = sanitizeComment(prefix.replace(/[[\]]/g, ''), room);
  return label ? `${label} ${tag}` : tag;
}

const SERVICE_TAG = /\[svc=([1-9]\d{0,15}) client=([1-9]\d{0,15})\]$/;

export function parseServiceComment(comment: string): { serviceId: number; clientId: number } | null {
  const match = SERVICE_TAG.exec(comment.trimEnd());
  if (!match) return null;
  const serviceId = Number(match[1]);
  const clientId = Number(match[2]);
  if (!Number.isSafeInteger(serviceId) || !Number.isSafeInteger(clientId)) return null;
  return { serviceId, clientId };
}

export function parseServiceIdFromComment(comment: string): number | null {
  return parseServiceComment(comment)?.serviceId ?? null;
}

/**
 * Whether a router item's comment carries this service's tag: vpnflow changes and removes only such
 * items, whatever their name (see the ownership rule in docs/architecture.md).
 */
export function isTaggedForService(comment: string | undefined, serviceId: number): boolean {
  return comment !== undefined && parseServiceIdFromComment(comment) === serviceId;
}
