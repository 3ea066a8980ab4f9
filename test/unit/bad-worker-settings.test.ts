/**
 * The worker's own settings (endpoints, shutdown grace, log level): each bad value stops the
 * real worker at start with one line naming the variable, what is wrong and an example; no
 * stack trace. A busy port is named as such (it once surfaced as "Cannot close connection
 * while Workers hold a reference to it").
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { test } from 'node:test';
import { runProject } from '../helpers/worker-process.js';

/** Enough valid configuration that only the variables under test are wrong. */
const valid = {
  TEMPORAL_ADDRESS: '127.0.0.1:1',
  PERSONIO_CLIENT_ID: 'papi-1',
  PERSONIO_CLIENT_SECRET: 'secret',
  JUMPCLOUD_API_KEY: 'key',
  PAYLOAD_ENCRYPTION: 'off',
};

async function runWorker(env: Record<string, string>) {
  const worker = runProject('worker/main.ts', [], { ...valid, ...env });
  const code = await worker.exited;
  return { code, out: worker.output.join('\n'), lines: worker.output };
}

function assertOneLine(lines: string[], variable: string, what: RegExp) {
  const matching = lines.filter((l) => l.includes(variable));
  assert.equal(matching.length, 1, `one line names ${variable}:\n${lines.join('\n')}`);
  assert.match(matching[0]!, what);
  assert.match(matching[0]!, new RegExp(`e\\.g\\. ${variable}=\\S+`), 'with an example');
}

async function occupied(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

test('bad LOG_LEVEL, WORKER_SHUTDOWN_GRACE and METRICS_BIND_ADDRESS: one line each, no stack', async () => {
  const { code, out, lines } = await runWorker({
    LOG_LEVEL: 'verbose',
    WORKER_SHUTDOWN_GRACE: 'a minute',
    METRICS_BIND_ADDRESS: 'localhost',
    HEALTH_BIND_ADDRESS: '0.0.0.0:99999',
  });
  assert.equal(code, 1);
  assertOneLine(lines, 'LOG_LEVEL', /got "verbose"/);
  assertOneLine(lines, 'WORKER_SHUTDOWN_GRACE', /duration.*got "a minute"/);
  assertOneLine(lines, 'METRICS_BIND_ADDRESS', /IP address and a port.*got "localhost"/);
  assertOneLine(lines, 'HEALTH_BIND_ADDRESS', /port \(1-65535\).*got "0\.0\.0\.0:99999"/);
  assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');
});

test('HEALTH_BIND_ADDRESS on a busy port says the port is in use', async (t) => {
  const { server, port } = await occupied();
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { code, out, lines } = await runWorker({ HEALTH_BIND_ADDRESS: `127.0.0.1:${port}` });
  assert.equal(code, 1);
  assertOneLine(lines, 'HEALTH_BIND_ADDRESS', /in use/);
  assert.doesNotMatch(out, /Cannot close connection|\n\s+at /);
});

test('METRICS_BIND_ADDRESS on a busy port says the port is in use', async (t) => {
  const { server, port } = await occupied();
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { code, out, lines } = await runWorker({ METRICS_BIND_ADDRESS: `127.0.0.1:${port}` });
  assert.equal(code, 1);
  assertOneLine(lines, 'METRICS_BIND_ADDRESS', /in use/);
  assert.doesNotMatch(out, /\n\s+at /);
});
