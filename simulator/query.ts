import { ApiTrap, TrapCategory } from './trap';

export type PrintedRow = ReadonlyMap<string, string>;

/**
 * Evaluates RouterOS print query words (without their leading `?`) against one row, the way the
 * router does: each word pushes a result on a stack whose empty bottom reads as `true`, `?#`
 * combines results, and the row matches when no `false` remains on the stack.
 */
export function matchesQuery(row: PrintedRow, queries: ReadonlyArray<string>): boolean {
  const stack: boolean[] = [];
  for (const query of queries) {
    if (query.startsWith('#')) applyOperations(stack, query.slice(1));
    else stack.push(evaluateWord(row, query));
  }
  return stack.every((value) => value);
}

/** Rejects malformed query words before any row is looked at, as RouterOS traps them up front. */
export function validateQueries(queries: ReadonlyArray<string>): void {
  for (const query of queries) {
    if (query.startsWith('#')) {
      if (!/^#[0-9!&|.]*$/.test(query)) throw invalidQuery();
    } else if (query === '' || query === '=' || query === '-' || query === '<' || query === '>') {
      throw invalidQuery();
    }
  }
}

const invalidQuery = () => new ApiTrap('invalid query', TrapCategory.ApiFailure);

function evaluateWord(row: PrintedRow, query: string): boolean {
  const operator = query[0];
  if (operator === '-') {
    const name = query.endsWith('=') ? query.slice(1, -1) : query.slice(1);
    return !row.has(name);
  }
  if (operator === '<' || operator === '>') {
    const { name, value } = splitNameValue(query.slice(1));
    const actual = row.get(name);
    if (actual === undefined || value === undefined) return false;
    const order = compareValues(actual, value);
    return operator === '<' ? order < 0 : order > 0;
  }
  const { name, value } = splitNameValue(operator === '=' ? query.slice(1) : query);
  if (value === undefined) return row.has(name);
  return row.get(name) === value;
}

function splitNameValue(text: string): { name: string; value: string | undefined } {
  const separator = text.indexOf('=');
  if (separator === -1) return { name: text, value: undefined };
  return { name: text.slice(0, separator), value: text.slice(separator + 1) };
}

const INTEGER = /^-?\d+$/;

function compareValues(actual: string, expected: string): number {
  if (INTEGER.test(actual) && INTEGER.test(expected)) {
    const difference = BigInt(actual) - BigInt(expected);
    return difference === 0n ? 0 : difference < 0n ? -1 : 1;
  }
  if (actual.startsWith('*') && expected.startsWith('*')) {
    return compareValues(String(parseInt(actual.slice(1), 16)), String(parseInt(expected.slice(1), 16)));
  }
  return actual < expected ? -1 : actual > expected ? 1 : 0;
}

/** The stack bottom is an endless supply of `true`. */
const pop = (stack: boolean[]): boolean => (stack.length > 0 ? (stack.pop() as boolean) : true);
const peekAt = (stack: boolean[], index: number): boolean =>
  index < stack.length ? stack[stack.length - 1 - index] : true;

function applyOperations(stack: boolean[], operations: string): void {
  let position = 0;
  let previousWasIndex = false;
  while (position < operations.length) {
    const character = operations[position];
    if (character >= '0' && character <= '9') {
      let end = position;
      while (end < operations.length && operations[end] >= '0' && operations[end] <= '9') end += 1;
      const value = peekAt(stack, Number(operations.slice(position, end)));
      if (end === operations.length) {
        stack.length = 0;
        stack.push(value);
      } else {
        stack.push(value);
      }
      position = end;
      previousWasIndex = true;
      continue;
    }
    switch (character) {
      case '!':
        stack.push(!pop(stack));
        break;
      case '&': {
        const right = pop(stack);
        const left = pop(stack);
        stack.push(left && right);
        break;
      }
      case '|': {
        const right = pop(stack);
        const left = pop(stack);
        stack.push(left || right);
        break;
      }
      case '.':
        if (!previousWasIndex) stack.push(peekAt(stack, 0));
        break;
    }
    previousWasIndex = false;
    position += 1;
  }
}
