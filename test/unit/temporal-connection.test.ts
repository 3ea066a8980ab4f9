/**
 * Temporal connection settings: defaults, TLS with system CAs, a custom CA, mTLS (both files
 * or neither, a key that fits the certificate), API keys from the environment or a file, and
 * problems that name the variable without echoing a secret. Certificates are made with the
 * openssl command in a temporary folder.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { ConnectionOptions } from '@temporalio/client';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { ConfigError } from '../../config/env.js';
import {
  describeTemporalConnection,
  loadTemporalConnection,
  type TemporalConnectionOptions,
} from '../../config/temporal-connection.js';

const dir = mkdtempSync(join(tmpdir(), 'temporal-connection-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let haveOpenssl = true;
try {
  execFileSync('openssl', ['version'], { stdio: 'ignore' });
} catch {
  haveOpenssl = false;
}
const needsOpenssl = haveOpenssl ? {} : { skip: 'the openssl command is not installed' };

/** A self-signed certificate and its key (EC P-256: fast), written as PEM files. */
function makeCertificate(name: string, days = 2): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      String(days),
      '-subj',
      `/CN=${name}`,
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadTemporalConnection(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `a ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('expected a ConfigError');
}

test('defaults: local server, namespace "default", no TLS, no API key', () => {
  const options = loadTemporalConnection({});
  assert.deepEqual(options, { address: '127.0.0.1:7233', namespace: 'default' });
  assert.deepEqual(describeTemporalConnection(options), {
    address: '127.0.0.1:7233',
    namespace: 'default',
    tls: 'off',
    auth: 'none',
  });
});

test('empty values count as unset', () => {
  assert.deepEqual(
    loadTemporalConnection({ TEMPORAL_ADDRESS: '', TEMPORAL_NAMESPACE: ' ', TEMPORAL_TLS: '' }),
    {
      address: '127.0.0.1:7233',
      namespace: 'default',
    },
  );
});

test('the result fits both the client and the worker connect options', () => {
  const options: TemporalConnectionOptions = loadTemporalConnection({ TEMPORAL_TLS: 'true' });
  const { address, tls, apiKey } = options;
  // Compile-time: these assignments are what the type checker verifies.
  const client: ConnectionOptions = { address, tls, apiKey };
  const worker: NativeConnectionOptions = { address, tls, apiKey };
  assert.equal(client.tls, true);
  assert.equal(worker.tls, true);
});

test('address and namespace from the environment; addresses are checked', () => {
  assert.deepEqual(
    loadTemporalConnection({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: 'people' }),
    { address: 'temporal:7233', namespace: 'people' },
  );
  assert.equal(loadTemporalConnection({ TEMPORAL_ADDRESS: '[::1]:7233' }).address, '[::1]:7233');
  for (const bad of ['temporal', 'http://temporal:7233', 'temporal:0', 'temporal:99999', ':7233']) {
    const problems = problemsOf({ TEMPORAL_ADDRESS: bad });
    assert.equal(problems.length, 1, bad);
    assert.match(problems[0]!, /^TEMPORAL_ADDRESS must be host:port.*e\.g\. TEMPORAL_ADDRESS=/);
  }
});

test('TEMPORAL_TLS=true: TLS with the system CAs', () => {
  for (const flag of ['true', 'TRUE', '1', 'yes']) {
    const options = loadTemporalConnection({ TEMPORAL_TLS: flag });
    assert.equal(options.tls, true, flag);
    assert.equal(describeTemporalConnection(options).tls, 'system CAs');
  }
  assert.equal(loadTemporalConnection({ TEMPORAL_TLS: 'false' }).tls, undefined);
  assert.deepEqual(problemsOf({ TEMPORAL_TLS: 'maybe' }), [
    'TEMPORAL_TLS must be true or false, e.g. TEMPORAL_TLS=true; got "maybe"',
  ]);
});

test('a custom CA and server name imply TLS', needsOpenssl, () => {
  const { cert } = makeCertificate('ca');
  const options = loadTemporalConnection({
    TEMPORAL_ADDRESS: 'temporal.internal:7233',
    TEMPORAL_TLS_CA_FILE: cert,
    TEMPORAL_TLS_SERVER_NAME: 'temporal-frontend',
  });
  assert.ok(options.tls && options.tls !== true);
  assert.deepEqual(options.tls.serverRootCACertificate, readFileSync(cert));
  assert.equal(options.tls.serverNameOverride, 'temporal-frontend');
  assert.equal(options.tls.clientCertPair, undefined);
  assert.equal(describeTemporalConnection(options).tls, 'custom CA');
});

test('a CA file that is not PEM, or missing, is a named problem', () => {
  const notPem = file('not-a-ca.txt', 'hello');
  assert.match(problemsOf({ TEMPORAL_TLS_CA_FILE: notPem })[0]!, /^TEMPORAL_TLS_CA_FILE=.* holds no PEM/);
  assert.deepEqual(problemsOf({ TEMPORAL_TLS_CA_FILE: join(dir, 'nope.pem') }), [
    `TEMPORAL_TLS_CA_FILE=${join(dir, 'nope.pem')} cannot be read (ENOENT): fix the path or permissions`,
  ]);
});

test('mTLS: certificate and key are read into clientCertPair', needsOpenssl, () => {
  const { cert, key } = makeCertificate('client');
  const options = loadTemporalConnection({ TEMPORAL_TLS_CERT_FILE: cert, TEMPORAL_TLS_KEY_FILE: key });
  assert.ok(options.tls && options.tls !== true);
  assert.deepEqual(options.tls.clientCertPair, { crt: readFileSync(cert), key: readFileSync(key) });
  assert.deepEqual(describeTemporalConnection(options), {
    address: '127.0.0.1:7233',
    namespace: 'default',
    tls: 'mTLS',
    auth: 'client certificate',
  });
});

test('mTLS: a certificate without a key (or a key without a certificate) is a problem', () => {
  const cert = file('lonely.pem', '-----BEGIN CERTIFICATE-----\n');
  assert.deepEqual(problemsOf({ TEMPORAL_TLS_CERT_FILE: cert }), [
    'TEMPORAL_TLS_CERT_FILE is set without TEMPORAL_TLS_KEY_FILE: mTLS needs both, e.g. TEMPORAL_TLS_KEY_FILE=/run/secrets/temporal-client.key',
  ]);
  assert.match(
    problemsOf({ TEMPORAL_TLS_KEY_FILE: join(dir, 'k.key') })[0]!,
    /^TEMPORAL_TLS_KEY_FILE is set without TEMPORAL_TLS_CERT_FILE/,
  );
});

test('mTLS: a missing key file is named, and every problem is reported at once', needsOpenssl, () => {
  const { cert } = makeCertificate('client-missing-key');
  const missing = join(dir, 'missing.key');
  const problems = problemsOf({
    TEMPORAL_ADDRESS: 'nope',
    TEMPORAL_TLS_CERT_FILE: cert,
    TEMPORAL_TLS_KEY_FILE: missing,
  });
  assert.deepEqual(problems.length, 2);
  assert.match(problems[0]!, /^TEMPORAL_ADDRESS must be host:port/);
  assert.equal(
    problems[1],
    `TEMPORAL_TLS_KEY_FILE=${missing} cannot be read (ENOENT): fix the path or permissions`,
  );
});

test(
  'mTLS: a key that does not fit the certificate, or is not a key, is a problem that never shows the key',
  needsOpenssl,
  () => {
    const a = makeCertificate('pair-a');
    const b = makeCertificate('pair-b');
    assert.match(
      problemsOf({ TEMPORAL_TLS_CERT_FILE: a.cert, TEMPORAL_TLS_KEY_FILE: b.key })[0]!,
      /do not belong together/,
    );
    const secretText = 'not-a-key-but-secret-s3cr3t';
    const garbage = file('garbage.key', secretText);
    const problems = problemsOf({ TEMPORAL_TLS_CERT_FILE: a.cert, TEMPORAL_TLS_KEY_FILE: garbage });
    assert.match(problems[0]!, /^TEMPORAL_TLS_KEY_FILE=.* holds no readable private key/);
    assert.ok(!problems.join('\n').includes(secretText));
  },
);

test('TEMPORAL_TLS=false next to TLS settings is a contradiction', () => {
  const problems = problemsOf({
    TEMPORAL_TLS: 'false',
    TEMPORAL_TLS_SERVER_NAME: 'temporal',
    TEMPORAL_API_KEY: 'k',
  });
  assert.deepEqual(problems, [
    'TEMPORAL_TLS=false but TEMPORAL_TLS_SERVER_NAME is set: remove one of them (TEMPORAL_TLS_SERVER_NAME implies TLS)',
    'TEMPORAL_TLS=false but an API key is set: an API key is only sent over TLS, remove TEMPORAL_TLS=false',
  ]);
});

test('API key from the environment implies TLS', () => {
  const options = loadTemporalConnection({ TEMPORAL_API_KEY: 'key-from-env' });
  assert.equal(options.apiKey, 'key-from-env');
  assert.equal(options.tls, true);
  assert.equal(describeTemporalConnection(options).auth, 'api key');
  assert.ok(!JSON.stringify(describeTemporalConnection(options)).includes('key-from-env'));
});

test('API key from a file (trimmed), for Temporal Cloud', () => {
  const path = file('api-key', '  eyJhbGciOi.cloud-key  \n');
  const options = loadTemporalConnection({
    TEMPORAL_ADDRESS: 'eu-central-1.aws.api.temporal.io:7233',
    TEMPORAL_NAMESPACE: 'personio-sync.a1b2c',
    TEMPORAL_API_KEY_FILE: path,
  });
  assert.deepEqual(options, {
    address: 'eu-central-1.aws.api.temporal.io:7233',
    namespace: 'personio-sync.a1b2c',
    tls: true,
    apiKey: 'eyJhbGciOi.cloud-key',
  });
});

test('API key problems name the variable and never show the key', () => {
  const secret = 'super-secret-key-123';
  const both = problemsOf({ TEMPORAL_API_KEY: secret, TEMPORAL_API_KEY_FILE: file('k1', secret) });
  assert.deepEqual(both, [
    'TEMPORAL_API_KEY and TEMPORAL_API_KEY_FILE are both set: keep one, e.g. TEMPORAL_API_KEY_FILE=/run/secrets/temporal_api_key',
  ]);
  const missing = join(dir, 'no-such-key');
  assert.deepEqual(problemsOf({ TEMPORAL_API_KEY_FILE: missing }), [
    `TEMPORAL_API_KEY_FILE=${missing} cannot be read (ENOENT): fix the path or permissions`,
  ]);
  assert.match(problemsOf({ TEMPORAL_API_KEY_FILE: file('empty-key', '\n') })[0]!, /is an empty file/);
  const spaced = problemsOf({ TEMPORAL_API_KEY: `${secret} ${secret}` });
  assert.match(spaced[0]!, /^TEMPORAL_API_KEY contains whitespace/);
  for (const p of [...both, ...spaced]) assert.ok(!p.includes(secret));
});

test('a Temporal Cloud address needs credentials and an account-qualified namespace', () => {
  assert.deepEqual(problemsOf({ TEMPORAL_ADDRESS: 'people.a1b2c.tmprl.cloud:7233' }), [
    'TEMPORAL_ADDRESS is a Temporal Cloud endpoint: set TEMPORAL_API_KEY (or TEMPORAL_API_KEY_FILE=/run/secrets/temporal_api_key), or TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE for mTLS',
    'TEMPORAL_NAMESPACE must be the Cloud namespace with its account id, e.g. TEMPORAL_NAMESPACE=personio-sync.a1b2c; got "default"',
  ]);
});

describe('mTLS against Temporal Cloud', () => {
  test('a client certificate is enough credentials', needsOpenssl, () => {
    const { cert, key } = makeCertificate('cloud-client');
    const options = loadTemporalConnection({
      TEMPORAL_ADDRESS: 'people.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'people.a1b2c',
      TEMPORAL_TLS_CERT_FILE: cert,
      TEMPORAL_TLS_KEY_FILE: key,
    });
    assert.ok(options.tls && options.tls !== true && options.tls.clientCertPair);
    assert.equal(options.apiKey, undefined);
  });
});
