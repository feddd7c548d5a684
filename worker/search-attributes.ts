import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes';

const ALREADY_EXISTS = 6;
const TYPES = { Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD };

/**
 * Registers vpnflow's search attributes on the namespace. The dev server gets them from start-up
 * flags; a production cluster gets them here, once, from the first worker that starts.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: { [name]: TYPES[type] },
      });
    } catch (error) {
      if ((error as { code?: number }).code !== ALREADY_EXISTS) throw error;
    }
  }
}
