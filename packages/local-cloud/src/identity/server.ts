/**
 * The identity provider's HTTP server (node:http, 127.0.0.1). Routes:
 *
 *   POST /                                        Cognito JSON API (X-Amz-Target: AWSCognitoIdentityProviderService.<Op>)
 *   GET  /{poolId}/.well-known/jwks.json          the pool's public keys
 *   GET  /{poolId}/.well-known/openid-configuration
 *   POST /{poolId}/oauth2/token                   (also /oauth2/token: the client id picks the pool)
 *   GET  /{poolId}/oauth2/authorize               login page (also /oauth2/authorize)
 *   POST /{poolId}/login                          login form target → redirect with ?code
 *   GET|POST /{poolId}/oauth2/userInfo            (also /oauth2/userInfo)
 *   POST /{poolId}/oauth2/revoke                  (also /oauth2/revoke)
 *   GET  /{poolId}/logout                         (also /logout)
 *   GET  /_local/codes/{poolId}/{username}        the user's last confirmation / reset code (local only)
 *   POST /_local/aged-token                       an access token re-signed as if issued earlier (local only)
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { systemClock } from '../clock.js';
import type { RunningService } from '../service.js';
import { operations } from './cognito-api.js';
import { IdentityCore } from './core.js';
import { CognitoError } from './errors.js';
import { exportPoolKeys, generatePoolKeys, importPoolKeys, jwksOf } from './keys.js';
import { agedTokenEndpoint } from './local-admin.js';
import {
  authorizeEndpoint,
  type HttpReply,
  json,
  loginEndpoint,
  logoutEndpoint,
  revokeEndpoint,
  tokenEndpoint,
  userInfoEndpoint,
} from './oauth2.js';
import { UserPool, validatePoolConfig } from './pool.js';
import type { DemoUser, IdentityProviderOptions, PoolSigningKeys } from './types.js';

export interface IdentityProvider {
  /** `${url}/${poolId}`: the `iss` of the pool's tokens and the base of its discovery document. */
  issuerFor(poolId: string): string;
  /** `${issuer}/.well-known/jwks.json`. */
  jwksUriFor(poolId: string): string;
  /** Where the pool's OAuth2 endpoints live (Cognito's `https://{domain}.auth.{region}.amazoncognito.com`). */
  oauthBaseUrlFor(poolId: string): string;
  /** `${oauthBaseUrl}/oauth2/token`. */
  tokenEndpointFor(poolId: string): string;
  /** Seeded users, with their passwords, for the start-up table. */
  demoUsers(): DemoUser[];
  /** A client's secret (configured or generated at start), as DescribeUserPoolClient returns it. */
  clientSecretOf(clientId: string): string | undefined;
  /** The last confirmation / password-reset code sent to a user (username, email or sub). */
  lastCodeFor(
    poolId: string,
    username: string,
  ): { code: string; purpose: string; expiresAt: number } | undefined;
  /** The pools' private signing keys, to pass back as `signingKeys` so tokens survive a restart. */
  exportSigningKeys(): Record<string, PoolSigningKeys>;
}

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const MAX_BODY = 1024 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new CognitoError('SerializationException', 'Request body too large', 413));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, reply: HttpReply): void {
  response.writeHead(reply.status, {
    'access-control-allow-origin': '*',
    'access-control-expose-headers': 'x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date',
    ...reply.headers,
  });
  response.end(reply.body);
}

function cognitoReply(status: number, value: unknown, requestId: string, errorType?: string): HttpReply {
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': requestId,
      ...(errorType ? { 'x-amzn-errortype': `${errorType}:` } : {}),
    },
    body: JSON.stringify(value),
  };
}

function discovery(core: IdentityCore, pool: UserPool) {
  const issuer = core.issuerFor(pool.id);
  const oauth = issuer;
  return {
    authorization_endpoint: `${oauth}/oauth2/authorize`,
    end_session_endpoint: `${oauth}/logout`,
    id_token_signing_alg_values_supported: ['RS256'],
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code', 'token'],
    revocation_endpoint: `${oauth}/oauth2/revoke`,
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
    token_endpoint: `${oauth}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    userinfo_endpoint: `${oauth}/oauth2/userInfo`,
  };
}

async function handleCognito(core: IdentityCore, request: IncomingMessage, body: string): Promise<HttpReply> {
  const requestId = randomUUID();
  const target = String(request.headers['x-amz-target'] ?? '');
  const op = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
  try {
    const operation = Object.hasOwn(operations, op) ? operations[op] : undefined;
    if (!operation) {
      throw new CognitoError(
        'UnknownOperationException',
        target
          ? `The local identity provider does not implement the Cognito operation ${op}`
          : 'Missing X-Amz-Target header',
      );
    }
    let input: unknown;
    try {
      input = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      throw new CognitoError('SerializationException', 'Start of structure or map found where not expected.');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new CognitoError('SerializationException', 'Expected a JSON object');
    }
    const output = await operation(core, input as Record<string, unknown>);
    return cognitoReply(200, output, requestId);
  } catch (error) {
    if (error instanceof CognitoError) {
      core.log(`identity: ${op || '(no target)'} → ${error.type}: ${error.message}`);
      return cognitoReply(
        error.status,
        { __type: error.type, message: error.message },
        requestId,
        error.type,
      );
    }
    core.log(`identity: ${op} failed: ${(error as Error).stack ?? String(error)}`);
    return cognitoReply(
      500,
      { __type: 'InternalErrorException', message: 'Internal error in the local identity provider' },
      requestId,
      'InternalErrorException',
    );
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function route(core: IdentityCore, request: IncomingMessage): Promise<HttpReply> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';
  const segments = url.pathname.split('/').filter(Boolean).map(safeDecode);
  const body = method === 'POST' ? await readBody(request) : '';

  if (method === 'OPTIONS') {
    return {
      status: 204,
      headers: {
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': String(request.headers['access-control-request-headers'] ?? '*'),
        'access-control-max-age': '86400',
      },
      body: '',
    };
  }
  if (segments.length === 0) {
    if (method === 'POST') return handleCognito(core, request, body);
    return json(200, {
      service: 'local identity provider (Cognito-shaped)',
      pools: [...core.pools.values()].map((pool) => ({ id: pool.id, issuer: core.issuerFor(pool.id) })),
    });
  }
  if (
    segments[0] === '_local' &&
    segments[1] === 'aged-token' &&
    segments.length === 2 &&
    method === 'POST'
  ) {
    return agedTokenEndpoint(core, body);
  }
  if (segments[0] === '_local' && segments[1] === 'codes' && segments.length === 4 && method === 'GET') {
    const pool = core.pools.get(segments[2] ?? '');
    const user = pool?.resolve(segments[3] ?? '');
    if (!pool || !user?.code) return json(404, { message: 'No pending code for this user' });
    return json(200, {
      poolId: pool.id,
      username: user.username,
      code: user.code.code,
      purpose: user.code.purpose,
      expiresAt: new Date(user.code.expiresAt).toISOString(),
    });
  }

  // /{poolId}/... or the pool-less /oauth2/... forms.
  const pool = core.pools.get(segments[0] ?? '');
  const rest = pool ? segments.slice(1) : segments;
  const poolId = pool?.id;
  const path = rest.join('/');
  if (pool && method === 'GET' && path === '.well-known/jwks.json') {
    return json(200, jwksOf(pool.keys), { 'cache-control': 'max-age=300' });
  }
  if (pool && method === 'GET' && path === '.well-known/openid-configuration') {
    return json(200, discovery(core, pool));
  }
  if (path === 'oauth2/token' && method === 'POST') return tokenEndpoint(core, poolId, request.headers, body);
  if (path === 'oauth2/authorize' && method === 'GET')
    return authorizeEndpoint(core, poolId, url.searchParams);
  if (pool && path === 'login' && method === 'POST') return loginEndpoint(core, pool.id, body);
  if (path === 'oauth2/revoke' && method === 'POST')
    return revokeEndpoint(core, poolId, request.headers, body);
  if (path === 'logout' && method === 'GET') return logoutEndpoint(core, poolId, url.searchParams);
  if (path.toLowerCase() === 'oauth2/userinfo' && (method === 'GET' || method === 'POST')) {
    return userInfoEndpoint(core, request.headers.authorization, poolId);
  }
  return json(404, { message: `No route for ${method} ${url.pathname} on the local identity provider` });
}

/** Starts the identity provider. Key generation (two RSA-2048 pairs per pool) runs in parallel. */
export async function startIdentityProvider(
  options: IdentityProviderOptions,
): Promise<IdentityProvider & RunningService> {
  const clock = options.clock ?? systemClock;
  const core = new IdentityCore(
    clock,
    options.masterCode === undefined ? '000000' : options.masterCode,
    options.log ?? (() => {}),
    '123456789012',
  );
  const poolIds = new Set<string>();
  const clientIds = new Set<string>();
  for (const config of options.pools) {
    if (poolIds.has(config.id)) throw new Error(`identity: user pool ${config.id} is configured twice`);
    poolIds.add(config.id);
    validatePoolConfig(config);
    for (const client of config.clients ?? []) {
      if (clientIds.has(client.clientId))
        throw new Error(`identity: client id ${client.clientId} is used twice`);
      clientIds.add(client.clientId);
    }
  }
  const keys = await Promise.all(
    options.pools.map((config) => {
      const saved = options.signingKeys?.[config.id];
      return saved ? importPoolKeys(saved) : generatePoolKeys();
    }),
  );
  options.pools.forEach((config, i) => {
    const poolKeys = keys[i];
    if (!poolKeys) throw new Error(`identity: no keys for ${config.id}`);
    core.pools.set(config.id, new UserPool(config, poolKeys, clock.now()));
  });
  for (const pool of core.pools.values()) core.addTemplateUsers(pool);
  await core.seed(options.seedUsers ?? []);

  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    route(core, request).then(
      (reply) => send(response, reply),
      (error: unknown) => {
        const status = error instanceof CognitoError ? error.status : 500;
        if (!(error instanceof CognitoError)) core.log(`identity: request failed: ${String(error)}`);
        if (!response.headersSent)
          send(response, json(status, { message: 'Internal error in the local identity provider' }));
      },
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  core.baseUrl = url;

  let closing: Promise<void> | undefined;
  const requirePool = (poolId: string) => core.pool(poolId).id;
  return {
    url,
    issuerFor: (poolId) => core.issuerFor(requirePool(poolId)),
    jwksUriFor: (poolId) => `${core.issuerFor(requirePool(poolId))}/.well-known/jwks.json`,
    oauthBaseUrlFor: (poolId) => `${url}/${requirePool(poolId)}`,
    tokenEndpointFor: (poolId) => `${url}/${requirePool(poolId)}/oauth2/token`,
    demoUsers: () => core.demoUsers.map((user) => ({ ...user, groups: [...user.groups] })),
    clientSecretOf: (clientId) => core.findClient(clientId)?.client.clientSecret,
    lastCodeFor: (poolId, username) => {
      const code = core.pools.get(poolId)?.resolve(username)?.code;
      return code ? { ...code } : undefined;
    },
    exportSigningKeys: () =>
      Object.fromEntries([...core.pools.values()].map((pool) => [pool.id, exportPoolKeys(pool.keys)])),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
