import { z } from 'zod';
import type { CycleClock } from '../domain/cycle-clock';

/**
 * Every environment variable vpnflow reads, validated in one place. Development defaults let
 * `npm run dev` work on a fresh machine; in production the secrets have no defaults, so a forgotten
 * variable stops the process at start-up instead of running with a well-known key.
 */

/** Well known by anyone who read this file: accepted only while the API listens on loopback. */
const DEVELOPMENT_DEFAULTS = {
  DATA_ENCRYPTION_KEY: 'ZGV2LW9ubHktZGF0YS1rZXktMzItYnl0ZXMtbG9uZyE=',
  PAYLOAD_CODEC_KEY: 'ZGV2LW9ubHktY29kZWMta2V5LTMyLWJ5dGVzLWxvbmc=',
  ADMIN_API_TOKEN: 'dev-admin-token-change-me',
  WHMCS_SHARED_SECRET: 'dev-whmcs-secret-change-me',
  TEMPORAL_CODEC_TOKEN: 'dev-codec-token-change-me',
} as const;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
/** `openssl rand -base64 32` gives 44 characters; anything shorter or repetitive was not made that way. */
const STRONG_SECRET_LENGTH = 43;
const STRONG_SECRET_DISTINCT_CHARACTERS = 16;

/** One key, or several separated by commas: the first encrypts, all decrypt (key rotation). */
const base64Keys = z
  .string()
  .refine(
    (value) => value.split(',').every((key) => Buffer.from(key.trim(), 'base64').length === 32),
    'must be 32 bytes, base64-encoded (several separated by commas when rotating)',
  );

/** The keys of a key-list variable, newest (the one that encrypts) first. */
export function keyList(value: string): string[] {
  return value.split(',').map((key) => key.trim());
}

const port = z.coerce.number().int().min(1).max(65535);

/**
 * Web origins, separated by commas: each exactly `scheme://host[:port]` (http or https), as browsers
 * send it in the Origin header; `*` is refused, so CORS always names the sites it trusts.
 */
const originList = z.string().transform((value, context) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .flatMap((entry) => {
      const url = URL.canParse(entry) ? new URL(entry) : undefined;
      // Anything beyond scheme, host and port (a path, a query, credentials) makes href differ.
      if (url && /^https?:$/.test(url.protocol) && url.href === `${url.origin}/`) return [url.origin];
      context.addIssue({
        code: 'custom',
        message: `"${entry}" is not an origin: write scheme://host[:port], http or https, without a path or *`,
      });
      return [];
    }),
);

/** Tokens and secrets that guard the API: in production at least 32 random bytes' worth. */
function secret(production: boolean) {
  const atLeastDevelopmentLength = z.string().min(16, 'must be at least 16 characters');
  if (!production) return atLeastDevelopmentLength;
  return z
    .string()
    .refine(
      (value) =>
        value.length >= STRONG_SECRET_LENGTH && new Set(value).size >= STRONG_SECRET_DISTINCT_CHARACTERS,
      'must be at least 32 random bytes, e.g. from `openssl rand -base64 32`',
    );
}

function schema(production: boolean) {
  const requiredInProduction = (type: z.ZodType<string>, devDefault: string) =>
    production ? type : type.default(devDefault);
  return z.object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .default('postgres://postgres@127.0.0.1:5432/vpnflow'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('vpnflow'),
    TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
    API_HOST: z.string().min(1).default('127.0.0.1'),
    API_PORT: port.default(3000),
    /** Prometheus metrics of the API and of the worker, each on a listener of its own. */
    API_METRICS_PORT: port.default(9464),
    WORKER_METRICS_PORT: port.default(9465),
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    /** /healthz answers 503 when an enabled router was last metered longer ago than this. */
    METERING_LAG_LIMIT_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
    /** Express's `trust proxy`: set it to the reverse proxy in front of the API, so throttling sees clients. */
    TRUST_PROXY: z.string().default(''),
    DATA_ENCRYPTION_KEY: requiredInProduction(base64Keys, DEVELOPMENT_DEFAULTS.DATA_ENCRYPTION_KEY),
    PAYLOAD_CODEC_KEY: requiredInProduction(base64Keys, DEVELOPMENT_DEFAULTS.PAYLOAD_CODEC_KEY),
    ADMIN_API_TOKEN: requiredInProduction(secret(production), DEVELOPMENT_DEFAULTS.ADMIN_API_TOKEN),
    WHMCS_SHARED_SECRET: requiredInProduction(secret(production), DEVELOPMENT_DEFAULTS.WHMCS_SHARED_SECRET),
    /** The Temporal UI presents it to the codec endpoint, in the endpoint's path. */
    TEMPORAL_CODEC_TOKEN: requiredInProduction(
      secret(production).pipe(
        z
          .string()
          .regex(/^[A-Za-z0-9_-]+$/, 'must be URL-safe (A-Z a-z 0-9 _ -): it is part of the codec URL'),
      ),
      DEVELOPMENT_DEFAULTS.TEMPORAL_CODEC_TOKEN,
    ),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .default('smtp://127.0.0.1:1025'),
    MAIL_FROM: z.string().min(3).default('vpnflow <noreply@localhost>'),
    COMPANY_NAME: z.string().trim().min(1).max(100).default('vpnflow'),
    /** The WHMCS sites whose client-area pages call /v1/client and load /panel from the browser (CORS). */
    CLIENT_PANEL_ORIGINS: originList.default([]),
    WHMCS_CLIENT_AREA_URL: requiredInProduction(
      z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
      'http://127.0.0.1/clientarea.php',
    ),
    BILLING_MONTH_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(31 * 86_400)
      .optional()
      .refine((value) => !production || value === undefined, {
        message: 'compresses billing time; it is for tests and demos, not production',
      }),
  });
}

export type Config = z.infer<ReturnType<typeof schema>>;

export const CONFIG_VARIABLES = Object.keys(schema(false).shape);

/** Where billing-cycle boundaries fall for services created now (see domain/cycle-clock.ts). */
export function cycleClockOf(settings: Config): CycleClock {
  return settings.BILLING_MONTH_SECONDS === undefined
    ? {}
    : { secondsPerMonth: settings.BILLING_MONTH_SECONDS };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The secrets left at their published development value while the API is reachable from elsewhere. */
function publishedDefaultsOffLoopback(settings: Config): string[] {
  if (LOOPBACK_HOSTS.has(settings.API_HOST)) return [];
  return Object.entries(DEVELOPMENT_DEFAULTS)
    .filter(([name, value]) => settings[name as keyof typeof DEVELOPMENT_DEFAULTS] === value)
    .map(
      ([name]) =>
        `${name}: the development default is refused unless API_HOST is loopback (127.0.0.1, ::1, localhost)`,
    );
}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const production = env.NODE_ENV === 'production';
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema(production).safeParse(present);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const problems = publishedDefaultsOffLoopback(result.data);
  if (problems.length > 0) throw new ConfigError(problems);
  return result.data;
}

/** Express's `trust proxy` from TRUST_PROXY: a hop count, true/false, or addresses and subnet names. */
export function trustProxySetting(value: string): boolean | number | string {
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

let loaded: Config | undefined;

/** The process's configuration, parsed once; exits with the offending variable's name when invalid. */
export function config(): Config {
  if (!loaded) {
    try {
      loaded = parseConfig(process.env);
    } catch (error) {
      if (error instanceof ConfigError) {
        process.stderr.write(`${error.message}\n`);
        process.exit(1);
      }
      throw error;
    }
  }
  return loaded;
}
