import { describe, expect, it } from 'vitest';
import type { AwsEndpoint } from '../../src/assembly';
import { endpointRewrites, type LocalEndpoints, unservedEndpointGaps } from '../../src/cloud/rewrite';
import { API_ID, fnModel, ISSUER, POOL_ID, REGION } from './fixtures';

const REST_ID = 'r3st4p1id0';
const endpoints: AwsEndpoint[] = [
  { kind: 'cognito-idp', url: ISSUER, poolId: POOL_ID, region: REGION },
  {
    kind: 'cognito-domain',
    url: `https://notes-dev.auth.${REGION}.amazoncognito.com`,
    poolId: POOL_ID,
    region: REGION,
  },
  {
    kind: 'execute-api',
    url: `https://${API_ID}.execute-api.${REGION}.amazonaws.com`,
    apiId: API_ID,
    region: REGION,
    protocol: 'HTTP',
  },
  {
    kind: 'execute-api',
    url: `https://${REST_ID}.execute-api.${REGION}.amazonaws.com`,
    apiId: REST_ID,
    region: REGION,
    protocol: 'REST',
  },
];

const local: LocalEndpoints = {
  identityUrl: 'http://127.0.0.1:4001',
  issuerFor: (poolId) => `http://127.0.0.1:4001/${poolId}`,
  oauthBaseUrlFor: (poolId) => `http://127.0.0.1:4001/${poolId}`,
  apiUrlFor: (apiId) => (apiId === API_ID ? 'http://127.0.0.1:4010' : undefined),
  gatewayUrl: 'http://127.0.0.1:4000',
};

describe('endpointRewrites', () => {
  const { rewrite, rules, hostRewrites } = endpointRewrites(endpoints, local);

  it('rewrites a Cognito issuer to the local issuer of the same pool', () => {
    expect(rewrite(ISSUER)).toBe(`http://127.0.0.1:4001/${POOL_ID}`);
    expect(rewrite(`${ISSUER}/.well-known/jwks.json`)).toBe(
      `http://127.0.0.1:4001/${POOL_ID}/.well-known/jwks.json`,
    );
  });

  it("rewrites the pool's hosted domain to the local OAuth base URL, keeping the path", () => {
    expect(rewrite(`https://notes-dev.auth.${REGION}.amazoncognito.com/oauth2/token`)).toBe(
      `http://127.0.0.1:4001/${POOL_ID}/oauth2/token`,
    );
  });

  it("rewrites an HTTP API's execute-api URL to its listener, keeping stage path, query and trailing slash", () => {
    const aws = `https://${API_ID}.execute-api.${REGION}.amazonaws.com`;
    expect(rewrite(`${aws}/`)).toBe('http://127.0.0.1:4010/');
    expect(rewrite(aws)).toBe('http://127.0.0.1:4010');
    expect(rewrite(`${aws}/dev/notes?x=1`)).toBe('http://127.0.0.1:4010/dev/notes?x=1');
  });

  it('rewrites URLs inside longer strings, every occurrence', () => {
    expect(rewrite(`issuer=${ISSUER},api=https://${API_ID}.execute-api.${REGION}.amazonaws.com/dev`)).toBe(
      `issuer=http://127.0.0.1:4001/${POOL_ID},api=http://127.0.0.1:4010/dev`,
    );
  });

  it('leaves a longer host or pool id alone', () => {
    const longerPool = `${ISSUER}9`;
    const longerHost = `https://${API_ID}.execute-api.${REGION}.amazonaws.com.example.org/`;
    expect(rewrite(longerPool)).toBe(longerPool);
    expect(rewrite(longerHost)).toBe(longerHost);
  });

  it('keeps URLs of APIs nothing serves locally, and values without AWS URLs', () => {
    const rest = `https://${REST_ID}.execute-api.${REGION}.amazonaws.com/prod/`;
    expect(rewrite(rest)).toBe(rest);
    expect(rewrite('notes-table')).toBe('notes-table');
    expect(rules.map((rule) => rule.kind).sort()).toEqual(['cognito-domain', 'cognito-idp', 'execute-api']);
  });

  it('rewrites a served REST API like an HTTP API, keeping the stage path', () => {
    const served = endpointRewrites(endpoints, {
      ...local,
      apiUrlFor: (apiId) => (apiId === REST_ID ? 'http://127.0.0.1:4011' : undefined),
    });
    expect(served.rewrite(`https://${REST_ID}.execute-api.${REGION}.amazonaws.com/prod/`)).toBe(
      'http://127.0.0.1:4011/prod/',
    );
  });

  it('routes Cognito, hosted-domain and execute-api hosts of the workers to the local listeners', () => {
    expect(hostRewrites).toEqual([
      { host: `notes-dev.auth.${REGION}.amazoncognito.com`, target: `http://127.0.0.1:4001/${POOL_ID}` },
      { host: 'cognito-idp.*.amazonaws.com', target: 'http://127.0.0.1:4001' },
      { host: '*.execute-api.*.amazonaws.com', target: 'http://127.0.0.1:4000' },
    ]);
  });

  it('without endpoints or a gateway, rewrites nothing and routes nothing to the gateway', () => {
    const none = endpointRewrites([], { ...local, gatewayUrl: undefined });
    expect(none.rewrite(ISSUER)).toBe(ISSUER);
    expect(none.hostRewrites).toEqual([]);
  });
});

describe('unservedEndpointGaps', () => {
  it('reports outputs and function variables that point at an API not served locally', () => {
    const rest = `https://${REST_ID}.execute-api.${REGION}.amazonaws.com/prod/`;
    const gaps = unservedEndpointGaps(
      {
        endpoints,
        stacks: [
          {
            name: 'dev-catalog',
            artifactId: 'devcatalog',
            displayName: 'dev/catalog',
            templateFile: '/x.json',
            stackId: 'arn',
            accountId: '1',
            region: REGION,
            partition: 'aws',
            urlSuffix: 'amazonaws.com',
            dependsOn: [],
            outputs: [
              { name: 'ApiUrl', value: rest },
              { name: 'HttpUrl', value: `https://${API_ID}.execute-api.${REGION}.amazonaws.com/` },
            ],
          },
        ],
        functions: [fnModel({ environment: { CATALOG_URL: rest, OTHER: 'x' } })],
      },
      new Set([API_ID]),
    );
    expect(gaps.map((gap) => [gap.stack, gap.logicalId, gap.type, gap.property, gap.message])).toEqual([
      [
        'dev-catalog',
        'ApiUrl',
        'Output',
        undefined,
        `points at REST API ${REST_ID}, which is not served locally`,
      ],
      [
        'dev-notes',
        'ListFnA1B2C3D4',
        'AWS::Lambda::Function',
        'Properties.Environment',
        `CATALOG_URL points at REST API ${REST_ID}, which is not served locally`,
      ],
    ]);
  });
});
