import {
  defineSearchAttributeKey,
  SearchAttributeType,
  type SearchAttributePair,
  type TypedSearchAttributes,
} from '@temporalio/common';
import type { ServiceStatus } from '../domain/service-state';

/** The search attributes operators filter service workflows by in the Temporal UI. */
export const SERVICE_ID_ATTRIBUTE = defineSearchAttributeKey('ServiceId', SearchAttributeType.KEYWORD);
export const ROUTER_ID_ATTRIBUTE = defineSearchAttributeKey('RouterId', SearchAttributeType.KEYWORD);
export const SERVICE_STATUS_ATTRIBUTE = defineSearchAttributeKey(
  'ServiceStatus',
  SearchAttributeType.KEYWORD,
);

export function serviceSearchAttributes(service: {
  serviceId: number;
  routerId: number;
  status: ServiceStatus;
}): SearchAttributePair[] {
  return [
    { key: SERVICE_ID_ATTRIBUTE, value: String(service.serviceId) },
    { key: ROUTER_ID_ATTRIBUTE, value: String(service.routerId) },
    { key: SERVICE_STATUS_ATTRIBUTE, value: service.status },
  ];
}

/** Whether the workflow already carries these values: the create sets them at start, saving an upsert. */
export function carriesSearchAttributes(
  current: TypedSearchAttributes,
  wanted: SearchAttributePair[],
): boolean {
  return wanted.every((pair) => current.get(pair.key) === pair.value);
}
