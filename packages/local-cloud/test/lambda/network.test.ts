import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaRuntime } from '../../src/lambda';
import { compileHostRewrites, rewriteUrl } from '../../src/lambda/network';
import { expectOk, fnConfig, lambdaTestbed } from './fixtures';

const bed = lambdaTestbed();

interface Seen {
  method: string;
  url: string;
  host: string | undefined;
  forwardedHost: string | undefined;
  forwardedProto: string | undefined;
  body: string;
}

describe('host rewrite rules', () => {
  const rules = compileHostRewrites([
    { host: '*.execute-api.*.amazonaws.com', target: 'http://127.0.0.1:4000' },
    { host: /^cognito-idp\.[a-z0-9-]+\.amazonaws\.com$/g, target: 'http://127.0.0.1:5000/idp/' },
  ]);

  it('matches one DNS label per wildcard, case-insensitively', () => {
    expect(
      rewriteUrl(rules, 'https://abc123.execute-api.us-east-1.amazonaws.com/dev/notes?x=1')?.url.href,
    ).toBe('http://127.0.0.1:4000/dev/notes?x=1');
    expect(rewriteUrl(rules, 'https://ABC.Execute-Api.eu-west-1.amazonaws.com/')?.originalHost).toBe(
      'abc.execute-api.eu-west-1.amazonaws.com',
    );
    expect(rewriteUrl(rules, 'https://a.b.execute-api.us-east-1.amazonaws.com/')).toBeUndefined();
    expect(rewriteUrl(rules, 'https://execute-api.us-east-1.amazonaws.com.evil.example/')).toBeUndefined();
    expect(rewriteUrl(rules, 'https://dynamodb.us-east-1.amazonaws.com/')).toBeUndefined();
    expect(rewriteUrl(rules, 'not a url')).toBeUndefined();
  });

  it('puts the target path first, and ignores RegExp flags that carry state', () => {
    const href = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc/.well-known/jwks.json';
    expect(rewriteUrl(rules, href)?.url.href).toBe(
      'http://127.0.0.1:5000/idp/us-east-1_abc/.well-known/jwks.json',
    );
    expect(rewriteUrl(rules, href)?.url.href).toBe(
      'http://127.0.0.1:5000/idp/us-east-1_abc/.well-known/jwks.json',
    );
  });

  it('rejects targets that are not http(s) URLs, at construction', () => {
    expect(() => compileHostRewrites([{ host: 'x', target: 'ftp://127.0.0.1' }])).toThrow(/http\(s\) URL/);
    expect(() => new LambdaRuntime({ hostRewrites: [{ host: 'x', target: 'nope' }] })).toThrow();
  });
});

describe('network bootstrap in the worker', () => {
  let server: http.Server;
  let base: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          host: req.headers.host,
          forwardedHost: req.headers['x-forwarded-host'] as string | undefined,
          forwardedProto: req.headers['x-forwarded-proto'] as string | undefined,
          body,
        });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ reached: req.url }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const API = 'abc123.execute-api.us-east-1.amazonaws.com';

  it('routes fetch() to an API’s execute-api host to the local listener', async () => {
    const dir = await bed.bundle({
      'index.mjs': `
        export const handler = async () => {
          const res = await fetch('https://${API}/dev/x?y=1', { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } });
          const viaRequest = await fetch(new Request('https://${API}/dev/req', { method: 'PUT', body: 'req-body' }));
          return { status: res.status, json: await res.json(), second: await viaRequest.json() };
        };`,
    });
    const { runtime } = bed.runtime({
      functions: [fnConfig('caller', dir)],
      hostRewrites: [{ host: '*.execute-api.*.amazonaws.com', target: base }],
    });
    seen.length = 0;

    const result = expectOk(await runtime.invoke('caller', {})).result;

    expect(result).toEqual({ status: 200, json: { reached: '/dev/x?y=1' }, second: { reached: '/dev/req' } });
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/dev/x?y=1',
        host: new URL(base).host,
        forwardedHost: API,
        forwardedProto: 'https',
        body: 'hello',
      },
      {
        method: 'PUT',
        url: '/dev/req',
        host: new URL(base).host,
        forwardedHost: API,
        forwardedProto: 'https',
        body: 'req-body',
      },
    ]);
  });

  it('routes node:https request/get (ESM named import and CommonJS) with the original Host header', async () => {
    const esm = await bed.bundle({
      'index.mjs': `
        import { request } from 'node:https';
        export const handler = () => new Promise((resolve, reject) => {
          const req = request({ hostname: '${API}', path: '/dev/@connections/abc', method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
            let body = '';
            res.on('data', (c) => { body += c; });
            res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
          });
          req.on('error', reject);
          req.end('{"message":"hi"}');
        });`,
    });
    const cjs = await bed.bundle({
      'index.cjs': `
        const https = require('https');
        exports.handler = (event, context, callback) => {
          https.get(new URL('https://cognito-idp.us-east-1.amazonaws.com/pool/.well-known/jwks.json'), (res) => {
            let body = '';
            res.on('data', (c) => { body += c; });
            res.on('end', () => callback(null, JSON.parse(body)));
          }).on('error', callback);
        };`,
    });
    const { runtime } = bed.runtime({
      functions: [fnConfig('esm-https', esm), fnConfig('cjs-https', cjs)],
      hostRewrites: [
        { host: '*.execute-api.*.amazonaws.com', target: base },
        { host: 'cognito-idp.*.amazonaws.com', target: `${base}/cognito` },
      ],
    });
    seen.length = 0;

    expect(expectOk(await runtime.invoke('esm-https', {})).result).toEqual({
      status: 200,
      body: { reached: '/dev/@connections/abc' },
    });
    expect(expectOk(await runtime.invoke('cjs-https', {})).result).toEqual({
      reached: '/cognito/pool/.well-known/jwks.json',
    });
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/dev/@connections/abc',
        host: API,
        forwardedHost: API,
        forwardedProto: 'https',
        body: '{"message":"hi"}',
      },
      {
        method: 'GET',
        url: '/cognito/pool/.well-known/jwks.json',
        host: 'cognito-idp.us-east-1.amazonaws.com',
        forwardedHost: 'cognito-idp.us-east-1.amazonaws.com',
        forwardedProto: 'https',
        body: '',
      },
    ]);
  });

  it('leaves other hosts alone, and patches nothing without rules', async () => {
    const dir = await bed.bundle({
      'index.mjs': `
        import https from 'node:https';
        export const handler = async (event) => {
          const res = await fetch(event.url);
          return { json: await res.json(), patched: https.request.name };
        };`,
    });
    const { runtime } = bed.runtime({ functions: [fnConfig('plain', dir)] });
    seen.length = 0;

    const result = expectOk(await runtime.invoke('plain', { url: `${base}/direct` })).result;

    expect(result).toEqual({ json: { reached: '/direct' }, patched: 'request' });
    expect(seen[0]?.forwardedHost).toBeUndefined();
  });
});
