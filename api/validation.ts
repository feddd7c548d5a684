import type { Request } from 'express';
import type { z } from 'zod';
import { HttpError } from './errors';

/** The parts of a request a route may declare a schema for. */
export interface RequestSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface ValidRequest<S extends RequestSchemas> {
  params: Parsed<S['params']>;
  query: Parsed<S['query']>;
  body: Parsed<S['body']>;
}

export interface FieldProblem {
  /** The path of the bad value inside its part of the request, joined with '.'; the part's name at its root. */
  field: string;
  message: string;
}

const PARTS = ['params', 'query', 'body'] as const;
type RequestPart = (typeof PARTS)[number];

export function invalidRequest(details: FieldProblem[]): HttpError {
  const fields = [...new Set(details.map((problem) => problem.field))].join(', ');
  return new HttpError(400, 'invalid_request', `Invalid request: ${fields}`, details);
}

function fieldOf(part: RequestPart, path: readonly PropertyKey[]): string {
  return path.length === 0 ? part : path.map(String).join('.');
}

/** One problem per bad field; an unknown key is reported under its own name rather than its parent's. */
function problemsOf(part: RequestPart, issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: fieldOf(part, [...issue.path, key]), message: 'Unknown field' }))
      : [{ field: fieldOf(part, issue.path), message: issue.message }],
  );
}

/** Why a string cannot be stored or passed on, or null: the one text rule for every string the API takes. */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (!text.isWellFormed()) return 'must be well-formed Unicode (no lone surrogates)';
  return null;
}

/**
 * Every string of a request part, keys included, against the text rule. PostgreSQL cannot store NUL
 * or lone surrogates and Temporal refuses them in ids, so such a value would otherwise fail deep
 * inside a workflow instead of at the door.
 */
function textProblemsOf(value: unknown, path: readonly PropertyKey[], part: RequestPart): FieldProblem[] {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem === null ? [] : [{ field: fieldOf(part, path), message: problem }];
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const keyProblem = textProblem(key);
    const itemPath = [...path, key];
    return keyProblem === null
      ? textProblemsOf(item, itemPath, part)
      : [{ field: fieldOf(part, path), message: `keys ${keyProblem}` }];
  });
}

/**
 * Parses every declared part of the request and answers 400 `invalid_request` naming each bad field
 * of every part at once, so a client fixes its request in one round trip. Parts without a schema are
 * left out of the result rather than passed through unchecked.
 */
export function validateRequest<S extends RequestSchemas>(request: Request, schemas: S): ValidRequest<S> {
  const problems: FieldProblem[] = [];
  const parsed: Partial<Record<RequestPart, unknown>> = {};
  for (const part of PARTS) {
    const schema = schemas[part];
    if (!schema) continue;
    const textProblems = textProblemsOf(request[part], [], part);
    if (textProblems.length > 0) {
      problems.push(...textProblems);
      continue;
    }
    const result = schema.safeParse(request[part]);
    if (result.success) parsed[part] = result.data;
    else problems.push(...problemsOf(part, result.error.issues));
  }
  if (problems.length > 0) throw invalidRequest(problems);
  return parsed as ValidRequest<S>;
}
