/** One place that turns settings into a connected Temporal client, for every command. */
import { Client, Connection } from '@temporalio/client';
import type { TemporalSettings } from '../config/env.js';

export async function connectClient(
  settings: TemporalSettings,
): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address: settings.address, connectTimeout: '5s' });
  const client = new Client({ connection, namespace: settings.namespace });
  return { client, close: () => connection.close() };
}
