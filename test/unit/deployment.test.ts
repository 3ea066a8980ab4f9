/**
 * The deployment files, checked without Docker: docker-compose.yml against the Compose
 * Specification's JSON schema (shipped by the dclint package) and against this project's
 * rules (pinned images, dependencies, healthchecks, loopback-only ports, secrets in ignored
 * env files, every variable documented); the Dockerfile (non-root, healthcheck, stop signal,
 * no baked secrets, copies everything its entry points import); the env examples (every
 * variable is one the code reads). The healthcheck commands are run for real with node.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import { searchAttributeTypes } from '../../domain/search-attributes.js';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

// ---------------------------------------------------------------------------------------
// The files

interface Healthcheck {
  test?: string | string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  env_file?: string | (string | { path: string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: (string | { host_ip?: string; published?: string | number })[];
  expose?: (string | number)[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  healthcheck?: Healthcheck;
  deploy?: { replicas?: number | string };
  restart?: string;
  stop_grace_period?: string;
  stop_signal?: string;
}
interface Compose {
  name?: string;
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const composeText = read('docker-compose.yml');
const compose = load(composeText) as Compose;
const services = Object.entries(compose.services);
const dockerfile = read('Dockerfile');
const workerEnvExample = read('deploy/worker.env.example');
const postgresEnvExample = read('deploy/postgres.env.example');
const codecEnvExample = read('deploy/codec.env.example');
const readme = read('README.md');

const envOf = (s: Service): Record<string, string> =>
  Array.isArray(s.environment)
    ? Object.fromEntries(
        s.environment.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] as const),
      )
    : Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v ?? '')]));
const envFilesOf = (s: Service): string[] =>
  s.env_file === undefined
    ? []
    : (Array.isArray(s.env_file) ? s.env_file : [s.env_file]).map((f) =>
        typeof f === 'string' ? f : f.path,
      );
const dependsOf = (s: Service): Record<string, string> =>
  Array.isArray(s.depends_on)
    ? Object.fromEntries(s.depends_on.map((d) => [d, 'service_started']))
    : Object.fromEntries(
        Object.entries(s.depends_on ?? {}).map(([d, v]) => [d, v.condition ?? 'service_started']),
      );
const commandText = (c: string | string[] | undefined) => (Array.isArray(c) ? c.join(' ') : (c ?? ''));
/** Compose turns `$$` into `$`; what the container sees. */
const unescape = (s: string) => s.replaceAll('$$', '$');
const service = (name: string): Service => {
  const s = compose.services[name];
  assert.ok(s, `docker-compose.yml has a "${name}" service`);
  return s;
};
/** A service running this project's image (built from the Dockerfile). */
const ownServices = services.filter(([, s]) => s.build !== undefined);
const durationSeconds = (d: string): number => {
  let total = 0;
  for (const [, n, unit] of d.matchAll(/(\d+(?:\.\d+)?)(ms|us|h|m|s)/g))
    total += Number(n) * ({ h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001 }[unit!] ?? 0);
  return total;
};

/** Variable names in an env file: set (`NAME=`) and documented but commented (`# NAME=`). */
function envFileVariables(text: string): { set: Map<string, string>; documented: Set<string> } {
  const set = new Map<string, string>();
  const documented = new Set<string>();
  for (const line of text.split('\n')) {
    const active = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (active) {
      set.set(active[1]!, active[2]!);
      documented.add(active[1]!);
    }
    const commented = /^#\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (commented) documented.add(commented[1]!);
  }
  return { set, documented };
}

// ---------------------------------------------------------------------------------------
// The project's code: what it reads and imports

const codeDirs = ['config', 'codec', 'worker', 'client', 'observability', 'activities', 'clients', 'domain'];
function sourceFiles(dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(entry) && !entry.endsWith('.test.ts') ? [path] : [];
  });
}
const code = codeDirs
  .flatMap(sourceFiles)
  .map((f) => read(f))
  .join('\n');
/** Variables the code reads by name (process.env.X, env.X, env['X'], helper(env, 'X')). */
const readVariables = new Set(
  [
    ...code.matchAll(/\b(?:process\.env|env)\.([A-Z][A-Z0-9_]+)/g),
    ...code.matchAll(/\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g),
    ...code.matchAll(/\(env, '([A-Z][A-Z0-9_]+)'/g),
  ].map((m) => m[1]!),
);
/** Variables that may also come from a file: read through a `<NAME>_FILE`-aware helper. */
const fileVariables = new Set([...code.matchAll(/readSecret\(env, '([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]!));
const isReadByCode = (name: string) =>
  readVariables.has(name) ||
  new RegExp(`['"\`]${name}['"\`]`).test(code) ||
  (name.endsWith('_FILE') && fileVariables.has(name.slice(0, -'_FILE'.length)));

const importPattern =
  /(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]|new URL\(\s*['"](\.[^'"]+)['"]\s*,\s*import\.meta\.url/g;

/** Every project file the entry points reach, and every package they import. */
function importClosure(entries: string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (abs: string) => {
    const rel = relative(root, abs);
    if (files.has(rel)) return;
    files.add(rel);
    for (const m of readFileSync(abs, 'utf8').matchAll(importPattern)) {
      const spec = (m[1] ?? m[2] ?? m[3] ?? m[4])!;
      if (spec.startsWith('.')) {
        let target = resolve(dirname(abs), spec);
        if (!existsSync(target) && target.endsWith('.js')) target = `${target.slice(0, -3)}.ts`;
        assert.ok(existsSync(target), `${rel} imports ${spec}, which exists`);
        visit(target);
      } else if (!spec.startsWith('node:')) {
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
  };
  for (const e of entries) visit(join(root, e));
  return { files, packages };
}

// ---------------------------------------------------------------------------------------
// Dockerfile instructions (continuations joined, comments dropped)

const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const space = l.indexOf(' ');
    return { op: l.slice(0, space).toUpperCase(), args: l.slice(space + 1).trim() };
  });
const ops = (op: string) => instructions.filter((i) => i.op === op);
const dockerignore = read('.dockerignore')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

/** The exec-form HEALTHCHECK command (after its options). */
function dockerHealthcheck(): string[] {
  const [hc] = ops('HEALTHCHECK');
  assert.ok(hc, 'the Dockerfile has a HEALTHCHECK');
  const json = /\bCMD\s+(\[.*\])\s*$/.exec(hc.args);
  assert.ok(json, 'HEALTHCHECK uses the exec form CMD ["…"]');
  return JSON.parse(json[1]!) as string[];
}

/** Runs a healthcheck command (CMD form, node only) with the given environment; its exit code. */
function runHealthcheck(argv: string[], env: Record<string, string>): Promise<number | null> {
  const [cmd, ...rest] = argv[0] === 'CMD' ? argv.slice(1) : argv;
  assert.equal(cmd, 'node', 'the healthcheck runs node (slim images have no curl)');
  const child = spawn(process.execPath, rest, { env: { PATH: process.env.PATH, ...env }, stdio: 'ignore' });
  const timer = setTimeout(() => child.kill(), 10_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    }),
  );
}

async function withServer<T>(status: number, fn: (port: number) => Promise<T>): Promise<T> {
  const server: Server = createServer((req, res) => {
    res.statusCode = req.url === '/healthz' ? status : 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await fn((server.address() as AddressInfo).port);
  } finally {
    await new Promise((r) => server.close(r));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

// =======================================================================================

describe('docker-compose.yml', () => {
  test('is valid against the Compose Specification schema', () => {
    const require = createRequire(import.meta.url);
    const schemaPath = join(
      dirname(require.resolve('dclint/package.json')),
      'schemas',
      'compose.schema.json',
    );
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
    // Its $schema names draft-07 by an address Ajv does not know; Ajv's default is draft-07.
    delete schema.$schema;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);
    const valid = validate(compose);
    assert.ok(valid, `schema errors:\n${ajv.errorsText(validate.errors, { separator: '\n' })}`);
  });

  test('has the whole stack: database, Temporal, its setup, Temporal Web, codec server, workers', () => {
    for (const name of ['postgresql', 'temporal', 'temporal-setup', 'temporal-ui', 'codec-server', 'worker'])
      service(name);
  });

  test('every image is pinned, and Temporal to the server the tests use (1.29.x)', () => {
    for (const [name, s] of services) {
      if (s.image === undefined) {
        assert.ok(s.build, `${name}: an image or a build`);
        continue;
      }
      const tag = /:([^/]+)$/.exec(s.image)?.[1];
      assert.ok(tag && tag !== 'latest', `${name}: image ${s.image} has a tag other than latest`);
      if (s.build === undefined)
        assert.match(tag, /^\d+(\.\d+)+/, `${name}: ${s.image} is pinned to a version, not a moving tag`);
    }
    assert.match(service('temporal').image!, /^temporalio\/auto-setup:1\.29\.\d+$/);
    assert.match(service('temporal-setup').image!, /^temporalio\/admin-tools:1\.29\.\d+/);
    assert.match(service('temporal-ui').image!, /^temporalio\/ui:\d+\.\d+\.\d+$/);
  });

  test('the Temporal server: PostgreSQL, schema setup, the dynamic config file mounted', () => {
    const temporal = service('temporal');
    const env = envOf(temporal);
    assert.equal(env.DB, 'postgres12');
    assert.equal(env.POSTGRES_SEEDS, 'postgresql');
    assert.ok(env.DYNAMIC_CONFIG_FILE_PATH);
    const target = `/etc/temporal/${env.DYNAMIC_CONFIG_FILE_PATH}`;
    const mount = (temporal.volumes ?? []).find((v) => typeof v === 'string' && v.split(':')[1] === target);
    assert.ok(mount, `the dynamic config file is mounted at ${target}`);
    const source = (mount as string).split(':')[0]!;
    assert.ok(existsSync(join(root, source)), `${source} exists`);
    const dynamicConfig = load(read(source)) as Record<string, { value: unknown }[]>;
    for (const [key, values] of Object.entries(dynamicConfig)) {
      assert.match(key, /^[a-z]+\.[A-Za-z.]+$/, `dynamic config key ${key}`);
      assert.ok(Array.isArray(values) && values.every((v) => 'value' in v), `${key}: a list of { value }`);
    }
  });

  test('depends_on names existing services, with conditions they can meet', () => {
    for (const [name, s] of services) {
      for (const [dep, condition] of Object.entries(dependsOf(s))) {
        const target = compose.services[dep];
        assert.ok(target, `${name} depends on ${dep}, which exists`);
        assert.ok(
          ['service_started', 'service_healthy', 'service_completed_successfully'].includes(condition),
          `${name} → ${dep}: condition ${condition}`,
        );
        if (condition === 'service_healthy')
          assert.ok(
            target.healthcheck || (target.build !== undefined && ops('HEALTHCHECK').length > 0),
            `${name} waits for ${dep} to be healthy, so ${dep} has a healthcheck`,
          );
        if (condition === 'service_completed_successfully')
          assert.equal(target.restart ?? 'no', 'no', `${dep} is a one-shot (restart: "no")`);
      }
    }
  });

  test('long-running services have healthchecks and restart; PostgreSQL keeps its data in a volume', () => {
    for (const [name, s] of services) {
      if (s.restart === 'no') continue;
      assert.equal(s.restart, 'unless-stopped', `${name}: restart`);
      const ownHealthcheck = s.healthcheck && !s.healthcheck.disable;
      assert.ok(ownHealthcheck || s.build !== undefined || name === 'temporal-ui', `${name}: healthcheck`);
    }
    const pg = service('postgresql');
    assert.ok(
      (pg.volumes ?? []).some((v) => typeof v === 'string' && v.endsWith(':/var/lib/postgresql/data')),
      'postgres data on a volume',
    );
  });

  test('named volumes are declared, bind-mounted files exist', () => {
    for (const [name, s] of services) {
      for (const v of s.volumes ?? []) {
        const source = typeof v === 'string' ? v.split(':')[0]! : (v.source ?? '');
        if (source.startsWith('.') || source.startsWith('/')) {
          if (source.startsWith('.')) assert.ok(existsSync(join(root, source)), `${name}: ${source} exists`);
        } else {
          assert.ok(compose.volumes && source in compose.volumes, `${name}: volume ${source} is declared`);
        }
      }
    }
  });

  test('ports are published on 127.0.0.1 only; the database is not published', () => {
    for (const [name, s] of services) {
      for (const p of s.ports ?? []) {
        if (typeof p === 'string') assert.match(p, /^127\.0\.0\.1:\d+:\d+$/, `${name}: port ${p}`);
        else assert.equal(p.host_ip, '127.0.0.1', `${name}: port ${JSON.stringify(p)}`);
      }
    }
    assert.equal(service('postgresql').ports, undefined);
  });

  test('secrets come from env files that git ignores, each with a committed example', () => {
    const envFiles = new Set(services.flatMap(([, s]) => envFilesOf(s)));
    assert.ok(envFiles.has('deploy/worker.env'));
    for (const f of envFiles) {
      assert.match(f, /^deploy\/[a-z-]+\.env$/, `${f} lives in deploy/`);
      assert.ok(existsSync(join(root, `${f}.example`)), `${f}.example is committed`);
      const ignored = (path: string) => {
        const r = spawnSync('git', ['check-ignore', '-q', '--no-index', path], { cwd: root });
        return r.error ? undefined : r.status === 0;
      };
      const envIgnored = ignored(f);
      if (envIgnored === undefined) continue; // no git here: nothing to ask
      assert.equal(envIgnored, true, `git ignores ${f}`);
      assert.equal(ignored(`${f}.example`), false, `git does not ignore ${f}.example`);
    }
    for (const [name, s] of services) {
      for (const [key, value] of Object.entries(envOf(s)))
        // TEMPORAL_CODEC_PASS_ACCESS_TOKEN is a switch ("true"), not a token.
        if (/PASSWORD|SECRET|API_KEY|TOKEN|PAYLOAD_KEYS$|PWD/.test(key) && !/_PASS_ACCESS_TOKEN$/.test(key))
          assert.fail(
            `${name}: ${key}=${value ? '…' : ''} belongs in an env file, not in docker-compose.yml`,
          );
    }
  });

  test('every ${VAR} in the file is documented (its header, an env example, or the README)', () => {
    const header = composeText.split('\nname:')[0]!;
    const documented = new Set([
      ...envFileVariables(workerEnvExample).documented,
      ...envFileVariables(postgresEnvExample).documented,
    ]);
    const withoutEscapes = composeText.replaceAll('$$', '');
    const used = new Set([...withoutEscapes.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));
    assert.ok(used.size > 0);
    for (const v of used)
      assert.ok(
        documented.has(v) || new RegExp(`#\\s+${v}\\s`).test(header) || readme.includes(`\`${v}\``),
        `${v} is documented`,
      );
  });

  test('the workers: several replicas of the image, time to finish activities on stop, health and metrics', () => {
    const worker = service('worker');
    const build = worker.build;
    const context = typeof build === 'string' ? build : (build?.context ?? '.');
    assert.equal(context, '.');
    assert.ok(existsSync(join(root, context, 'Dockerfile')));
    const replicas = String(worker.deploy?.replicas ?? '1');
    assert.ok(Number(/(\d+)\}?$/.exec(replicas)?.[1]) >= 2, `several workers by default (${replicas})`);
    assert.ok(
      durationSeconds(worker.stop_grace_period ?? '10s') >= 60,
      `stop_grace_period ${worker.stop_grace_period} leaves running activities time to finish`,
    );
    const grace = /^#?\s*WORKER_SHUTDOWN_GRACE=(\S+)$/m.exec(workerEnvExample)?.[1];
    assert.ok(grace, 'deploy/worker.env.example documents WORKER_SHUTDOWN_GRACE');
    assert.ok(
      durationSeconds(worker.stop_grace_period!) >= durationSeconds(grace) + 15,
      `stop_grace_period ${worker.stop_grace_period} outlasts the worker's own grace time ${grace}`,
    );
    assert.equal(worker.stop_signal ?? 'SIGTERM', 'SIGTERM');
    assert.equal(worker.ports, undefined, 'replicas publish no fixed host ports (they would collide)');
    assert.deepEqual(envFilesOf(worker), ['deploy/worker.env']);
    const env = envOf(worker);
    assert.match(env.HEALTH_BIND_ADDRESS ?? '', /^0\.0\.0\.0:\d+$/);
    assert.match(env.METRICS_BIND_ADDRESS ?? '', /^0\.0\.0\.0:\d+$/);
    const exposed = (worker.expose ?? []).map(String);
    for (const a of [env.HEALTH_BIND_ADDRESS!, env.METRICS_BIND_ADDRESS!])
      assert.ok(exposed.includes(a.split(':')[1]!), `port of ${a} is exposed`);
    assert.equal(dependsOf(worker)['temporal-setup'], 'service_completed_successfully');
  });

  test('the setup job registers exactly the search attributes the workflow writes', () => {
    const script = unescape(commandText(service('temporal-setup').command));
    assert.match(script, /temporal operator search-attribute create/);
    const pairs = [...script.matchAll(/\b(Import[A-Za-z]+)=(Keyword|Int|Text|Bool|Double|Datetime)\b/g)].map(
      (m) => [m[1]!, m[2]!] as const,
    );
    assert.deepEqual(Object.fromEntries(pairs), searchAttributeTypes);
  });

  test('Temporal Web reaches the codec server the way a browser does, and the codec server allows that origin', () => {
    const ui = envOf(service('temporal-ui'));
    const codec = service('codec-server');
    const codecEnv = envOf(codec);
    assert.equal(ui.TEMPORAL_ADDRESS, 'temporal:7233');
    // The browser calls the codec server: a loopback URL on its published port, not a container name.
    const endpointDefault =
      /:-([^}]+)\}$/.exec(ui.TEMPORAL_CODEC_ENDPOINT ?? '')?.[1] ?? ui.TEMPORAL_CODEC_ENDPOINT!;
    const endpoint = new URL(endpointDefault);
    assert.equal(endpoint.hostname, '127.0.0.1');
    assert.ok(
      (codec.ports ?? []).some(
        (p) => typeof p === 'string' && p === `127.0.0.1:${endpoint.port}:${codecEnv.CODEC_SERVER_PORT}`,
      ),
      'the codec endpoint is the codec server published on loopback',
    );
    // The codec server accepts calls from wherever Temporal Web is opened.
    assert.equal(codecEnv.CODEC_CORS_ORIGINS, ui.TEMPORAL_CORS_ORIGINS);
    const uiPort = (service('temporal-ui').ports as string[])[0]!.split(':')[1];
    const origins = /:-([^}]+)\}$/.exec(ui.TEMPORAL_CORS_ORIGINS ?? '')?.[1] ?? '';
    assert.ok(
      origins.split(',').every((o) => new URL(o).port === uiPort),
      `origins ${origins} use port ${uiPort}`,
    );
    assert.equal(codecEnv.CODEC_SERVER_HOST, '0.0.0.0', 'reachable from outside its container');
    // A browser cannot send the static codec token: Temporal Web passes the user's access token,
    // and the codec server checks it against the JWKS the frontend trusts, for the same namespace.
    assert.equal(ui.TEMPORAL_CODEC_PASS_ACCESS_TOKEN, 'true');
    assert.equal(ui.TEMPORAL_CODEC_INCLUDE_CREDENTIALS, 'false', 'a bearer header, no cookies');
    assert.equal(codecEnv.CODEC_JWKS_URL, envOf(service('temporal')).TEMPORAL_JWT_KEY_SOURCE1);
    assert.equal(codecEnv.TEMPORAL_NAMESPACE, ui.TEMPORAL_DEFAULT_NAMESPACE);
    const codecServer = read('codec/server.ts');
    assert.match(
      codecServer,
      /allowedHeaders: \[[^\]]*'authorization'/,
      'CORS lets the browser send the token',
    );
    assert.match(read('codec/main.ts'), /createJwtVerifier\(jwt/, 'the codec server checks those tokens');
    assert.deepEqual(codec.command, ['node', '--import', 'tsx', 'codec/main.ts']);
    assert.ok(existsSync(join(root, 'codec/main.ts')));
    assert.deepEqual(envFilesOf(codec), ['deploy/codec.env'], 'an env file of its own');
    assert.deepEqual(
      [...envFileVariables(codecEnvExample).documented].sort(),
      [
        'CODEC_ALLOWED_HOSTS',
        'CODEC_AUTH_TOKEN',
        'CODEC_AUTH_TOKEN_FILE',
        'PAYLOAD_KEYS',
        'PAYLOAD_KEYS_FILE',
      ],
      'the payload keys and its own access settings, not the workers’ credentials',
    );
    assert.ok(
      envFileVariables(codecEnvExample).set.has('CODEC_AUTH_TOKEN'),
      'a token: it listens beyond loopback in its container',
    );
  });

  test('all of this project’s services run one image built from the Dockerfile', () => {
    assert.ok(ownServices.length >= 2);
    assert.equal(new Set(ownServices.map(([, s]) => s.image)).size, 1);
  });
});

describe('healthchecks, run with node', () => {
  test('the image’s healthcheck: 200 on /healthz is healthy, anything else is not', async () => {
    const argv = dockerHealthcheck();
    await withServer(200, async (port) =>
      assert.equal(await runHealthcheck(argv, { HEALTH_BIND_ADDRESS: `0.0.0.0:${port}` }), 0),
    );
    await withServer(503, async (port) =>
      assert.equal(await runHealthcheck(argv, { HEALTH_BIND_ADDRESS: `127.0.0.1:${port}` }), 1),
    );
    const nobody = await freePort();
    assert.equal(await runHealthcheck(argv, { HEALTH_BIND_ADDRESS: `0.0.0.0:${nobody}` }), 1);
  });

  test('the codec server’s healthcheck', async () => {
    const test = service('codec-server').healthcheck?.test;
    assert.ok(Array.isArray(test));
    const argv = test.map(unescape);
    await withServer(200, async (port) =>
      assert.equal(await runHealthcheck(argv, { CODEC_SERVER_PORT: String(port) }), 0),
    );
    const nobody = await freePort();
    assert.equal(await runHealthcheck(argv, { CODEC_SERVER_PORT: String(nobody) }), 1);
  });
});

describe('Dockerfile', () => {
  test('node:20-slim, production dependencies only, the worker by default', () => {
    assert.deepEqual(
      ops('FROM').map((i) => i.args),
      ['node:20-slim'],
    );
    assert.ok(
      ops('RUN').some((i) => /\bnpm ci\b.*--omit=dev/.test(i.args)),
      'npm ci --omit=dev',
    );
    const cmd = ops('CMD').at(-1);
    assert.ok(cmd);
    assert.deepEqual(JSON.parse(cmd.args), ['node', '--import', 'tsx', 'worker/main.ts']);
  });

  test('runs as a non-root user from before CMD on', () => {
    const users = instructions.map((i, index) => ({ ...i, index })).filter((i) => i.op === 'USER');
    const last = users.at(-1);
    assert.ok(last, 'a USER instruction');
    assert.doesNotMatch(last.args, /^(root|0)(:|$)/);
    const cmdIndex = instructions.findIndex((i) => i.op === 'CMD');
    assert.ok(last.index < cmdIndex, 'USER comes before CMD');
  });

  test('has a HEALTHCHECK with sane timings and stops on SIGTERM', () => {
    const [hc] = ops('HEALTHCHECK');
    assert.ok(hc);
    for (const option of ['interval', 'timeout', 'start-period', 'retries'])
      assert.match(hc.args, new RegExp(`--${option}=`), `HEALTHCHECK --${option}`);
    assert.deepEqual(
      ops('STOPSIGNAL').map((i) => i.args),
      ['SIGTERM'],
    );
  });

  test('exposes the health and metrics ports it sets', () => {
    const env = Object.fromEntries(
      ops('ENV').flatMap((i) => [...i.args.matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)].map((m) => [m[1]!, m[2]!])),
    );
    const exposed = ops('EXPOSE').flatMap((i) => i.args.split(/\s+/));
    for (const name of ['HEALTH_BIND_ADDRESS', 'METRICS_BIND_ADDRESS']) {
      assert.match(env[name] ?? '', /^0\.0\.0\.0:\d+$/, `ENV ${name}`);
      assert.ok(exposed.includes(env[name]!.split(':')[1]!), `EXPOSE ${env[name]}`);
    }
    assert.ok(exposed.includes(env.CODEC_SERVER_PORT ?? ''), 'EXPOSE the codec server port');
  });

  test('bakes in no secrets', () => {
    for (const i of [...ops('ENV'), ...ops('ARG')])
      for (const m of i.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=/g))
        assert.doesNotMatch(m[1]!, /KEY|SECRET|PASSWORD|TOKEN|PWD|SMTP_URL/i, `${i.op} ${m[1]} in the image`);
    assert.ok(
      dockerignore.includes('**/.env') && dockerignore.includes('**/*.env'),
      '.dockerignore drops env files',
    );
  });

  test('copies sources that exist and that .dockerignore lets through', () => {
    assert.equal(dockerignore[0], '*', '.dockerignore is an allow-list');
    const allowed = new Set(
      dockerignore.filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, '')),
    );
    for (const c of ops('COPY')) {
      const parts = c.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const source of parts.slice(0, -1)) {
        assert.ok(existsSync(join(root, source)), `COPY ${source}: exists`);
        assert.ok(allowed.has(source.replace(/\/$/, '')), `COPY ${source}: allowed by .dockerignore`);
      }
    }
    for (const secretish of ['.env', 'deploy', 'node_modules', '.git', 'test', '.data'])
      assert.ok(!allowed.has(secretish), `.dockerignore keeps ${secretish} out`);
  });

  test('the image holds every file the worker, codec server and CLI import, and their packages are production dependencies', () => {
    const copied = ops('COPY')
      .map((c) => c.args.split(/\s+/).filter((p) => !p.startsWith('--')))
      .flatMap((parts) => parts.slice(0, -1));
    const entries = ['worker/main.ts', 'codec/main.ts', 'client/cli.ts', 'bin/personio-jumpcloud-sync.js'];
    const { files, packages } = importClosure(entries);
    for (const f of files)
      assert.ok(
        copied.some((c) => f === c || f.startsWith(`${c.replace(/\/$/, '')}/`)),
        `${f} is copied into the image`,
      );
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    for (const p of packages)
      assert.ok(p in pkg.dependencies, `${p} is a dependency (npm ci --omit=dev leaves devDependencies out)`);
    assert.ok('tsx' in pkg.dependencies, 'tsx runs the sources at run time');
  });

  test('the production install holds no package only tests, the sandbox or the bench need', () => {
    const entries = ['worker/main.ts', 'codec/main.ts', 'client/cli.ts', 'bin/personio-jumpcloud-sync.js'];
    const { packages } = importClosure(entries);
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    // Loaded by name rather than imported: tsx runs the sources (CMD node --import tsx),
    // pino-pretty is pino's transport for LOG_FORMAT=pretty; protobufjs is loaded by
    // @temporalio/proto and @temporalio/common (pinned here to the version they share).
    const loadedByName = new Set(['tsx', 'pino-pretty', 'protobufjs']);
    const unused = Object.keys(pkg.dependencies).filter((p) => !packages.has(p) && !loadedByName.has(p));
    assert.deepEqual(unused, [], 'dependencies the image never loads: move them to devDependencies');
    for (const testOnly of ['@temporalio/testing', '@fastify/formbody'])
      assert.ok(!(testOnly in pkg.dependencies), `${testOnly} is not a production dependency`);
  });
});

describe('env examples', () => {
  const worker = envFileVariables(workerEnvExample);

  test('every variable in deploy/worker.env.example is one the code reads', () => {
    assert.ok(worker.documented.size > 20);
    const unread = [...worker.documented].filter((v) => !isReadByCode(v));
    assert.deepEqual(unread, [], 'variables no code reads');
  });

  test('documents every variable the code reads', () => {
    const names = new Set(
      [
        ...code.matchAll(/\b(?:process\.env|env)\.([A-Z][A-Z0-9_]+)/g),
        ...code.matchAll(/\(env, '([A-Z][A-Z0-9_]+)'/g),
      ].map((m) => m[1]!),
    );
    // The codec server's own listening settings are set by docker-compose.yml.
    const setByCompose = new Set(Object.keys(envOf(service('codec-server'))));
    const codec = envFileVariables(codecEnvExample).documented;
    const missing = [...names].filter(
      (n) => !worker.documented.has(n) && !codec.has(n) && !setByCompose.has(n),
    );
    assert.deepEqual(missing, [], 'undocumented variables');
  });

  test('the example holds placeholders, never something that looks like a real secret', () => {
    for (const [name, value] of [...worker.set, ...envFileVariables(codecEnvExample).set]) {
      if (/SECRET|API_KEY|PASSWORD|TOKEN|PAYLOAD_KEYS$/.test(name))
        assert.match(value, /REPLACE/i, `${name} is a placeholder`);
    }
    const required = ['PERSONIO_CLIENT_ID', 'PERSONIO_CLIENT_SECRET', 'JUMPCLOUD_API_KEY', 'PAYLOAD_KEYS'];
    for (const name of required) assert.ok(worker.set.has(name), `${name} is in the example`);
    assert.equal(worker.set.get('TEMPORAL_ADDRESS'), 'temporal:7233', 'the compose stack’s server');
  });

  test('values are literal for compose: no quotes, no $, no trailing comments', () => {
    for (const text of [workerEnvExample, postgresEnvExample, codecEnvExample])
      for (const line of text.split('\n').filter((l) => /^[A-Z]/.test(l)))
        assert.doesNotMatch(line, /=["']|\$| #/, line);
  });

  test('the database example: one password under both names the images read', () => {
    const pg = envFileVariables(postgresEnvExample).set;
    assert.ok(pg.get('POSTGRES_USER'));
    assert.equal(pg.get('POSTGRES_PWD'), pg.get('POSTGRES_PASSWORD'));
  });
});
