/**
 * The cluster's certificates, made on first start: a private CA; the frontend's server
 * certificate; one internode certificate the services present to each other (server and
 * client use, internode traffic is mTLS too); and the client certificate the worker and CLI
 * present to the frontend.
 *
 * Made with the openssl command: node:crypto reads certificates (X509Certificate) but cannot
 * issue them, and openssl is on every Linux and macOS machine, so no new dependency. P-256
 * keys, SANs for localhost, temporal and 127.0.0.1, two years of validity; renewed when a certificate
 * is within 30 days of expiry or missing.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The name clients check the frontend's certificate against (TEMPORAL_TLS_SERVER_NAME). */
export const CLUSTER_SERVER_NAME = 'localhost';
const DAYS = 730;
const RENEW_BEFORE_MS = 30 * 24 * 3600_000;

export interface ClusterCerts {
  ca: string;
  frontendCert: string;
  frontendKey: string;
  internodeCert: string;
  internodeKey: string;
  clientCert: string;
  clientKey: string;
}

async function openssl(args: string[]): Promise<void> {
  try {
    await execFileAsync('openssl', args, { timeout: 60_000 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error(
        'the openssl command is needed to make the cluster certificates: apt-get install openssl',
        { cause: err },
      );
    throw new Error(`openssl ${args[0]} failed: ${(e.stderr ?? e.message).trim()}`, { cause: err });
  }
}

function fresh(path: string): boolean {
  if (!existsSync(path)) return false;
  try {
    return Date.parse(new X509Certificate(readFileSync(path)).validTo) - Date.now() > RENEW_BEFORE_MS;
  } catch {
    return false;
  }
}

async function newKey(path: string): Promise<void> {
  await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path]);
  await chmod(path, 0o600);
}

/** Issues a leaf certificate signed by the CA. */
async function issue(
  dir: string,
  name: string,
  subject: string,
  extensions: string,
  files: { ca: string; caKey: string },
): Promise<{ cert: string; key: string }> {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  if (fresh(cert) && existsSync(key)) return { cert, key };
  await newKey(key);
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  await writeFile(ext, extensions);
  try {
    await openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
    await openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      files.ca,
      '-CAkey',
      files.caKey,
      '-CAcreateserial',
      '-days',
      String(DAYS),
      '-sha256',
      '-extfile',
      ext,
      '-out',
      cert,
    ]);
  } finally {
    await rm(csr, { force: true });
    await rm(ext, { force: true });
  }
  return { cert, key };
}

// `temporal`: the server's name in docker-compose.yml, which uses the same files.
const serverSans = `subjectAltName=DNS:${CLUSTER_SERVER_NAME},DNS:temporal,IP:127.0.0.1`;
const leaf = 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n';

/** Makes whatever is missing or about to expire under dir; returns the paths. */
export async function ensureClusterCerts(dir: string): Promise<ClusterCerts> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca.key');
  if (!fresh(ca) || !existsSync(caKey)) {
    await newKey(caKey);
    await openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      caKey,
      '-sha256',
      '-days',
      String(DAYS + 30),
      '-subj',
      '/O=personio-jumpcloud-sync/CN=local Temporal cluster CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      ca,
    ]);
    // A new CA invalidates every certificate it did not sign.
    for (const name of ['frontend', 'internode', 'client'])
      await rm(join(dir, `${name}.pem`), { force: true });
  }
  const files = { ca, caKey };
  const frontend = await issue(
    dir,
    'frontend',
    '/O=personio-jumpcloud-sync/CN=temporal-frontend',
    `${leaf}extendedKeyUsage=serverAuth\n${serverSans}\n`,
    files,
  );
  const internode = await issue(
    dir,
    'internode',
    '/O=personio-jumpcloud-sync/CN=temporal-internode',
    `${leaf}extendedKeyUsage=serverAuth,clientAuth\n${serverSans}\n`,
    files,
  );
  const client = await issue(
    dir,
    'client',
    '/O=personio-jumpcloud-sync/CN=personio-jumpcloud-sync-worker',
    `${leaf}extendedKeyUsage=clientAuth\n`,
    files,
  );
  return {
    ca,
    frontendCert: frontend.cert,
    frontendKey: frontend.key,
    internodeCert: internode.cert,
    internodeKey: internode.key,
    clientCert: client.cert,
    clientKey: client.key,
  };
}
