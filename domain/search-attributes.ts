/** Custom search attributes every vpnflow Temporal namespace has, so operators can filter in the UI. */
export const SEARCH_ATTRIBUTES = {
  ServiceId: 'Keyword',
  RouterId: 'Keyword',
  ServiceStatus: 'Keyword',
} as const;

export type SearchAttributeName = keyof typeof SEARCH_ATTRIBUTES;
