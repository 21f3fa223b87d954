import { describe, expect, it } from 'vitest';
import type { EndpointsFile } from '../../src/cloud';
import { portLayout } from '../../src/cloud/ports';
import { columns, formatSummary } from '../../src/cloud/summary';

const endpoints: EndpointsFile = {
  stage: 'dev',
  region: 'us-east-1',
  accountId: '000000000000',
  assemblyDir: '/repo/infra/cdk.out/assembly-dev',
  apis: [
    {
      kind: 'http',
      stack: 'dev-notes',
      logicalId: 'Api1',
      apiId: 'abc123',
      name: 'dev-notes',
      url: 'http://127.0.0.1:4010/',
      stages: [
        {
          name: '$default',
          url: 'http://127.0.0.1:4010/',
          hostUrl: 'http://abc123.execute-api.localhost:4000/',
        },
      ],
      hostUrl: 'http://abc123.execute-api.localhost:4000/',
      awsUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/',
    },
    {
      kind: 'rest',
      stack: 'dev-rest-api',
      logicalId: 'Api',
      apiId: 'rest123456',
      name: 'dev-catalog',
      url: 'http://127.0.0.1:4011/dev/',
      stages: [
        {
          name: 'dev',
          url: 'http://127.0.0.1:4011/dev/',
          hostUrl: 'http://rest123456.execute-api.localhost:4000/dev/',
          cacheStatsUrl: 'http://127.0.0.1:4011/_local/restapis/rest123456/stages/dev/cache/stats',
          cacheFlushUrl: 'http://127.0.0.1:4011/_local/restapis/rest123456/stages/dev/cache/data',
        },
      ],
      hostUrl: 'http://rest123456.execute-api.localhost:4000/dev/',
      awsUrl: 'https://rest123456.execute-api.us-east-1.amazonaws.com/',
    },
  ],
  apiKeys: [
    {
      id: 'key1',
      stack: 'dev-rest-api',
      logicalId: 'FreeKey',
      name: 'free-key',
      value: 'p6Jqa3LqEh3ZTjnqARH6eLgvk6ZDigdpmW7TgNEL',
      enabled: true,
      usagePlanIds: ['plan1'],
    },
    {
      id: 'key2',
      stack: 'dev-rest-api',
      logicalId: 'Off',
      name: 'off-key',
      value: 'v'.repeat(20),
      enabled: false,
      usagePlanIds: [],
    },
  ],
  usagePlans: [
    {
      id: 'plan1',
      stack: 'dev-rest-api',
      logicalId: 'FreePlan',
      name: 'free',
      throttle: { rateLimit: 2, burstLimit: 5 },
      quota: { limit: 100, period: 'DAY' },
    },
  ],
  apiGateway: { endpoint: 'http://127.0.0.1:4003' },
  outputs: {
    'dev-shared': { UserPoolId: 'us-east-1_x', ExportsOutputRefPool123: 'us-east-1_x' },
    'dev-notes': { ApiUrl: 'http://127.0.0.1:4010/' },
  },
  cognito: {
    endpoint: 'http://127.0.0.1:4001',
    userPools: [
      {
        id: 'us-east-1_x',
        name: 'pool',
        stack: 'dev-shared',
        logicalId: 'Pool',
        issuer: 'http://127.0.0.1:4001/us-east-1_x',
        jwksUri: 'http://127.0.0.1:4001/us-east-1_x/.well-known/jwks.json',
        tokenEndpoint: 'http://127.0.0.1:4001/us-east-1_x/oauth2/token',
        oauthBaseUrl: 'http://127.0.0.1:4001/us-east-1_x',
        clients: [
          { id: 'webclient', name: 'Web', logicalId: 'Web' },
          { id: 'machineclient', name: 'Machine', logicalId: 'Machine', secret: 'top-secret-value' },
        ],
      },
    ],
  },
  demoUsers: [
    {
      poolId: 'us-east-1_x',
      username: 'alice@example.com',
      password: 'Alice-Demo-Passw0rd',
      groups: ['admins'],
      sub: 's',
    },
  ],
  dynamodb: {
    endpoint: 'http://127.0.0.1:4002',
    engine: 'dynalite',
    tables: [{ stack: 'dev-notes', logicalId: 'T', name: 'notes' }],
  },
  functions: [],
  gaps: ['UNSUPPORTED  dev-x/Queue  AWS::SQS::Queue'],
  pid: 1,
};

describe('formatSummary', () => {
  const text = formatSummary(endpoints, {
    endpointsFile: '.local-cloud/endpoints.json',
    seedFile: 'seed.json',
    watch: true,
  }).join('\n');

  it('lists APIs, pools, clients, demo users, tables and outputs', () => {
    expect(text).toContain('dev-notes    HTTP abc123      $default  http://127.0.0.1:4010/');
    expect(text).toContain('token endpoint  http://127.0.0.1:4001/us-east-1_x/oauth2/token');
    expect(text).toContain("Cognito API (the SDK's endpoint option): http://127.0.0.1:4001");
    expect(text).toContain('Demo users — LOCAL ONLY, demo credentials from seed.json');
    expect(text).toContain('alice@example.com  Alice-Demo-Passw0rd  groups: admins');
    expect(text).toContain('notes  (dev-notes/T)');
    expect(text).toContain('dev-notes   ApiUrl      http://127.0.0.1:4010/');
    expect(text).toContain('1 gap: listed above and in the endpoints file');
    expect(text).toContain('Endpoints file: .local-cloud/endpoints.json');
  });

  it('lists REST APIs, usage plans with their limits, and the local demo API keys with their values', () => {
    expect(text).toContain('dev-catalog  REST rest123456  dev       http://127.0.0.1:4011/dev/');
    expect(text).toContain('free  plan1  2 req/s, burst 5, 100 per DAY  (dev-rest-api/FreePlan)');
    expect(text).toContain('API keys — LOCAL ONLY, demo keys (send as x-api-key)');
    expect(text).toContain('free-key  p6Jqa3LqEh3ZTjnqARH6eLgvk6ZDigdpmW7TgNEL  plan: free');
    expect(text).toContain('DISABLED; in no usage plan');
    expect(text).toContain(
      'http://127.0.0.1:4003  GetUsagePlan, GetUsage, UpdateUsage, FlushStageCache, GetApiKey',
    );
  });

  it('never prints client secrets, and leaves out CDK export outputs', () => {
    expect(text).not.toContain('top-secret-value');
    expect(text).toContain('machineclient  Machine (has a secret: see the endpoints file)');
    expect(text).not.toContain('ExportsOutputRef');
  });

  it('pads every column but the last', () => {
    expect(
      columns([
        ['a', 'bbb', 'x'],
        ['cc', 'd', 'y'],
      ]),
    ).toEqual(['  a   bbb  x', '  cc  d    y']);
  });
});

describe('portLayout', () => {
  it('puts every service on a free port for 0', () => {
    expect(portLayout(0, { http: ['a'], rest: ['b'] })).toEqual({
      gateway: 0,
      identity: 0,
      dynamoDb: 0,
      apiGateway: 0,
      apis: {},
    });
  });

  it('lays services out from a base port: the control plane on N+3, HTTP APIs then REST APIs from N+10', () => {
    expect(portLayout(4000, { http: ['a', 'b'], rest: ['r'] })).toEqual({
      gateway: 4000,
      identity: 4001,
      dynamoDb: 4002,
      apiGateway: 4003,
      apis: { a: 4010, b: 4011, r: 4012 },
    });
  });

  it('refuses ports out of range', () => {
    expect(() => portLayout(-1, { http: [], rest: [] })).toThrow(/invalid port -1/);
    expect(() => portLayout(65_530, { http: [], rest: ['a'] })).toThrow(
      /leaves no room for 1 APIs \(up to 65540\)/,
    );
  });
});
