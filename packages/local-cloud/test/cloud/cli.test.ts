import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main, parseUpArgs } from '../../src/cli';
import type { EndpointsFile } from '../../src/cloud';
import { localClientConfig } from '../../src/dynamodb';
import { removeTempDirs, tempDir, writeAssembly } from '../assembly/helpers';

afterAll(removeTempDirs);

const packageDir = path.resolve(import.meta.dirname, '../..');

/** A hand-written assembly: one stack with a table and an output. */
function tinyAssembly(): string {
  const dir = path.join(tempDir('cli-app-'), 'cdk.out');
  writeAssembly(dir, {
    stacks: [
      {
        id: 'tiny',
        template: {
          Resources: {
            Table: {
              Type: 'AWS::DynamoDB::Table',
              Properties: {
                KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
                AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
                BillingMode: 'PAY_PER_REQUEST',
              },
            },
          },
          Outputs: { TableName: { Value: { Ref: 'Table' } } },
        },
      },
    ],
  });
  return dir;
}

describe('parseUpArgs', () => {
  const cwd = tempDir('cli-cwd-');

  it('has defaults for a repository root: ./cdk.out, port 4000, watch, .local-cloud/endpoints.json', () => {
    expect(parseUpArgs(['up'], cwd)).toEqual({
      assemblyDir: path.join(cwd, 'cdk.out'),
      assemblyGiven: false,
      stage: undefined,
      port: 4000,
      persistDir: undefined,
      engine: 'dynalite',
      seedFile: undefined,
      endpointsFile: path.join(cwd, '.local-cloud', 'endpoints.json'),
      region: undefined,
      watch: true,
      quiet: false,
    });
  });

  it('prefers ./infra/cdk.out and picks up local-cloud.seed.json next to the assembly', async () => {
    const repo = tempDir('cli-repo-');
    await mkdir(path.join(repo, 'infra', 'cdk.out'), { recursive: true });
    await writeFile(path.join(repo, 'infra', 'local-cloud.seed.json'), '{"users":[]}');
    const options = parseUpArgs(['up', '--stage', 'dev'], repo);
    expect(options?.assemblyDir).toBe(path.join(repo, 'infra', 'cdk.out'));
    expect(options?.seedFile).toBe(path.join(repo, 'infra', 'local-cloud.seed.json'));
    expect(parseUpArgs(['up', '--no-seed'], repo)?.seedFile).toBeUndefined();
  });

  it('takes every option', () => {
    const options = parseUpArgs(
      [
        'up',
        '--assembly=out',
        '--stage=prod',
        '--port=0',
        '--persist=data',
        '--dynamodb=dynamodb-local',
        '--seed=users.json',
        '--endpoints-file=ep.json',
        '--region=eu-west-1',
        '--no-watch',
        '--quiet',
      ],
      cwd,
    );
    expect(options).toEqual({
      assemblyDir: path.join(cwd, 'out'),
      assemblyGiven: true,
      stage: 'prod',
      port: 0,
      persistDir: path.join(cwd, 'data'),
      engine: 'dynamodb-local',
      seedFile: path.join(cwd, 'users.json'),
      endpointsFile: path.join(cwd, 'ep.json'),
      region: 'eu-west-1',
      watch: false,
      quiet: true,
    });
  });

  it('means help for --help and help', () => {
    expect(parseUpArgs(['--help'], cwd)).toBeUndefined();
    expect(parseUpArgs(['up', '-h'], cwd)).toBeUndefined();
    expect(parseUpArgs(['help'], cwd)).toBeUndefined();
  });

  it.each([
    [[], /missing command/],
    [['down'], /unknown command 'down'/],
    [['up', 'extra'], /unexpected argument 'extra'/],
    [['up', '--prot', '1'], /Unknown option '--prot'/],
    [['up', '--port', 'abc'], /--port must be 0 \(free ports\) or a port number, not 'abc'/],
    [['up', '--port', '70000'], /--port must be/],
    [['up', '--dynamodb', 'mongo'], /--dynamodb must be dynalite or dynamodb-local, not 'mongo'/],
    [['up', '--seed', 'a.json', '--no-seed'], /exclude each other/],
  ])('refuses %j', (args, message) => {
    expect(() => parseUpArgs(args, cwd)).toThrow(message);
  });
});

describe('main', () => {
  it('exits 2 with a hint on a bad flag, and 1 with the reason when there is no assembly', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => errors.push(String(line)));
    const logs = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await main(['up', '--bogus'])).toBe(2);
      expect(errors.join('\n')).toMatch(/Unknown option '--bogus'[\s\S]*local-cloud --help/);
      errors.length = 0;
      const missing = path.join(tempDir('cli-missing-'), 'nowhere');
      const endpointsFile = path.join(tempDir('cli-ep-'), 'ep.json');
      expect(
        await main(['up', '--assembly', missing, '--port', '0', '--endpoints-file', endpointsFile]),
      ).toBe(1);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^local-cloud: .*nowhere is not a cloud assembly/);
      expect(process.listenerCount('SIGINT')).toBe(0);
    } finally {
      spy.mockRestore();
      logs.mockRestore();
    }
  });
});

describe('local-cloud up (child process)', () => {
  it('writes the endpoints file, serves, and stops cleanly on SIGINT (exit 0, file removed)', async () => {
    const assembly = tinyAssembly();
    const endpointsFile = path.join(tempDir('cli-run-'), 'endpoints.json');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli.ts',
        'up',
        '--assembly',
        assembly,
        '--port',
        '0',
        '--endpoints-file',
        endpointsFile,
      ],
      { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 20_000;
      while (!existsSync(endpointsFile)) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`no endpoints file:\n${output}`);
        await sleep(50);
      }
      const endpoints = JSON.parse(await readFile(endpointsFile, 'utf8')) as EndpointsFile;
      expect(endpoints.stage).toBeNull();
      expect(endpoints.pid).toBe(child.pid);
      expect(endpoints.outputs.tiny?.TableName).toBe(endpoints.dynamodb.tables[0]?.name);
      const dynamoDb = new DynamoDBClient(localClientConfig(endpoints.dynamodb.endpoint));
      const { TableNames } = await dynamoDb.send(new ListTablesCommand({}));
      dynamoDb.destroy();
      expect(TableNames).toEqual([endpoints.dynamodb.tables[0]?.name]);
      expect(output).toContain('Ctrl-C stops the local cloud.');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('stopped');
    expect(existsSync(endpointsFile)).toBe(false);
  }, 30_000);
});
