import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { WORKER_METRICS } from '../../domain/worker-metrics';
import { parseConfig } from '../../infra/config';

/**
 * There is no Docker engine on the build machines, so the production compose file is checked by
 * reading it: it must parse, reference only what it defines, and give the app a valid configuration.
 */
const ROOT = path.resolve(__dirname, '..', '..');

interface ComposeService {
  image?: string;
  ports?: string[];
  build?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
}

const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};

/** Expands ${VAR}, ${VAR:-default} and ${VAR:?message} the way compose does. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$\{(\w+)(?::([-?])([^}]*))?\}/g,
    (_match, name: string, kind?: string, rest?: string) => {
      if (env[name]) return env[name];
      if (kind === '-') return rest ?? '';
      throw new Error(`${name} is required: ${rest}`);
    },
  );
}

describe('docker-compose.yml', () => {
  it('runs every part of the stack, each long-running service with a health check', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'api',
        'grafana',
        'mailpit',
        'migrate',
        'postgresql',
        'prometheus',
        'temporal',
        'temporal-ui',
        'worker',
      ].sort(),
    );
    for (const name of ['postgresql', 'temporal', 'api', 'mailpit', 'prometheus', 'grafana']) {
      expect(compose.services[name].healthcheck?.test.length).toBeGreaterThan(0);
    }
  });

  it('depends only on services it defines, and mounts named volumes it declares or files of this repository', () => {
    for (const service of Object.values(compose.services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) {
        expect(compose.services).toHaveProperty([dependency]);
      }
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('./')) expect(existsSync(path.join(ROOT, source))).toBe(true);
        else expect(compose.volumes).toHaveProperty([source]);
      }
    }
  });

  it('starts the built app roles with commands that exist in the build output', () => {
    const entries = ['worker', 'api', 'migrate'].map((name) => compose.services[name].command?.[1]);
    expect(entries).toEqual(['dist/worker/main.js', 'dist/api/main.js', 'dist/scripts/db.js']);
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/RUN npm run build/);
    for (const folder of [
      'worker',
      'api',
      'scripts',
      'migrations',
      'workflows',
      'activities',
      'domain',
      'infra',
      'notices',
    ]) {
      expect(dockerfile).toContain(`COPY ${folder} ${folder}`);
    }
    // Built into dist/panel-widget; the notice templates are read beside the compiled activities.
    expect(dockerfile).toContain('COPY panel panel');
    expect(dockerfile).toContain('COPY emails dist/emails');
  });

  it('publishes every port on loopback only, and the Temporal UI read-only with the codec token', () => {
    const published = Object.entries(compose.services).flatMap(([name, service]) =>
      (service.ports ?? []).map((port) => ({ name, port })),
    );
    expect(published.map(({ name }) => name).sort()).toEqual([
      'api',
      'grafana',
      'mailpit',
      'prometheus',
      'temporal-ui',
    ]);
    for (const { port } of published) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    const ui = compose.services['temporal-ui'].environment ?? {};
    expect(ui.TEMPORAL_DISABLE_WRITE_ACTIONS).toBe('true');
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toMatch(/\/v1\/codec\/\$\{TEMPORAL_CODEC_TOKEN:\?/);
  });

  it('lets Prometheus scrape the API and the worker on their metrics ports, with a dashboard for Grafana', () => {
    const settings = parseConfig({});
    const prometheus = parse(readFileSync(path.join(ROOT, 'deploy', 'prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    expect(prometheus.scrape_configs.map((job) => job.static_configs[0].targets[0])).toEqual([
      `api:${settings.API_METRICS_PORT}`,
      `worker:${settings.WORKER_METRICS_PORT}`,
    ]);
    const dashboard = JSON.parse(
      readFileSync(path.join(ROOT, 'deploy', 'grafana', 'dashboards', 'vpnflow.json'), 'utf8'),
    ) as { panels: { targets: { expr: string }[] }[] };
    const expressions = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
    // Every metric of the worker's own, and the API's main ones, has a panel.
    const shown = [
      'vpnflow_services',
      'vpnflow_api_requests_total',
      ...Object.values(WORKER_METRICS).map(({ name }) => name),
    ];
    expect(shown.filter((metric) => !expressions.some((expression) => expression.includes(metric)))).toEqual(
      [],
    );
  });

  it('gives the worker and the API a configuration that passes validation', () => {
    const secrets = {
      POSTGRES_PASSWORD: 'pw',
      DATA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      PAYLOAD_CODEC_KEY: Buffer.alloc(32, 2).toString('base64'),
      ADMIN_API_TOKEN: 'qG5t8pZ0wX3rYc7vB1nM4kL6jH2fD9sA0eR5tU8iO3p',
      WHMCS_SHARED_SECRET: 'Zx9Cv8Bn7Mq6Wa5Es4Rd3Tf2Yg1Uh0Ij9Ok8Pl7Mn6b',
      TEMPORAL_CODEC_TOKEN: 'Lk2Jh3Gf4Ds5Aq6Ws7Ed8Rf9Tg0Yh1Uj2Ik3Ol4Pm5n',
      WHMCS_CLIENT_AREA_URL: 'https://billing.example.net/clientarea.php',
    };
    for (const name of ['worker', 'api', 'migrate']) {
      const environment = Object.fromEntries(
        Object.entries(compose.services[name].environment ?? {}).map(([key, value]) => [
          key,
          interpolate(String(value), secrets),
        ]),
      );
      expect(() => parseConfig(environment)).not.toThrow();
      expect(parseConfig(environment).NODE_ENV).toBe('production');
    }
    expect(() => interpolate(String(compose.services.api.environment?.ADMIN_API_TOKEN), {})).toThrow(
      /ADMIN_API_TOKEN is required/,
    );
  });
});
