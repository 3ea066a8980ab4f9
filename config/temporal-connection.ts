/**
 * How to reach the Temporal server: address, namespace, TLS / mTLS and a Temporal Cloud API
 * key, from environment variables. The result fits both `Connection.connect` (client, CLI)
 * and `NativeConnection.connect` (worker):
 *
 *   const t = loadTemporalConnection();
 *   await NativeConnection.connect({ address: t.address, tls: t.tls, apiKey: t.apiKey });
 *
 *   TEMPORAL_ADDRESS            host:port (default 127.0.0.1:7233)
 *   TEMPORAL_NAMESPACE          (default "default")
 *   TEMPORAL_TLS                true: TLS with the system's CAs (implied by every variable below)
 *   TEMPORAL_TLS_CA_FILE        PEM CA bundle that signed the server's certificate
 *   TEMPORAL_TLS_SERVER_NAME    name to check the server's certificate against (SNI)
 *   TEMPORAL_TLS_CERT_FILE      mTLS client certificate (PEM) ... together with
 *   TEMPORAL_TLS_KEY_FILE       ... its private key (PEM)
 *   TEMPORAL_API_KEY(_FILE)     Temporal Cloud API key, sent as "Authorization: Bearer …"
 *
 * Every problem is collected into one ConfigError, each naming the variable with an example.
 * Paths are named in messages; the contents of key files and API keys never are.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error.js';
import { registerSecret } from '../observability/redact.js';

type Env = Record<string, string | undefined>;

/** TLS settings in the shape of the SDK's `TLSConfig` (client and worker alike). */
export interface TemporalTlsOptions {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

export interface TemporalConnectionOptions {
  /** host:port of the Temporal frontend. */
  address: string;
  namespace: string;
  /** `true`: TLS with the system's CAs; an object: TLS with these settings; absent: plaintext. */
  tls?: TemporalTlsOptions | true;
  /** Temporal Cloud API key; its presence implies TLS. Never log it. */
  apiKey?: string;
}

export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_TEMPORAL_NAMESPACE = 'default';

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function readFile(name: string, path: string, problems: string[]): Buffer | undefined {
  try {
    const content = readFileSync(path);
    if (content.length === 0) {
      problems.push(`${name}=${path} is an empty file: put the PEM file there`);
      return undefined;
    }
    return content;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    problems.push(`${name}=${path} cannot be read (${code}): fix the path or permissions`);
    return undefined;
  }
}

/** Reads NAME or the file named by NAME_FILE (trimmed), like the other secrets in config/env.ts. */
function readSecret(env: Env, name: string, example: string, problems: string[]): string | undefined {
  const direct = value(env, name);
  const file = value(env, `${name}_FILE`);
  if (direct && file) {
    problems.push(`${name} and ${name}_FILE are both set: keep one, e.g. ${name}_FILE=${example}`);
    return undefined;
  }
  if (!file) {
    registerSecret(direct);
    return direct;
  }
  try {
    const secret = readFileSync(file, 'utf8').trim();
    registerSecret(secret);
    if (!secret) problems.push(`${name}_FILE=${file} is an empty file: put the secret in it`);
    return secret || undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    problems.push(`${name}_FILE=${file} cannot be read (${code}): fix the path or permissions`);
    return undefined;
  }
}

const hostPattern =
  /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)$/;

function checkAddress(address: string, problems: string[]): void {
  const example = 'TEMPORAL_ADDRESS=temporal.internal:7233';
  if (/^[a-z]+:\/\//i.test(address)) {
    problems.push(`TEMPORAL_ADDRESS must be host:port without a scheme, e.g. ${example}; got "${address}"`);
    return;
  }
  const colon = address.lastIndexOf(':');
  const host = colon > 0 ? address.slice(0, colon) : '';
  const port = colon > 0 ? Number(address.slice(colon + 1)) : NaN;
  if (!hostPattern.test(host) || !Number.isInteger(port) || port < 1 || port > 65535) {
    problems.push(`TEMPORAL_ADDRESS must be host:port, e.g. ${example}; got "${address}"`);
  }
}

const isCloud = (address: string) => /\.(?:tmprl\.cloud|api\.temporal\.io)(?::\d+)?$/i.test(address);

/** Reads and checks the Temporal connection settings. Throws ConfigError listing every problem. */
export function loadTemporalConnection(env: Env = process.env): TemporalConnectionOptions {
  const problems: string[] = [];

  const address = value(env, 'TEMPORAL_ADDRESS') ?? DEFAULT_TEMPORAL_ADDRESS;
  checkAddress(address, problems);
  const namespace = value(env, 'TEMPORAL_NAMESPACE') ?? DEFAULT_TEMPORAL_NAMESPACE;

  const tlsFlag = value(env, 'TEMPORAL_TLS')?.toLowerCase();
  let tlsWanted: boolean | undefined;
  if (tlsFlag !== undefined) {
    if (TRUE.has(tlsFlag)) tlsWanted = true;
    else if (FALSE.has(tlsFlag)) tlsWanted = false;
    else problems.push(`TEMPORAL_TLS must be true or false, e.g. TEMPORAL_TLS=true; got "${tlsFlag}"`);
  }

  const caFile = value(env, 'TEMPORAL_TLS_CA_FILE');
  const certFile = value(env, 'TEMPORAL_TLS_CERT_FILE');
  const keyFile = value(env, 'TEMPORAL_TLS_KEY_FILE');
  const serverName = value(env, 'TEMPORAL_TLS_SERVER_NAME');
  const apiKey = readSecret(env, 'TEMPORAL_API_KEY', '/run/secrets/temporal_api_key', problems);
  const apiKeyGiven = Boolean(value(env, 'TEMPORAL_API_KEY') || value(env, 'TEMPORAL_API_KEY_FILE'));

  if (apiKey !== undefined && /\s/.test(apiKey)) {
    problems.push(
      'TEMPORAL_API_KEY contains whitespace: set the key alone, on one line (TEMPORAL_API_KEY_FILE=/run/secrets/temporal_api_key)',
    );
  }

  // Anything TLS-shaped implies TLS; an explicit TEMPORAL_TLS=false next to it is a contradiction.
  const tlsVars = [
    ['TEMPORAL_TLS_CA_FILE', caFile],
    ['TEMPORAL_TLS_CERT_FILE', certFile],
    ['TEMPORAL_TLS_KEY_FILE', keyFile],
    ['TEMPORAL_TLS_SERVER_NAME', serverName],
  ] as const;
  if (tlsWanted === false) {
    for (const [name, v] of tlsVars)
      if (v) problems.push(`TEMPORAL_TLS=false but ${name} is set: remove one of them (${name} implies TLS)`);
    if (apiKeyGiven)
      problems.push(
        'TEMPORAL_TLS=false but an API key is set: an API key is only sent over TLS, remove TEMPORAL_TLS=false',
      );
  }

  const tls: TemporalTlsOptions = {};
  if (caFile) {
    const ca = readFile('TEMPORAL_TLS_CA_FILE', caFile, problems);
    if (ca && !ca.includes('-----BEGIN CERTIFICATE-----'))
      problems.push(
        `TEMPORAL_TLS_CA_FILE=${caFile} holds no PEM certificate ("-----BEGIN CERTIFICATE-----"): use the CA bundle in PEM form, e.g. TEMPORAL_TLS_CA_FILE=/run/secrets/temporal-ca.pem`,
      );
    else if (ca) tls.serverRootCACertificate = ca;
  }

  if (serverName !== undefined) {
    if (hostPattern.test(serverName)) tls.serverNameOverride = serverName;
    else
      problems.push(
        `TEMPORAL_TLS_SERVER_NAME must be a host name, e.g. TEMPORAL_TLS_SERVER_NAME=temporal.internal; got "${serverName}"`,
      );
  }

  if (certFile && !keyFile)
    problems.push(
      'TEMPORAL_TLS_CERT_FILE is set without TEMPORAL_TLS_KEY_FILE: mTLS needs both, e.g. TEMPORAL_TLS_KEY_FILE=/run/secrets/temporal-client.key',
    );
  if (keyFile && !certFile)
    problems.push(
      'TEMPORAL_TLS_KEY_FILE is set without TEMPORAL_TLS_CERT_FILE: mTLS needs both, e.g. TEMPORAL_TLS_CERT_FILE=/run/secrets/temporal-client.pem',
    );
  if (certFile && keyFile) {
    const crt = readFile('TEMPORAL_TLS_CERT_FILE', certFile, problems);
    const key = readFile('TEMPORAL_TLS_KEY_FILE', keyFile, problems);
    let certificate: X509Certificate | undefined;
    if (crt) {
      try {
        certificate = new X509Certificate(crt);
      } catch {
        problems.push(
          `TEMPORAL_TLS_CERT_FILE=${certFile} holds no readable certificate: use the client certificate in PEM form`,
        );
      }
    }
    let privateKey: ReturnType<typeof createPrivateKey> | undefined;
    if (key) {
      try {
        privateKey = createPrivateKey(key);
      } catch {
        // The key's content is secret: name the file, never what is in it.
        problems.push(
          `TEMPORAL_TLS_KEY_FILE=${keyFile} holds no readable private key: use the unencrypted PEM key ("-----BEGIN PRIVATE KEY-----")`,
        );
      }
    }
    if (certificate && privateKey) {
      if (!certificate.checkPrivateKey(privateKey))
        problems.push(
          `TEMPORAL_TLS_CERT_FILE=${certFile} and TEMPORAL_TLS_KEY_FILE=${keyFile} do not belong together: use the key the certificate was issued for`,
        );
      else if (Date.parse(certificate.validTo) < Date.now())
        problems.push(
          `TEMPORAL_TLS_CERT_FILE=${certFile} expired on ${certificate.validTo}: renew the client certificate`,
        );
    }
    if (crt && key && certificate && privateKey) tls.clientCertPair = { crt, key };
  }

  if (isCloud(address)) {
    if (!apiKeyGiven && !(certFile && keyFile))
      problems.push(
        'TEMPORAL_ADDRESS is a Temporal Cloud endpoint: set TEMPORAL_API_KEY (or TEMPORAL_API_KEY_FILE=/run/secrets/temporal_api_key), or TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE for mTLS',
      );
    if (!namespace.includes('.'))
      problems.push(
        `TEMPORAL_NAMESPACE must be the Cloud namespace with its account id, e.g. TEMPORAL_NAMESPACE=personio-sync.a1b2c; got "${namespace}"`,
      );
  }

  if (problems.length > 0) throw new ConfigError(problems);

  const anyTls = tlsWanted === true || apiKey !== undefined || tlsVars.some(([, v]) => v !== undefined);
  const options: TemporalConnectionOptions = { address, namespace };
  if (anyTls) options.tls = Object.keys(tls).length > 0 ? tls : true;
  if (apiKey !== undefined) options.apiKey = apiKey;
  return options;
}

/** A line for logs: how the connection is secured, without any secret. */
export function describeTemporalConnection(options: TemporalConnectionOptions): {
  address: string;
  namespace: string;
  tls: 'off' | 'system CAs' | 'custom CA' | 'mTLS' | 'mTLS, custom CA';
  auth: 'none' | 'api key' | 'client certificate';
} {
  const tls = options.tls;
  let mode: 'off' | 'system CAs' | 'custom CA' | 'mTLS' | 'mTLS, custom CA' = 'off';
  if (tls === true) mode = 'system CAs';
  else if (tls) {
    const ca = tls.serverRootCACertificate !== undefined;
    if (tls.clientCertPair) mode = ca ? 'mTLS, custom CA' : 'mTLS';
    else mode = ca ? 'custom CA' : 'system CAs';
  }
  const auth = options.apiKey
    ? 'api key'
    : tls && tls !== true && tls.clientCertPair
      ? 'client certificate'
      : 'none';
  return { address: options.address, namespace: options.namespace, tls: mode, auth };
}
