/** WHMCS service and client ids are positive integers; anything else is a caller bug worth failing on. */
export function requirePositiveId(kind: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`invalid ${kind} id ${value}: expected a positive integer`);
  }
  return value;
}
