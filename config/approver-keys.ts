/**
 * Who may approve: APPROVER_KEYS_FILE lists one approver per line, `NAME <public key>`, as
 * `approver-key create` prints it (an Ed25519 public key, base64 SPKI). `#` starts a comment.
 * APPROVAL_FOUR_EYES (on by default): whoever started a run may not approve it.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { APPROVER_NAME } from '../domain/approval-statement.js';
import { ConfigError } from './config-error.js';
import { onOff } from './on-off.js';

export interface ApproverKey {
  name: string;
  /** Short fingerprint shown in reports and Temporal Web: sha256 of the key, 16 hex digits. */
  keyId: string;
  key: KeyObject;
}

export interface ApprovalSettings {
  approvers: ApproverKey[];
  fourEyes: boolean;
}

/** The key id of a public key (base64 SPKI DER). */
export function keyIdOf(publicKeyBase64: string): string {
  return createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest('hex').slice(0, 16);
}

export function parseApproverKeys(text: string, source: string): ApproverKey[] {
  const problems: string[] = [];
  const approvers: ApproverKey[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const [name, key, ...rest] = line.split(/\s+/);
    const where = `${source} line ${index + 1}`;
    if (!name || !APPROVER_NAME.test(name) || !key || rest.length > 0) {
      problems.push(
        `${where}: needs the form NAME PUBLIC_KEY, as \`npm run cli -- approver-key create --name NAME --private-key-out FILE\` prints it`,
      );
      return;
    }
    try {
      const object = createPublicKey({ key: Buffer.from(key, 'base64'), format: 'der', type: 'spki' });
      if (object.asymmetricKeyType !== 'ed25519') throw new Error('not ed25519');
      approvers.push({ name, keyId: keyIdOf(key), key: object });
    } catch {
      problems.push(
        `${where}: the key of ${name} is not an Ed25519 public key (base64); make one with approver-key create`,
      );
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return approvers;
}

export function loadApprovalSettings(
  env: Record<string, string | undefined> = process.env,
): ApprovalSettings {
  const problems: string[] = [];
  const fourEyes = onOff(env, 'APPROVAL_FOUR_EYES', true, problems);
  let approvers: ApproverKey[] = [];
  const file = env.APPROVER_KEYS_FILE?.trim();
  if (file) {
    try {
      approvers = parseApproverKeys(readFileSync(file, 'utf8'), `APPROVER_KEYS_FILE=${file}`);
    } catch (err) {
      if (err instanceof ConfigError) problems.push(...err.problems);
      else
        problems.push(
          `APPROVER_KEYS_FILE=${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): fix the path or permissions`,
        );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { approvers, fourEyes };
}
