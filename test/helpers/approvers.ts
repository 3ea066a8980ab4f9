/**
 * Approver keys for tests: one Ed25519 key pair per name, made once per test process, as
 * `approver-key create` makes them. In-process workers get TEST_APPROVAL; worker processes get
 * an APPROVER_KEYS_FILE, and the CLI a private key file per approver (`--key`).
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { keyIdOf, type ApprovalSettings } from '../../config/approver-keys.js';
import { statementText } from '../../domain/approval-statement.js';
import { progressQuery, type ApprovalDecisionInput } from '../../workflows/import-api.js';

export const TEST_APPROVER_NAMES = [
  'ops@example.com',
  'jane@example.com',
  'jane',
  'security@example.com',
  'late@example.com',
  'alice',
  // Whoever runs the tests (root in CI): four eyes must stop them approving their own import.
  ...new Set(['root', userInfo().username]),
];

const pairs = new Map<string, { publicKey: KeyObject; privateKey: KeyObject; encoded: string }>(
  TEST_APPROVER_NAMES.map((name) => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    return [
      name,
      {
        publicKey,
        privateKey,
        encoded: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      },
    ];
  }),
);

/** The in-process worker's approvers: every test name, four eyes on. */
export const TEST_APPROVAL: ApprovalSettings = {
  fourEyes: true,
  approvers: [...pairs].map(([name, p]) => ({ name, keyId: keyIdOf(p.encoded), key: p.publicKey })),
};

/** APPROVER_KEYS_FILE for worker processes, and `--key` files for the CLI. */
export function approverFiles(dir = mkdtempSync(join(tmpdir(), 'approvers-'))) {
  const keysFile = join(dir, 'approvers.txt');
  writeFileSync(keysFile, [...pairs].map(([name, p]) => `${name} ${p.encoded}`).join('\n') + '\n');
  const keyFile = (name: string) => {
    const path = join(dir, `${name}.pem`);
    writeFileSync(path, pairs.get(name)!.privateKey.export({ format: 'pem', type: 'pkcs8' }), {
      mode: 0o600,
    });
    return path;
  };
  return { keysFile, keyFile };
}

/** A signed decision on the plan `handle` waits on, as the CLI sends it. */
export async function signedDecision(
  handle: WorkflowHandle,
  decision: 'approve' | 'reject',
  by: string,
  /** `patch`: statement fields changed before signing (tests of forged bindings). */
  extra: { comment?: string; signAs?: string; patch?: Record<string, string> } = {},
): Promise<ApprovalDecisionInput> {
  const { runId } = await handle.describe();
  const planDigest = (await handle.query(progressQuery)).awaitingApproval?.planDigest ?? '';
  const statement = {
    workflowId: handle.workflowId,
    runId,
    planDigest,
    decision,
    by,
    at: new Date().toISOString(),
    ...extra.patch,
  };
  const key = pairs.get(extra.signAs ?? by)!.privateKey;
  const signature = sign(null, Buffer.from(statementText(statement)), key).toString('base64');
  return { by, ...(extra.comment ? { comment: extra.comment } : {}), signed: { ...statement, signature } };
}
