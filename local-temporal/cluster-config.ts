/**
 * The Temporal server's static configuration for each service process of `npm run cluster`,
 * after the module's config/development-postgres12.yaml and the docker.yaml template the
 * official image renders (TLS and authorization sections). YAML is a superset of JSON, so the
 * files are written as JSON.
 *
 * Every process reads the same settings except its own service's ports: services find each
 * other through membership (the cluster_membership table) on 127.0.0.1.
 */
import type { ClusterCerts } from './cluster-certs.js';
import { CLUSTER_SERVER_NAME } from './cluster-certs.js';

export type Role = 'frontend' | 'internal-frontend' | 'history' | 'matching' | 'worker';

export interface ServiceProcess {
  role: Role;
  /** 1-based instance number within its role. */
  n: number;
  grpcPort: number;
  membershipPort: number;
  /** Frontend only: the HTTP API (off elsewhere). */
  httpPort?: number;
}

export const processName = (p: Pick<ServiceProcess, 'role' | 'n'>) => `${p.role}-${p.n}`;

export interface ClusterSettings {
  postgres: { port: number; password: string };
  certs: ClusterCerts;
  jwksUrl: string;
  dynamicConfigFile: string;
  logLevel: string;
  numHistoryShards: number;
  processes: ServiceProcess[];
}

function sqlStore(database: string, settings: ClusterSettings, maxConns: number) {
  return {
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `127.0.0.1:${settings.postgres.port}`,
      connectProtocol: 'tcp',
      user: 'temporal',
      password: settings.postgres.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  };
}

/** The configuration one process reads (`--config <dir> --env <name>`). */
export function serverConfig(settings: ClusterSettings, self: ServiceProcess): Record<string, unknown> {
  const { certs } = settings;
  // The first instance of each role names the ports; this process's own role gets its own.
  const services: Record<string, unknown> = {};
  for (const p of settings.processes) {
    if (services[p.role] && !(p.role === self.role && p.n === self.n)) continue;
    const mine = p.role === self.role ? self : p;
    services[p.role] = {
      rpc: {
        grpcPort: mine.grpcPort,
        membershipPort: mine.membershipPort,
        bindOnIP: '127.0.0.1',
        ...(mine.httpPort ? { httpPort: mine.httpPort } : {}),
      },
    };
  }
  const frontend = settings.processes.find((p) => p.role === 'frontend')!;
  return {
    log: { stdout: true, level: settings.logLevel },
    persistence: {
      numHistoryShards: settings.numHistoryShards,
      defaultStore: 'default',
      visibilityStore: 'visibility',
      datastores: {
        default: sqlStore('temporal', settings, 20),
        visibility: sqlStore('temporal_visibility', settings, 10),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      pprof: { port: 0 },
      tls: {
        // Between the services (history, matching, internal-frontend): mutual TLS with the
        // internode certificate, which each side presents as server and as client.
        internode: {
          server: {
            certFile: certs.internodeCert,
            keyFile: certs.internodeKey,
            requireClientAuth: true,
            clientCaFiles: [certs.ca],
          },
          client: { serverName: CLUSTER_SERVER_NAME, rootCaFiles: [certs.ca] },
        },
        // Clients (workers, the CLI, Temporal Web) reach the frontend with a certificate the
        // cluster's CA signed, or not at all.
        frontend: {
          server: {
            certFile: certs.frontendCert,
            keyFile: certs.frontendKey,
            requireClientAuth: true,
            clientCaFiles: [certs.ca],
          },
          client: { serverName: CLUSTER_SERVER_NAME, rootCaFiles: [certs.ca] },
        },
      },
      authorization: {
        jwtKeyProvider: { keySourceURIs: [settings.jwksUrl], refreshInterval: '1m' },
        permissionsClaimName: 'permissions',
        authorizer: 'default',
        claimMapper: 'default',
      },
    },
    // No publicClient: with an internal-frontend, the server's own worker service reaches
    // the frontend API through it (internode mTLS, no tokens), as Temporal recommends when
    // an authorizer and claim mapper are on.
    services,
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${frontend.grpcPort}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    dynamicConfigClient: { filepath: settings.dynamicConfigFile, pollInterval: '10s' },
  };
}
