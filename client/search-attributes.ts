/**
 * Registers the import's search attributes on a cluster that lacks them (the dev server
 * gets them at start). Without them, the workflow could not record its phase and counts.
 * Needs operator rights; where the connection lacks them (e.g. Temporal Cloud API keys),
 * it says how to register them instead of failing.
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { searchAttributeTypes } from '../domain/search-attributes.js';

// @temporalio/proto is CommonJS: take the namespace from its default export.
const IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;
const typeCodes: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Int: IndexedValueType.INDEXED_VALUE_TYPE_INT,
};

export async function ensureSearchAttributes(client: Client, namespace: string): Promise<string | null> {
  try {
    const existing = await client.connection.operatorService.listSearchAttributes({ namespace });
    const known = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = Object.entries(searchAttributeTypes).filter(([name]) => !known.has(name));
    if (missing.length === 0) return null;
    await client.connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, typeCodes[type]!])),
    });
    return null;
  } catch (err) {
    const commands = Object.entries(searchAttributeTypes)
      .map(
        ([name, type]) =>
          `temporal operator search-attribute create --namespace ${namespace} --name ${name} --type ${type}`,
      )
      .join('\n  ');
    return `could not check or register the search attributes (${(err as Error).message}); register them once with:\n  ${commands}`;
  }
}
