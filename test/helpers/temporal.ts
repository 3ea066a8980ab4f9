/**
 * Integration tests share one real dev server (started by test/run.ts, address in
 * TEMPORAL_TEST_ADDRESS) and isolate themselves with a task queue per test. Run a test
 * file on its own and this starts a server for that file.
 */
import './setup.js';
import { after } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { dataConverterFor } from '../../codec/data-converter.js';
import { startDevServer, type DevServer } from '../../local-temporal/dev-server.js';
import { createWorker, type CreateWorkerOptions } from '../../worker/create-worker.js';

export interface TestTemporal {
  address: string;
  client: Client;
  connection: Connection;
  nativeConnection: NativeConnection;
  ownServer?: DevServer;
}

let shared: Promise<TestTemporal> | undefined;

async function connect(): Promise<TestTemporal> {
  let address = process.env.TEMPORAL_TEST_ADDRESS;
  let ownServer: DevServer | undefined;
  if (!address) {
    ownServer = await startDevServer({ headless: true, fastSqlite: true });
    address = ownServer.address;
  }
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  return {
    address,
    connection,
    nativeConnection,
    client: new Client({ connection, dataConverter: dataConverterFor(null) }),
    ownServer,
  };
}

// Registered when this module loads, so it belongs to the whole file, not to the test that
// happened to connect first (an after() inside a test would close the connection for the rest).
after(async () => {
  if (!shared) return;
  const t = await shared;
  await t.nativeConnection.close();
  await t.connection.close();
  await t.ownServer?.stop();
});

export function testTemporal(): Promise<TestTemporal> {
  shared ??= connect();
  return shared;
}

let counter = 0;
/** A task queue of this test's own, so tests on one server never take each other's tasks. */
export function taskQueueFor(testName: string): string {
  return `test-${testName.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${process.pid}-${++counter}`;
}

/** Runs fn while a worker polls taskQueue; the worker is shut down afterwards. */
export async function withWorker<T>(
  options: Omit<CreateWorkerOptions, 'connection'>,
  fn: (worker: Worker) => Promise<T>,
): Promise<T> {
  const { nativeConnection } = await testTemporal();
  const worker = await createWorker({ ...options, connection: nativeConnection });
  return worker.runUntil(() => fn(worker));
}
