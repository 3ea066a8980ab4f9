/** One place that turns settings into a connected Temporal client, for every command. */
import { hostname, userInfo } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { dataConverterFor } from '../codec/data-converter.js';
import { loadKeyRing } from '../config/payload-keys.js';
import type { TemporalSettings } from '../config/env.js';
import { loadTemporalConnection } from '../config/temporal-connection.js';

export async function connectClient(
  settings: TemporalSettings,
): Promise<{ client: Client; close: () => Promise<void> }> {
  // Configuration first, so a mistake is reported before any connection attempt. The CLI
  // reads the same encrypted payloads the worker writes, so it needs the same keys.
  const target = loadTemporalConnection();
  const dataConverter = dataConverterFor(loadKeyRing());
  const connection = await Connection.connect({
    address: target.address,
    tls: target.tls,
    apiKey: target.apiKey,
    connectTimeout: '5s',
  });
  // Who started a run is recorded as login@host: four eyes (APPROVAL_FOUR_EYES) compare it with
  // the approver's name.
  const identity = `${userInfo().username}@${hostname()}`;
  const client = new Client({ connection, namespace: settings.namespace, dataConverter, identity });
  return { client, close: () => connection.close() };
}
