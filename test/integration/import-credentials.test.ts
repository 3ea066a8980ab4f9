/**
 * Wrong credentials end the import in seconds with a final failure that names the variable
 * to fix, never echo the secret (not in the failure, not anywhere in the workflow history),
 * and do not hammer the API that refused them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { sharedWorkflowBundle } from '../../worker/workflow-bundle.js';
import { importEmployees } from '../../workflows/index.js';
import { historyText } from '../helpers/history-text.js';
import { startImportEnv } from '../helpers/import-env.js';

type ImportEnv = Awaited<ReturnType<typeof startImportEnv>>;

/** The whole history as text, every payload decoded, so a secret cannot hide in base64. */
async function historyOf(env: ImportEnv, workflowId: string): Promise<string> {
  return historyText(historyToJSON(await env.client.workflow.getHandle(workflowId).fetchHistory()));
}

/** Every message along a failure's cause chain. */
function messages(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as Error | undefined, depth = 0; e && depth < 10; e = e.cause as Error, depth++)
    parts.push(`${e.name}: ${e.message}`, e.stack ?? '');
  return parts.join('\n');
}

/** Runs an import that must fail; returns the failure and how long execute took. */
async function failingImport(env: ImportEnv) {
  await sharedWorkflowBundle(); // build the bundle outside the timed part
  const workflowId = `${env.taskQueue}-import`;
  return env.withImportWorker(async () => {
    const started = performance.now();
    const err = await env.client.workflow
      .execute(importEmployees, {
        taskQueue: env.taskQueue,
        workflowId,
        args: [{ notify: { when: 'never' } }],
      })
      .then(
        () => assert.fail('the import succeeded with wrong credentials'),
        (e: unknown) => e,
      );
    const elapsedMs = performance.now() - started;
    assert.ok(err instanceof WorkflowFailedError, `WorkflowFailedError expected, got ${String(err)}`);
    assert.ok(err.cause instanceof ActivityFailure, `ActivityFailure expected, got ${String(err.cause)}`);
    const failure = err.cause.cause;
    assert.ok(failure instanceof ApplicationFailure, `ApplicationFailure expected, got ${String(failure)}`);
    return {
      err,
      failure,
      elapsedMs,
      retryState: err.cause.retryState,
      workflowId,
      history: await historyOf(env, workflowId),
    };
  });
}

const sum = (counts: Record<string, number> | undefined) =>
  Object.values(counts ?? {}).reduce((a, b) => a + b, 0);

test('a wrong Personio client secret fails the import at once, names the variables, never the secret', async (t) => {
  const secret = `wrong-personio-secret-${randomUUID()}`;
  const env = await startImportEnv(t, {
    personio: { employees: 10 },
    credentials: { personioClientSecret: secret },
  });
  const { err, failure, elapsedMs, retryState, history } = await failingImport(env);

  // "At once": the credential check is not retried (how long it took is the benchmark's business).
  assert.equal(retryState, 'NON_RETRYABLE_FAILURE', 'not retried');
  t.diagnostic(`failed after ${Math.round(elapsedMs)} ms`);
  assert.equal(failure.type, 'CredentialsRejected');
  assert.equal(failure.nonRetryable, true);
  assert.match(failure.message, /Personio rejected the API credentials/);
  assert.match(failure.message, /PERSONIO_CLIENT_ID/);
  assert.match(failure.message, /PERSONIO_CLIENT_SECRET/);
  assert.equal(messages(err).includes(secret), false, 'the secret is not in the failure');
  assert.ok(history.includes('{"notify":{"when":"never"}}'), 'the input payload was decoded');
  assert.match(history, /CredentialsRejected/);
  assert.match(history, /PERSONIO_CLIENT_SECRET/, "the failure's encoded message was decoded");
  assert.equal(history.includes(secret), false, 'the secret is not in the history');

  const personio = env.personio.stats.snapshot();
  const auths = sum(personio.requests['POST /v1/auth']);
  assert.ok(auths >= 1 && auths <= 5, `${auths} auth requests`);
  assert.equal(personio.requests['POST /v1/auth']?.['200'], undefined, 'never accepted');
  assert.equal(sum(personio.requests['GET /v1/company/employees']), 0, 'no employee read');
  assert.equal(env.jumpcloud.stats.snapshot().totalRequests, 0, 'JumpCloud never called');
});

test('a wrong JumpCloud API key fails the import at once, names the variable, never the key', async (t) => {
  const key = `wrong-jumpcloud-key-${randomUUID()}`;
  const env = await startImportEnv(t, { personio: { employees: 10 }, credentials: { jumpcloudApiKey: key } });
  const { err, failure, elapsedMs, retryState, history } = await failingImport(env);

  // "At once": the credential check is not retried (how long it took is the benchmark's business).
  assert.equal(retryState, 'NON_RETRYABLE_FAILURE', 'not retried');
  t.diagnostic(`failed after ${Math.round(elapsedMs)} ms`);
  assert.equal(failure.type, 'CredentialsRejected');
  assert.equal(failure.nonRetryable, true);
  assert.match(failure.message, /JumpCloud rejected the API key/);
  assert.match(failure.message, /JUMPCLOUD_API_KEY/);
  assert.equal(messages(err).includes(key), false, 'the key is not in the failure');
  assert.ok(history.includes('{"notify":{"when":"never"}}'), 'the input payload was decoded');
  assert.match(history, /CredentialsRejected/);
  assert.match(history, /JUMPCLOUD_API_KEY/, "the failure's encoded message was decoded");
  assert.equal(history.includes(key), false, 'the key is not in the history');

  const jumpcloud = env.jumpcloud.stats.snapshot();
  assert.deepEqual(jumpcloud.writes, {}, 'no JumpCloud write');
  assert.ok(
    jumpcloud.totalRequests >= 1 && jumpcloud.totalRequests <= 5,
    `${jumpcloud.totalRequests} requests`,
  );
  assert.ok(sum(env.personio.stats.snapshot().requests['POST /v1/auth']) <= 5);
});
