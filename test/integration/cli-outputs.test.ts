/**
 * The CLI's files and its one-import-per-pair rule, through the real CLI and worker:
 * output paths are checked before anything starts; `--dry-run` does not quietly follow a real
 * import; a preview writes nothing to JumpCloud and puts its plan files (personal data) in a
 * folder of the user's own, readable by them only, not in the working directory; the
 * installed command runs through `npx` in the project directory.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import { taskQueueFor, testTemporal } from '../helpers/temporal.js';
import { runProject, type ProcessHandle } from '../helpers/worker-process.js';

const root = join(import.meta.dirname, '..', '..');

describe('CLI outputs and attaching', () => {
  const personio = createPersonioSandbox({ employees: 25, seed: 31 });
  const jumpcloud = createJumpCloudSandbox();
  const home = mkdtempSync(join(tmpdir(), 'cli-home-'));
  let common: Record<string, string>;
  let workflowId: string;
  let worker: ProcessHandle | undefined;

  async function cli(args: string[]) {
    const run = runProject('client/cli.ts', args, common);
    const code = await run.exited;
    return { code, out: run.output.join('\n'), cwd: run.cwd };
  }

  async function workflowExists(id: string): Promise<boolean> {
    const { client } = await testTemporal();
    return client.workflow
      .getHandle(id)
      .describe()
      .then(
        () => true,
        () => false,
      );
  }

  before(async () => {
    await personio.listen(0);
    await jumpcloud.listen(0);
    const { address } = await testTemporal();
    const taskQueue = taskQueueFor('cli-outputs');
    workflowId = `personio-import-${taskQueue}`;
    common = {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      PAYLOAD_ENCRYPTION: 'off',
      HOME: home,
    };
  });

  after(async () => {
    await worker?.stop();
    await personio.close();
    await jumpcloud.close();
  });

  it('--report and --plan-output in a missing folder: refused before anything starts', async () => {
    const report = await cli(['import', '--report', '/nonexistent/x.csv']);
    assert.equal(report.code, 2, report.out);
    assert.match(report.out, /--report \/nonexistent\/x\.csv: the folder \/nonexistent does not exist/);
    const plan = await cli(['import', '--dry-run', '--plan-output', '/nonexistent/plan']);
    assert.equal(plan.code, 2, plan.out);
    assert.match(
      plan.out,
      /--plan-output \/nonexistent\/plan\.json: the folder \/nonexistent does not exist/,
    );
    assert.equal(await workflowExists(workflowId), false, 'no import was started');
  });

  it('--dry-run while a real import runs says so instead of following it', async () => {
    // No worker yet: the real import waits, RUNNING.
    const started = await cli(['import', '--no-wait', '--notify', 'never']);
    assert.equal(started.code, 0, started.out);
    const preview = await cli(['import', '--dry-run']);
    assert.equal(preview.code, 2, preview.out);
    assert.match(
      preview.out,
      /a real import is already running as .*--dry-run would only follow it, so nothing was previewed/,
    );
    assert.doesNotMatch(preview.out, /following it instead/);
  });

  it('the real import finishes once a worker runs; a later preview writes nothing and keeps its plan private', async () => {
    worker = runProject('worker/main.ts', [], {
      ...common,
      PERSONIO_BASE_URL: personio.url,
      PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
      PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
      JUMPCLOUD_BASE_URL: jumpcloud.url,
      JUMPCLOUD_API_KEY: SANDBOX_JUMPCLOUD_API_KEY,
    });
    const followed = await cli(['import', '--notify', 'never']);
    assert.equal(followed.code, 0, followed.out);
    assert.match(followed.out, /already running .* following it/);

    // Something for the preview to find: an imported employee's new name.
    const state = (await (await fetch(`${jumpcloud.url}/_sandbox/state`)).json()) as {
      users: { employeeIdentifier?: string }[];
    };
    const someone = { id: Number(state.users.find((u) => u.employeeIdentifier)!.employeeIdentifier) };
    personio.data.changeName(someone.id, 'Preview', 'Person');
    jumpcloud.stats.clear();
    const preview = await cli(['import', '--dry-run', '--notify', 'never']);
    assert.equal(preview.code, 0, preview.out);
    assert.match(preview.out, /Plan \(nothing was written\)/);
    assert.deepEqual(jumpcloud.stats.snapshot().writes, {}, 'a dry run writes nothing');
    const folder = join(home, '.local', 'state', 'personio-jumpcloud-sync', 'plans');
    const files = readdirSync(folder);
    assert.equal(files.filter((f) => /^plan-.*\.(json|csv)$/.test(f)).length, 2, files.join(', '));
    for (const f of files) assert.equal(statSync(join(folder, f)).mode & 0o077, 0, `${f} is private`);
    assert.equal(statSync(folder).mode & 0o077, 0, 'the folder is private');
    const csv = readFileSync(
      join(
        folder,
        files.find((f) => f.endsWith('.csv'))!,
      ),
      'utf8',
    );
    assert.match(csv, new RegExp(`^${someone.id},updated,`, 'm'));
    assert.deepEqual(readdirSync(preview.cwd), [], 'nothing written into the working directory');
  });

  it('cancel on the finished import says it has ended', async () => {
    const cancel = await cli(['cancel']);
    assert.equal(cancel.code, 0, cancel.out);
    assert.match(cancel.out, /is not running: it ended COMPLETED/);
  });

  it('the installed command runs through npx in the project directory', async () => {
    const { stdout } = await promisify(execFile)(
      'npx',
      ['--no-install', 'personio-jumpcloud-sync', '--help'],
      {
        cwd: root,
      },
    );
    assert.match(stdout, /Usage: personio-jumpcloud-sync/);
    assert.match(stdout, /import \[options\]/);
  });
});
