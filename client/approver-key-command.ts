/**
 * `approver-key create --name NAME --private-key-out FILE`: an Ed25519 key pair for signed
 * approvals. The private key goes to FILE (mode 0600, never overwritten); the line for the
 * worker's APPROVER_KEYS_FILE (`NAME <public key>`) goes to stdout.
 */
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { keyIdOf } from '../config/approver-keys.js';
import { APPROVER_NAME } from '../domain/approval-statement.js';
import { UsageError } from './usage-error.js';

export function registerApproverKeyCommands(program: Command): void {
  const keys = program.command('approver-key').description('keys that sign approvals');
  keys
    .command('create')
    .description("make an approver's Ed25519 key pair; prints the line for the worker's APPROVER_KEYS_FILE")
    .requiredOption('--name <name>', 'the approver, e.g. jane@example.com (letters, digits, . _ @ + -)')
    .requiredOption('--private-key-out <file>', 'where the private key goes (kept by the approver only)')
    .action((flags: { name: string; privateKeyOut: string }) => {
      if (!APPROVER_NAME.test(flags.name))
        throw new UsageError(
          '--name: letters, digits and . _ @ + - only (1 to 100), e.g. --name jane@example.com',
        );
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      try {
        writeFileSync(flags.privateKeyOut, privateKey.export({ format: 'pem', type: 'pkcs8' }), {
          mode: 0o600,
          flag: 'wx',
        });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new UsageError(
          code === 'EEXIST'
            ? `--private-key-out: ${flags.privateKeyOut} exists; a key is never overwritten (choose another file)`
            : `--private-key-out: ${flags.privateKeyOut} cannot be written (${code ?? 'error'})`,
        );
      }
      const encoded = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
      console.log(`${flags.name} ${encoded}`);
      console.error(
        `Private key: ${flags.privateKeyOut} (key id ${keyIdOf(encoded)}). Add the line above to the worker's APPROVER_KEYS_FILE.`,
      );
    });
}
