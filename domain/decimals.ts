const DECIMAL_PATTERN = /^(\d+)(?:\.(\d+))?$/;

/**
 * Why an operator-entered quantity (GB, Mbit/s) is not a non-negative decimal with at most three
 * decimals, or null when it is. Numbers are read through their shortest decimal spelling (`0.1` is
 * "0.1", not 0.1000000000000000055...), so what the operator typed is what is checked.
 */
export function decimalProblem(value: number | string): string | null {
  if (typeof value === 'number' && !Number.isFinite(value)) return `must be a finite number, got ${value}`;
  const text = decimalText(value);
  if (text.startsWith('-') && !/^-0*(\.0*)?$/.test(text)) return `must not be negative, got ${text}`;
  const match = DECIMAL_PATTERN.exec(text.replace(/^-/, ''));
  if (!match) {
    return /e-/.test(text)
      ? `allows at most 3 decimals, got ${text}`
      : `must be a decimal number, got "${text}"`;
  }
  if ((match[2] ?? '').replace(/0+$/, '').length > 3) return `allows at most 3 decimals, got ${text}`;
  return null;
}

function decimalText(value: number | string): string {
  return typeof value === 'number' ? String(value) : value.trim();
}

/** The exact count of thousandths; `what` names the quantity in the error. */
export function toThousandths(value: number | string, what: string): bigint {
  const problem = decimalProblem(value);
  if (problem !== null) throw new Error(`${what} ${problem}`);
  const [, whole = '0', fraction = ''] = DECIMAL_PATTERN.exec(decimalText(value).replace(/^-/, '')) ?? [];
  return BigInt(whole) * 1000n + BigInt(fraction.slice(0, 3).padEnd(3, '0'));
}
