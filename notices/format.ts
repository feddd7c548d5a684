import type { Locale } from './locale';
import { translateText } from './messages';

const BYTES_PER_HUNDREDTH_GB = 10_000_000n;

/** Bytes as decimal GB (10^9 bytes) rounded half up to 2 places, in the locale's digits and unit. */
export function formatGigabytes(locale: Locale, bytes: bigint): string {
  // An account can overshoot its allowance before it is limited; the customer sees an empty allowance.
  const shown = bytes < 0n ? 0n : bytes;
  const hundredths = (shown + BYTES_PER_HUNDREDTH_GB / 2n) / BYTES_PER_HUNDREDTH_GB;
  const amount = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
    Number(hundredths) / 100,
  );
  return translateText(locale, 'email.common.amountGb', { amount });
}

/** Cycle boundaries are UTC instants, so the date is the UTC calendar day in the locale's long form. */
export function formatDate(locale: Locale, instant: Date): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(instant);
}
