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
  ],
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
    expect(text).toContain('dev-notes  HTTP abc123  $default  http://127.0.0.1:4010/');
    expect(text).toContain('token endpoint  http://127.0.0.1:4001/us-east-1_x/oauth2/token');
    expect(text).toContain("Cognito API (the SDK's endpoint option): http://127.0.0.1:4001");
    expect(text).toContain('Demo users — LOCAL ONLY, demo credentials from seed.json');
    expect(text).toContain('alice@example.com  Alice-Demo-Passw0rd  groups: admins');
    expect(text).toContain('notes  (dev-notes/T)');
    expect(text).toContain('dev-notes   ApiUrl      http://127.0.0.1:4010/');
    expect(text).toContain('1 gap: listed above and in the endpoints file');
    expect(text).toContain('Endpoints file: .local-cloud/endpoints.json');
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
    expect(portLayout(0, ['a', 'b'])).toEqual({ gateway: 0, identity: 0, dynamoDb: 0, apis: {} });
  });

  it('lays services out from a base port', () => {
    expect(portLayout(4000, ['a', 'b'])).toEqual({
      gateway: 4000,
      identity: 4001,
      dynamoDb: 4002,
      apis: { a: 4010, b: 4011 },
    });
  });

  it('refuses ports out of range', () => {
    expect(() => portLayout(-1, [])).toThrow(/invalid port -1/);
    expect(() => portLayout(65_530, ['a'])).toThrow(/leaves no room for 1 APIs \(up to 65540\)/);
  });
});
