/**
 * Hostile or malformed API answers, through the real worker and CLI: a JumpCloud that
 * answers its user search with the wrong shape, and a Personio that claims 10^12 employees.
 * Each import ends (a bounded number of tries), naming the system and the route, and the
 * absurd total is refused before anything is planned or written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import { taskQueueFor, testTemporal } from '../helpers/temporal.js';
import { runProject, type ProcessHandle } from '../helpers/worker-process.js';

async function importAgainst(
  name: string,
  personio: ReturnType<typeof createPersonioSandbox>,
  jumpcloud: ReturnType<typeof createJumpCloudSandbox>,
): Promise<{ code: number | null; output: string; worker: ProcessHandle }> {
  const { address } = await testTemporal();
  const common = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueueFor(name),
    PAYLOAD_ENCRYPTION: 'off',
  };
  const worker = runProject('worker/main.ts', [], {
    ...common,
    PERSONIO_BASE_URL: personio.url,
    PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
    PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    JUMPCLOUD_BASE_URL: jumpcloud.url,
    JUMPCLOUD_API_KEY: SANDBOX_JUMPCLOUD_API_KEY,
  });
  await worker.waitFor(/worker started/);
  const cli = runProject('client/cli.ts', ['import'], common);
  const code = await cli.exited;
  return { code, output: cli.output.join('\n'), worker };
}

describe('a JumpCloud answering its user search with the wrong shape', () => {
  const personio = createPersonioSandbox({ employees: 6, seed: 9 });
  const jumpcloud = createJumpCloudSandbox();
  let searches = 0;
  let result: Awaited<ReturnType<typeof importAgainst>>;

  before(async () => {
    jumpcloud.app.addHook('onSend', async (request, _reply, payload) => {
      if (!request.url.startsWith('/api/search/systemusers')) return payload;
      searches++;
      return '{"results":"<html><body>502 from a proxy</body></html>","totalCount":"many"}';
    });
    await personio.listen(0);
    await jumpcloud.listen(0);
    result = await importAgainst('hostile-jumpcloud-shape', personio, jumpcloud);
  });
  after(async () => {
    await result?.worker.stop();
    await personio.close();
    await jumpcloud.close();
  });

  it('ends after a bounded number of tries, naming JumpCloud and the route', () => {
    assert.notEqual(result.code, 0, result.output);
    assert.match(
      result.output,
      /JumpCloud POST \/api\/search\/systemusers answered with an unexpected shape/,
    );
    assert.ok(searches >= 3, `${searches} searches: tried a few times`);
    assert.ok(searches <= 3 * 10, `${searches} searches: bounded`);
    assert.doesNotMatch(result.output, /502 from a proxy/, "the server's text is not echoed");
  });
});

describe('a Personio claiming 10^12 employees', () => {
  const personio = createPersonioSandbox({ employees: 6, seed: 9 });
  const jumpcloud = createJumpCloudSandbox();
  let result: Awaited<ReturnType<typeof importAgainst>>;

  before(async () => {
    personio.app.addHook('onSend', async (request, _reply, payload) => {
      if (!request.url.startsWith('/v1/company/employees')) return payload;
      const text = Buffer.isBuffer(payload) ? payload.toString('utf8') : payload;
      if (typeof text !== 'string') return payload;
      const body = JSON.parse(text) as { metadata?: Record<string, number> };
      if (!body.metadata) return payload;
      body.metadata.total_elements = 1e12;
      body.metadata.total_pages = 1e10;
      return JSON.stringify(body);
    });
    await personio.listen(0);
    await jumpcloud.listen(0);
    result = await importAgainst('hostile-personio-total', personio, jumpcloud);
  });
  after(async () => {
    await result?.worker.stop();
    await personio.close();
    await jumpcloud.close();
  });

  it('is refused before any work is planned from it: nothing written', () => {
    assert.notEqual(result.code, 0, result.output);
    assert.match(result.output, /Personio GET \/v1\/company\/employees answered with an unexpected shape/);
    assert.match(result.output, /absurd total/);
    assert.deepEqual(jumpcloud.stats.snapshot().writes, {}, 'no JumpCloud write');
  });
});
