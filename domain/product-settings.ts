import { z } from 'zod';
import type { BillingCycle } from './billing-cycles';
import { decimalProblem } from './decimals';

export const PPP_SERVICES = ['any', 'l2tp', 'pptp', 'sstp', 'ovpn'] as const;
export type PppService = (typeof PPP_SERVICES)[number];

/** Sanity ceilings that catch a value typed in the wrong unit (bits, MB) rather than router limits. */
const MAX_MBPS = 100_000;
const MAX_GB = 1_000_000_000;

/** A non-negative decimal with at most 3 decimals, as a number or the string a form posts. */
function decimalQuantity(max: number, unit: string) {
  return z
    .union([z.number(), z.string()], { error: 'expected a number or a decimal string' })
    .check((ctx) => {
      const problem = decimalProblem(ctx.value);
      if (problem !== null) {
        ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
      } else if (Number(ctx.value) > max) {
        ctx.issues.push({ code: 'custom', message: `must be at most ${max} ${unit}`, input: ctx.value });
      }
    })
    .transform((value) => Number(value));
}

const mbps = () => decimalQuantity(MAX_MBPS, 'Mbit/s').default(0);
const gb = () => decimalQuantity(MAX_GB, 'GB').default(0);
const routerText = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^\P{Cc}*$/u, 'must not contain control characters');
const customHtml = () => z.string().max(20_000).default('');

const trafficPerCycleSchema = z.strictObject({
  monthly: gb(),
  quarterly: gb(),
  semiannually: gb(),
  annually: gb(),
  biennially: gb(),
  triennially: gb(),
  onetime: gb(),
  free: gb(),
} satisfies Record<BillingCycle, unknown>);

const protocolsSchema = z.strictObject({
  pptp: z.strictObject({ enabled: z.boolean().default(false), customHtml: customHtml() }).prefault({}),
  l2tp: z
    .strictObject({
      enabled: z.boolean().default(false),
      ipsecSecret: routerText(128).default(''),
      customHtml: customHtml(),
    })
    .prefault({}),
  ovpn: z
    .strictObject({
      enabled: z.boolean().default(false),
      profile: z.string().max(65_536).default(''),
      customHtml: customHtml(),
    })
    .prefault({}),
  sstp: z.strictObject({ enabled: z.boolean().default(false), customHtml: customHtml() }).prefault({}),
});

type Protocol = keyof z.output<typeof protocolsSchema>;
const PROTOCOL_NAMES: Readonly<Record<Protocol, string>> = {
  pptp: 'PPTP',
  l2tp: 'L2TP',
  ovpn: 'OpenVPN',
  sstp: 'SSTP',
};

/**
 * The settings a service is sold with (the product's module settings in WHMCS). Unknown keys are
 * errors, so a misspelt field cannot silently fall back to its default. Every protocol starts
 * disabled: each one needs setup on the router, so the operator switches on what the router serves.
 */
export const productSettingsSchema = z
  .strictObject({
    pppProfile: routerText(64).min(1).default('default'),
    pppService: z.enum(PPP_SERVICES).default('any'),
    commentPrefix: routerText(64).default('vpnflow'),
    /** Mbit/s the client may download (the router's transmit); 0 = unlimited. */
    downloadMbps: mbps(),
    /** Mbit/s the client may upload (the router's receive); 0 = unlimited. */
    uploadMbps: mbps(),
    /** GB granted at each boundary of a cycle of that length; 0 = unlimited. */
    trafficGb: trafficPerCycleSchema.prefault({}),
    /** A low-balance notice goes out when the balance falls below this; 0 = never. */
    lowBalanceThresholdGb: gb().default(1),
    /** Days of daily usage history to keep; 0 = keep all. */
    historyDays: z.number().int().min(0).max(36_500).default(0),
    protocols: protocolsSchema.prefault({}),
    setupInstructionsUrl: z
      .union([z.literal(''), z.url({ protocol: /^https?$/, hostname: z.regexes.domain })])
      .default(''),
  })
  .superRefine((settings, ctx) => {
    for (const protocol of Object.keys(PROTOCOL_NAMES) as Protocol[]) {
      if (settings.protocols[protocol].enabled && !['any', protocol].includes(settings.pppService)) {
        ctx.addIssue({
          code: 'custom',
          path: ['protocols', protocol, 'enabled'],
          message: `${PROTOCOL_NAMES[protocol]} cannot be offered: the PPP service is ${settings.pppService}`,
        });
      }
    }
    const { l2tp, ovpn } = settings.protocols;
    if (l2tp.enabled && l2tp.ipsecSecret === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['protocols', 'l2tp', 'ipsecSecret'],
        message: 'required when L2TP is offered',
      });
    }
    if (ovpn.enabled && ovpn.profile.trim() === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['protocols', 'ovpn', 'profile'],
        message: 'required when OpenVPN is offered',
      });
    }
  });

export type ProductSettings = z.output<typeof productSettingsSchema>;
export type ProductSettingsInput = z.input<typeof productSettingsSchema>;

export const DEFAULT_PRODUCT_SETTINGS: ProductSettings = productSettingsSchema.parse({});

export type ProductSettingsResult = { ok: true; settings: ProductSettings } | { ok: false; errors: string[] };

/** Each error names its field: `trafficGb.monthly: must not be negative, got -1`. */
export function safeParseProductSettings(input: unknown): ProductSettingsResult {
  const result = productSettingsSchema.safeParse(input);
  if (result.success) return { ok: true, settings: result.data };
  return {
    ok: false,
    errors: result.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => `${fieldName([...issue.path, key])}: unknown field`)
        : [`${fieldName(issue.path)}: ${issue.message}`],
    ),
  };
}

function fieldName(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || 'settings';
}

export function parseProductSettings(input: unknown): ProductSettings {
  const result = safeParseProductSettings(input);
  if (!result.ok) throw new Error(`invalid product settings: ${result.errors.join('; ')}`);
  return result.settings;
}
