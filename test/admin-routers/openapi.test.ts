import { z } from 'zod';
import { ADMIN_SECURITY, createOpenApiRegistry, OpenApiRegistry } from '../../api/openapi';
import { type AdminApp, startAdminApp } from './admin-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the OpenAPI document', () => {
  let app: AdminApp;
  beforeAll(async () => {
    app = await startAdminApp();
  });
  afterAll(() => app.close());

  it('is served without a token and describes the admin router routes from their zod schemas', async () => {
    const answer = await app.call('GET', '/v1/openapi.json', undefined, undefined);
    expect(answer.status).toBe(200);
    const document = answer.body as Json;
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.securitySchemes[ADMIN_SECURITY]).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
    expect(Object.keys(document.paths).sort()).toEqual([
      '/v1/admin/routers',
      '/v1/admin/routers/{id}',
      '/v1/admin/routers/{id}/addresses',
      '/v1/admin/routers/{id}/disable',
      '/v1/admin/routers/{id}/enable',
      '/v1/admin/routers/{id}/test',
    ]);

    const create = document.paths['/v1/admin/routers'].post;
    expect(create.security).toEqual([{ [ADMIN_SECURITY]: [] }]);
    const body = create.requestBody.content['application/json'].schema;
    expect(body.required.sort()).toEqual(['apiHost', 'apiPassword', 'apiUser', 'name', 'publicHostname']);
    expect(body.properties.apiPort).toMatchObject({ type: 'integer', minimum: 1, maximum: 65535 });
    expect(body.properties.tls).toMatchObject({ type: 'boolean', default: true });
    expect(body.additionalProperties).toBe(false);
    expect(Object.keys(create.responses).sort()).toEqual(['201', '400', '401', '409', '503']);
    expect(create.responses['201'].content['application/json'].schema.properties).not.toHaveProperty(
      'apiPassword',
    );
    expect(create.responses['409'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Error',
    });

    const list = document.paths['/v1/admin/routers/{id}/addresses'].get;
    expect(list.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'id', in: 'path', required: true }),
        expect.objectContaining({ name: 'limit', in: 'query', required: false }),
        expect.objectContaining({
          name: 'kind',
          in: 'query',
          schema: { type: 'string', enum: ['private', 'public'] },
        }),
      ]),
    );
    expect(document.components.schemas.Error.properties.error.required).toEqual(['code', 'message']);
  });

  it('refuses an operation registered twice or naming an unknown security scheme', () => {
    const registry = createOpenApiRegistry();
    const operation = {
      method: 'get' as const,
      path: '/v1/things/:id',
      summary: 'A thing',
      request: { params: z.object({ id: z.string() }) },
      responses: { 200: { description: 'The thing', schema: z.object({ id: z.string() }) } },
    };
    registry.register(operation);
    expect(() => registry.register(operation)).toThrow('GET /v1/things/{id} is registered twice');
    expect(() =>
      new OpenApiRegistry({ title: 't', version: '1' }).register({ ...operation, security: ['nope'] }),
    ).toThrow('unknown security scheme "nope"');
  });

  it('fails at registration for a schema JSON Schema cannot express', () => {
    const registry = createOpenApiRegistry();
    expect(() =>
      registry.register({
        method: 'get',
        path: '/v1/dates',
        summary: 'Dates',
        responses: { 200: { description: 'A date', schema: z.object({ at: z.date() }) } },
      }),
    ).toThrow();
  });
});
