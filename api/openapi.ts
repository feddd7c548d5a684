import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { type RequestSchemas, validateRequest, type ValidRequest } from './validation';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  /** The JSON body; errors (400 and up) have the one error body unless a schema says otherwise. */
  schema?: z.ZodType;
}

export interface ApiOperation<S extends RequestSchemas = RequestSchemas> {
  method: HttpMethod;
  /** The full Express path, e.g. `/v1/admin/routers/:id`. */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  request?: S;
  responses: Record<number, ResponseSpec>;
  /** Names of registered security schemes; any one of them admits the caller. */
  security?: string[];
}

type JsonSchema = Record<string, unknown>;

/** The one error body every endpoint answers with (see errors.ts). */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

const ERROR_REF = { $ref: '#/components/schemas/Error' };

function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // The dialect is declared once for the whole document (jsonSchemaDialect).
  const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as JsonSchema;
  delete converted.$schema;
  return converted;
}

function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parametersOf(schema: z.ZodType, location: 'path' | 'query'): JsonSchema[] {
  const objectSchema = jsonSchemaOf(schema, 'input');
  const properties = (objectSchema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((objectSchema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, propertySchema]) => {
    const { description, ...rest } = propertySchema;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(description === undefined ? {} : { description }),
      schema: rest,
    };
  });
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ERROR_REF } },
});

function responsesOf(operation: ApiOperation): Record<string, JsonSchema> {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, spec] of Object.entries(operation.responses)) {
    if (Number(status) >= 400 && !spec.schema) responses[status] = errorResponse(spec.description);
    else if (spec.schema)
      responses[status] = {
        description: spec.description,
        content: { 'application/json': { schema: jsonSchemaOf(spec.schema, 'output') } },
      };
    else responses[status] = { description: spec.description };
  }
  const request = operation.request ?? {};
  if ((request.params || request.query || request.body) && !responses['400'])
    responses['400'] = errorResponse('The request is invalid; `details` names each bad field');
  if (operation.security?.length && !responses['401'])
    responses['401'] = errorResponse('Missing or wrong credentials');
  responses['503'] ??= errorResponse(
    'Temporal or the database did not answer (`temporal_unavailable`, `database_unavailable`); retry the request',
  );
  return responses;
}

/** Turns a registered operation into its OpenAPI Operation Object. */
function operationObject(operation: ApiOperation): JsonSchema {
  const request = operation.request ?? {};
  const parameters = [
    ...(request.params ? parametersOf(request.params, 'path') : []),
    ...(request.query ? parametersOf(request.query, 'query') : []),
  ];
  return {
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    ...(operation.tags ? { tags: operation.tags } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(request.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchemaOf(request.body, 'input') } },
          },
        }
      : {}),
    responses: responsesOf(operation),
    ...(operation.security ? { security: operation.security.map((name) => ({ [name]: [] })) } : {}),
  };
}

/**
 * Routes register what they accept and answer here, with the same zod schemas that validate their
 * requests, so the document cannot drift from the code. Schemas are converted on registration: a
 * schema JSON Schema cannot express fails when the app is built, not when the document is fetched.
 */
export class OpenApiRegistry {
  private readonly paths: Record<string, Record<string, JsonSchema>> = {};
  private readonly securitySchemes: Record<string, JsonSchema> = {};

  constructor(private readonly info: { title: string; version: string; description?: string }) {}

  securityScheme(name: string, scheme: JsonSchema): void {
    this.securitySchemes[name] = scheme;
  }

  register(operation: ApiOperation): void {
    for (const name of operation.security ?? []) {
      if (!this.securitySchemes[name]) throw new Error(`unknown security scheme "${name}"`);
    }
    const path = openApiPath(operation.path);
    const item = (this.paths[path] ??= {});
    if (item[operation.method])
      throw new Error(`${operation.method.toUpperCase()} ${path} is registered twice`);
    item[operation.method] = operationObject(operation);
  }

  document(): JsonSchema {
    return {
      openapi: '3.1.0',
      info: this.info,
      jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
      paths: this.paths,
      components: {
        schemas: { Error: jsonSchemaOf(errorBodySchema, 'output') },
        securitySchemes: this.securitySchemes,
      },
    };
  }
}

/** The documented route a request matched, kept for after the answer (Express forgets it on errors). */
export interface MatchedRoute {
  path: string;
  params: Record<string, string>;
}

const MATCHED_ROUTE = 'matchedRoute';

function setMatchedRoute(response: Response, route: MatchedRoute): void {
  response.locals[MATCHED_ROUTE] = route;
}

export function matchedRoute(response: Response): MatchedRoute | undefined {
  return response.locals[MATCHED_ROUTE] as MatchedRoute | undefined;
}

export type RouteHandler<S extends RequestSchemas> = (
  input: ValidRequest<S>,
  response: Response,
  request: Request,
) => Promise<void> | void;

/**
 * Where the app mounts a route factory's router, and the security schemes that admit callers there.
 * Every route factory takes `(deps, mount)` and returns a DocumentedRouter's router.
 */
export interface Mount {
  path: string;
  security: string[];
}

/** Public routes, at the root, for anyone. */
export const PUBLIC_MOUNT: Mount = { path: '', security: [] };

/**
 * An Express router whose every route is validated and documented from one declaration. The mount's
 * path is where the app mounts `router`; it only makes the documented paths whole.
 */
export class DocumentedRouter {
  readonly router = Router();

  constructor(
    private readonly registry: OpenApiRegistry,
    private readonly mount: Mount,
    private readonly tags: string[],
  ) {}

  route<S extends RequestSchemas>(operation: ApiOperation<S>, handler: RouteHandler<S>): void {
    const documentedPath = `${this.mount.path}${operation.path}`;
    const security = this.mount.security.length > 0 ? this.mount.security : undefined;
    this.registry.register({ tags: this.tags, security, ...operation, path: documentedPath });
    const schemas = operation.request ?? ({} as S);
    this.router[operation.method](operation.path, async (request, response) => {
      setMatchedRoute(response, {
        path: documentedPath,
        params: { ...request.params } as Record<string, string>,
      });
      await handler(validateRequest(request, schemas), response, request);
    });
  }
}

/** `GET /v1/openapi.json`, public: the document describes the API, not its data. */
export function openApiRoutes(registry: OpenApiRegistry): Router {
  const router = Router();
  router.get('/v1/openapi.json', (_request, response) => {
    response.json(registry.document());
  });
  return router;
}

/** The admin bearer token (ADMIN_API_TOKEN) as a security scheme. */
export const ADMIN_SECURITY = 'adminBearer';

/** The registry of this API, with the security schemes its routes name. */
export function createOpenApiRegistry(): OpenApiRegistry {
  const registry = new OpenApiRegistry({ title: 'vpnflow API', version: '1' });
  registry.securityScheme(ADMIN_SECURITY, {
    type: 'http',
    scheme: 'bearer',
    description: 'The ADMIN_API_TOKEN of the deployment',
  });
  return registry;
}
