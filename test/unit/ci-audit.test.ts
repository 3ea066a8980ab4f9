/**
 * `.ci/audit`, the npm audit step of CI, against a stand-in advisory service on loopback:
 * a high advisory in a production dependency fails, none passes, and an unreachable service
 * is reported as NOT CHECKED (a failure only with NPM_AUDIT_REQUIRED=1).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
let answer: 'high' | 'none' | 'not-allowed' | 'silent' = 'none';

function runAudit(registry: string, extra: Record<string, string> = {}) {
  const child = spawn(join(root, '.ci', 'audit'), [], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, npm_config_registry: registry, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return once(child, 'exit').then(([code]) => ({ code: code as number, output }));
}

describe('.ci/audit', () => {
  let server: Server;
  let registry: string;
  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (!req.url?.includes('/-/npm/v1/security/advisories/bulk')) {
          res.writeHead(404).end('{}');
          return;
        }
        if (answer === 'silent') return; // accepts the request and never answers
        if (answer === 'not-allowed') {
          res.writeHead(405, { allow: 'GET,HEAD' }).end();
          return;
        }
        const advisory = {
          id: 1,
          url: 'https://example.test/advisory',
          title: 'a test advisory',
          severity: 'high',
          vulnerable_versions: '<999.0.0',
          cwe: [],
          cvss: { score: 7.5 },
        };
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(answer === 'high' ? { got: [advisory] } : {}));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  it('fails on a high advisory in a production dependency', async () => {
    answer = 'high';
    const { code, output } = await runAudit(registry);
    assert.equal(code, 1, output);
    assert.match(output, /high 1/);
    assert.match(output, /a test advisory/);
  });

  it('passes when there is none', async () => {
    answer = 'none';
    const { code, output } = await runAudit(registry);
    assert.equal(code, 0, output);
    assert.match(output, /critical 0, high 0/);
  });

  it('says NOT CHECKED when the service cannot be reached, and fails only when required', async () => {
    answer = 'not-allowed';
    const soft = await runAudit(registry);
    assert.equal(soft.code, 0, soft.output);
    assert.match(soft.output, /npm audit: NOT CHECKED, the advisory service cannot be reached \(405/);
    const strict = await runAudit(registry, { NPM_AUDIT_REQUIRED: '1' });
    assert.equal(strict.code, 1, strict.output);
    assert.match(strict.output, /NOT CHECKED/);
  });

  it('says NOT CHECKED, and passes, when nothing listens or the service never answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await runAudit(`http://127.0.0.1:${port}/`);
    assert.equal(refused.code, 0, refused.output);
    assert.match(
      refused.output,
      /npm audit: NOT CHECKED, the advisory service cannot be reached \(ECONNREFUSED/,
    );

    answer = 'silent';
    const silent = await runAudit(registry, { npm_config_fetch_timeout: '1000' });
    assert.equal(silent.code, 0, silent.output);
    assert.match(silent.output, /npm audit: NOT CHECKED, the advisory service cannot be reached/);
    assert.doesNotMatch(
      silent.output,
      /critical \d/,
      'no verdict is printed for a service that did not answer',
    );
  });
});
