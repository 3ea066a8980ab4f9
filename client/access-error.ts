/**
 * What to tell a person whose request a secured Temporal server turned away: refused for
 * lack of permission (the token's role), refused an invalid token, or refused the TLS
 * connection for want of a (trusted) client certificate. Each message names the variable to
 * fix. Token and key contents are never part of a message.
 *
 * A refused certificate reaches the SDK only as "Failed to connect before the deadline", so
 * on a failed connection one TLS handshake is tried here with the same settings to learn why.
 */
import { connect } from 'node:tls';
import { isIP } from 'node:net';
import { loadTemporalConnection, type TemporalConnectionOptions } from '../config/temporal-connection.js';
import { temporalNamespaceName } from '../config/process-settings.js';

const PERMISSION_DENIED = 7;
const UNAUTHENTICATED = 16;
const UNAVAILABLE = 14;

function chain(err: unknown): { code?: number; text: string }[] {
  const out: { code?: number; text: string }[] = [];
  let current: unknown = err;
  for (let i = 0; current && i < 10; i++) {
    const e = current as { code?: unknown; message?: unknown; details?: unknown; cause?: unknown };
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    out.push({
      code: typeof e.code === 'number' ? e.code : undefined,
      text: `${str(e.message)} ${str(e.details)}`,
    });
    current = e.cause;
  }
  return out;
}

type Handshake = 'ok' | 'certificate-required' | 'certificate-rejected' | 'server-untrusted' | 'other';

/** One TLS handshake with the connection's settings: did the server take our certificate? */
function handshake(target: TemporalConnectionOptions): Promise<Handshake> {
  const tls = typeof target.tls === 'object' ? target.tls : {};
  const colon = target.address.lastIndexOf(':');
  const host = target.address.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(target.address.slice(colon + 1));
  const servername = tls.serverNameOverride ?? (isIP(host) ? undefined : host);
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: Handshake) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const socket = connect({
      host,
      port,
      servername,
      ca: tls.serverRootCACertificate,
      cert: tls.clientCertPair?.crt,
      key: tls.clientCertPair?.key,
      ALPNProtocols: ['h2'],
    });
    // TLS 1.3: a refused client certificate arrives as an alert just after the handshake.
    socket.once('secureConnect', () => setTimeout(() => done('ok'), 1500));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const text = `${err.code ?? ''} ${err.message}`;
      if (/CERTIFICATE_REQUIRED|certificate required/i.test(text))
        done(tls.clientCertPair ? 'certificate-rejected' : 'certificate-required');
      else if (/BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|DECRYPT_ERROR/i.test(text))
        done('certificate-rejected');
      else if (/CERT|SELF_SIGNED|UNABLE_TO|Hostname|altnames/i.test(text)) done('server-untrusted');
      else done('other');
    });
    const timer = setTimeout(() => done('other'), 5000);
  });
}

/** A one-line explanation, or null when the error is not about access. */
export async function accessErrorMessage(err: unknown): Promise<string | null> {
  const errors = chain(err);
  const namespace = temporalNamespaceName();
  if (errors.some((e) => e.code === PERMISSION_DENIED))
    return `The Temporal server refused this request: the API key in TEMPORAL_API_KEY is not allowed to do it in namespace ${namespace} (permission denied). Use a key with write permission ("${namespace}:write"); a read-only key can only look.`;
  if (errors.some((e) => e.code === UNAUTHENTICATED))
    return 'The Temporal server did not accept the API key in TEMPORAL_API_KEY (invalid or expired): get a new one.';

  const text = errors.map((e) => e.text).join(' ');
  const connectFailed =
    /Failed to connect before the deadline/i.test(text) || errors.some((e) => e.code === UNAVAILABLE);
  if (!connectFailed) return null;
  let target: TemporalConnectionOptions;
  try {
    target = loadTemporalConnection();
  } catch {
    return null; // configuration problems are reported before any connection
  }
  if (!target.tls) return null;
  switch (await handshake(target)) {
    case 'certificate-required':
      return `The Temporal server at ${target.address} refused the connection: it requires a client certificate (mTLS). Set TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE to a certificate its CA signed and its key.`;
    case 'certificate-rejected':
      return `The Temporal server at ${target.address} refused the client certificate in TEMPORAL_TLS_CERT_FILE: use one signed by the CA the server trusts.`;
    case 'server-untrusted':
      return `The Temporal server at ${target.address} presented a certificate this client does not trust: set TEMPORAL_TLS_CA_FILE to the CA that signed it (and TEMPORAL_TLS_SERVER_NAME to the name on it).`;
    default:
      return null;
  }
}
