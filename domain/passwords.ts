/**
 * Printable ASCII, 1 to 64 characters. node-routeros writes API words as win1252, so anything outside
 * ASCII could reach the router as different bytes than the client types.
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function pppPasswordProblem(password: string): string | null {
  if (password.length === 0) return 'password must not be empty';
  if (password.length > 64) return 'password must be at most 64 characters';
  if (!PRINTABLE_ASCII.test(password)) return 'password may only contain printable ASCII characters';
  return null;
}
