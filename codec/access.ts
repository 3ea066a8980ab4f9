/**
 * Who may use the codec server. It decrypts workflow history (names, emails, managers), so:
 * the Host header must name this server (a DNS-rebinding page on another site cannot reach it
 * through a browser on the same machine), and tokens are compared in constant time. The
 * settings (token required beyond loopback, allowed hosts) are read in config/codec-access.ts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The host name of a Host header (port dropped, IPv6 kept in brackets), lower-cased. */
export function hostNameOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(0, end + 1) : undefined;
  }
  return h.replace(/:\d*$/, '');
}

export function hostAllowed(header: string | undefined, allowedHosts: readonly string[]): boolean {
  const name = hostNameOf(header);
  return name !== undefined && allowedHosts.includes(name);
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Whether `Authorization` carries `Bearer <expected>`. Both sides are hashed first, so the
 * comparison takes the same time whatever the length or the first wrong character.
 */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(expected));
}
