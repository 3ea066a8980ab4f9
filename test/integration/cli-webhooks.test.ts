/**
 * `npm run cli -- webhooks subscribe|list|delete` against the sandbox Personio, as real CLI
 * processes: subscribe creates an ENABLED subscription with PERSONIO_WEBHOOK_TOKEN (deliveries
 * carry it verbatim), a second subscribe of the same URL updates it, list never shows the
 * token, delete removes it; a missing token is one line naming the variable.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import { until } from '../helpers/wait.js';
import { runProject } from '../helpers/worker-process.js';

test('cli webhooks subscribe, list and delete manage the Personio subscription', async (t) => {
  const personio = createPersonioSandbox({ employees: 5 });
  await personio.listen(0);
  const seen: (string | undefined)[] = [];
  const receiver = createServer((request, response) => {
    seen.push(request.headers.authorization);
    request.resume();
    request.on('end', () => response.writeHead(202).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    await personio.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/personio`;
  const token = 'Bearer cli-test-token-0123456789';
  const env = {
    PERSONIO_BASE_URL: personio.url,
    PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
    PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    PERSONIO_WEBHOOK_TOKEN: token,
  };
  const cli = async (args: string[], extra: Record<string, string> = env) => {
    const proc = runProject('client/cli.ts', ['webhooks', ...args], extra);
    const code = await proc.exited;
    return { code, out: proc.output.join('\n') };
  };

  const subscribed = await cli(['subscribe', '--url', url]);
  assert.equal(subscribed.code, 0, subscribed.out);
  const id = /subscribed (\S+) ENABLED/.exec(subscribed.out)?.[1];
  assert.ok(id, subscribed.out);
  personio.data.hire({ firstName: 'Sub', lastName: 'Scribed' });
  await until('a delivery with the token', async () => (seen.includes(token) ? true : undefined));

  const again = await cli(['subscribe', '--url', url]);
  assert.match(again.out, new RegExp(`updated ${id} ENABLED`));
  const listed = await cli(['list']);
  assert.equal(listed.code, 0);
  assert.match(listed.out, new RegExp(`${id} ENABLED ${url} person.created`));
  assert.ok(!listed.out.includes('cli-test-token'), 'no token in the list');
  assert.equal(personio.webhooks.list().length, 1);

  const deleted = await cli(['delete', id]);
  assert.equal(deleted.code, 0, deleted.out);
  assert.match((await cli(['list'])).out, /no webhook subscriptions/);

  const { PERSONIO_WEBHOOK_TOKEN: _omitted, ...withoutToken } = env;
  const missing = await cli(['subscribe', '--url', url], withoutToken);
  assert.equal(missing.code, 2);
  assert.match(missing.out, /PERSONIO_WEBHOOK_TOKEN is missing/);
  assert.ok(!/\n\s+at /.test(missing.out), 'no stack trace');
});
