import { z } from 'zod';
import type { CycleClock } from '../domain/cycle-clock';

/**
 * Every environment variable vpnflow reads, validated in one place. Development defaults let
 * `npm run dev` work on a fresh machine; in production the secrets have no defaults, so a forgotten
 * variable stops the process at start-up instead of running with a well-known key.
 */

const DEV_DATA_KEY = 'ZGV2LW9ubHktZGF0YS1rZXktMzItYnl0ZXMtbG9uZyE=';
const DEV_CODEC_KEY = 'ZGV2LW9ubHktY29kZWMta2V5LTMyLWJ5dGVzLWxvbmc=';

const base64Key = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded');

const port = z.coerce.number().int().min(1).max(65535);

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
    DATA_ENCRYPTION_KEY: requiredInProduction(base64Key, DEV_DATA_KEY),
    PAYLOAD_CODEC_KEY: requiredInProduction(base64Key, DEV_CODEC_KEY),
    ADMIN_API_TOKEN: requiredInProduction(
      z.string().min(16, 'must be at least 16 characters'),
      'dev-admin-token-change-me',
    ),
    WHMCS_SHARED_SECRET: requiredInProduction(
      z.string().min(16, 'must be at least 16 characters'),
      'dev-whmcs-secret-change-me',
    ),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .default('smtp://127.0.0.1:1025'),
    MAIL_FROM: z.string().min(3).default('vpnflow <noreply@localhost>'),
    COMPANY_NAME: z.string().trim().min(1).max(100).default('vpnflow'),
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
  return result.data;
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
