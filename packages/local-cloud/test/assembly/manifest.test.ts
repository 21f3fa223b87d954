// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${…}` syntax in plain strings
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AssemblyError, loadAssembly } from '../../src/assembly/index';
import { deploymentOrder, readAssembly } from '../../src/assembly/manifest';
import type { TemplateResource } from '../../src/assembly/template';
import { removeTempDirs, tempDir, writeAssembly } from './helpers';

afterAll(removeTempDirs);

const queue = { Resources: { Q: { Type: 'AWS::SQS::Queue' } } };

async function errorOf(promise: Promise<unknown>): Promise<AssemblyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AssemblyError)) throw new Error(`expected an AssemblyError, got ${String(error)}`);
  return error;
}

describe('reading the assembly', () => {
  it('a directory without manifest.json is not an assembly', async () => {
    const error = await errorOf(readAssembly(tempDir()));
    expect(error.code).toBe('NOT_AN_ASSEMBLY');
    expect(error.message).toMatch(/is not a cloud assembly \(no manifest\.json\); run `cdk synth`/);
  });

  it('a missing directory or a foreign manifest.json is not an assembly', async () => {
    expect((await errorOf(readAssembly('/nonexistent/cdk.out'))).code).toBe('NOT_AN_ASSEMBLY');
    const dir = tempDir();
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ name: 'a web app manifest' }));
    expect((await errorOf(readAssembly(dir))).message).toMatch(/is not a cloud assembly manifest/);
  });

  it('an unknown stage lists the available stages', async () => {
    const dir = writeAssembly(tempDir(), {
      stages: [
        { name: 'dev', content: { stacks: [{ id: 'devA', template: queue }] } },
        { name: 'prod', content: { stacks: [{ id: 'prodA', template: queue }] } },
      ],
    });
    const error = await errorOf(readAssembly(dir, 'staging'));
    expect(error.code).toBe('UNKNOWN_STAGE');
    expect(error.message).toBe(`Stage "staging" not found in ${dir}. Available stages: dev, prod.`);
    const ambiguous = await errorOf(readAssembly(dir));
    expect(ambiguous.message).toMatch(/has several stages; choose one of: dev, prod/);
  });

  it('a stage is found by name, artifact id or directory; a single stage is picked by default', async () => {
    const dir = writeAssembly(tempDir(), {
      stages: [{ name: 'dev', content: { stacks: [{ id: 'devA', stackName: 'dev-a', template: queue }] } }],
    });
    for (const stage of ['dev', 'assembly-dev', undefined]) {
      const source = await readAssembly(dir, stage);
      expect(source.stage).toBe('dev');
      expect(source.assemblyDir).toBe(join(dir, 'assembly-dev'));
      expect(source.stacks.map((s) => s.stackName)).toEqual(['dev-a']);
    }
  });

  it('nested stages are listed with their paths; top-level stacks load without a stage', async () => {
    const dir = writeAssembly(tempDir(), {
      stacks: [{ id: 'Root', template: queue }],
      stages: [
        {
          name: 'outer',
          content: {
            stacks: [{ id: 'outerS', template: queue }],
            stages: [{ name: 'outer/inner', content: { stacks: [{ id: 'innerS', template: queue }] } }],
          },
        },
      ],
    });
    const root = await readAssembly(dir);
    expect(root.stage).toBeUndefined();
    expect(root.stages).toEqual(['outer', 'outer/inner']);
    expect(root.stacks.map((s) => s.stackName)).toEqual(['Root']);
    expect((await readAssembly(dir, 'outer/inner')).stacks.map((s) => s.stackName)).toEqual(['innerS']);
  });

  it('an assembly without stacks is an error', async () => {
    const dir = writeAssembly(tempDir(), {});
    expect((await errorOf(readAssembly(dir))).code).toBe('NO_STACKS');
  });

  it('an unreadable template is an error that names the file', async () => {
    const dir = writeAssembly(tempDir(), { stacks: [{ id: 'A', template: queue }] });
    writeFileSync(join(dir, 'A.template.json'), '{ not json');
    const error = await errorOf(readAssembly(dir));
    expect(error.code).toBe('INVALID_ARTIFACT');
    expect(error.message).toContain('A.template.json');
  });

  it('stacks come in dependency order', async () => {
    const dir = writeAssembly(tempDir(), {
      stacks: [
        { id: 'Api', stackName: 'dev-api', template: queue, dependencies: ['Data', 'Api.assets'] },
        { id: 'Data', stackName: 'dev-data', template: queue, dependencies: ['Auth'] },
        { id: 'Auth', stackName: 'dev-auth', template: queue },
      ],
    });
    const source = await readAssembly(dir);
    expect(source.stacks.map((s) => s.stackName)).toEqual(['dev-auth', 'dev-data', 'dev-api']);
    expect(source.stacks[2]?.dependsOn).toEqual(['dev-data']);
  });

  it('deploymentOrder tolerates cycles and unknown names', () => {
    const order = deploymentOrder([
      { stackName: 'a', dependsOn: ['b', 'zzz'] },
      { stackName: 'b', dependsOn: ['a'] },
      { stackName: 'c', dependsOn: [] },
    ]);
    expect(order.map((s) => s.stackName)).toEqual(['b', 'a', 'c']);
  });
});

describe('function code', () => {
  const hash = 'a'.repeat(64);
  const zipHash = 'b'.repeat(64);
  const fn = (code: object, metadata?: Record<string, unknown>): TemplateResource => ({
    Type: 'AWS::Lambda::Function',
    Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x', Code: code },
    ...(metadata ? { Metadata: metadata } : {}),
  });
  const bucket = { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' };

  function assembly(resources: Record<string, TemplateResource>, createAssets = true): string {
    const dir = tempDir();
    if (createAssets) {
      mkdirSync(join(dir, `asset.${hash}`));
      writeFileSync(join(dir, `asset.${hash}`, 'index.js'), 'exports.handler = async () => 1;');
      writeFileSync(join(dir, `asset.${zipHash}.zip`), 'PK');
    }
    return writeAssembly(dir, {
      stacks: [{ id: 'S', template: { Resources: resources } }],
      assetManifests: [
        {
          id: 'S.assets',
          files: {
            [hash]: { path: `asset.${hash}`, packaging: 'zip', objectKey: `${hash}.zip` },
            [zipHash]: { path: `asset.${zipHash}.zip`, packaging: 'file', objectKey: `${zipHash}.zip` },
          },
        },
      ],
    });
  }

  it('S3Key → the asset directory; a file asset → a zip; ZipFile → inline; aws:asset:path metadata', async () => {
    const dir = assembly({
      Dir: fn({ S3Bucket: bucket, S3Key: `${hash}.zip` }),
      Zip: fn({ S3Bucket: bucket, S3Key: `${zipHash}.zip` }),
      Inline: fn({ ZipFile: 'exports.handler = async () => 2;' }),
      Meta: fn(
        { S3Bucket: 'legacy', S3Key: 'unknown.zip' },
        { 'aws:asset:path': `asset.${hash}`, 'aws:asset:property': 'Code' },
      ),
    });
    const model = await loadAssembly({ dir });
    const code = Object.fromEntries(model.functions.map((f) => [f.logicalId, f.code]));
    expect(code.Dir).toEqual({ kind: 'directory', path: join(dir, `asset.${hash}`), assetHash: hash });
    expect(code.Zip).toEqual({ kind: 'zip', path: join(dir, `asset.${zipHash}.zip`), assetHash: zipHash });
    expect(code.Inline).toEqual({ kind: 'inline', source: 'exports.handler = async () => 2;' });
    expect(code.Meta).toEqual({ kind: 'directory', path: join(dir, `asset.${hash}`), assetHash: hash });
    expect(model.gaps).toEqual([]);
  });

  it('code in a bucket outside the assembly is unavailable, and a gap', async () => {
    const model = await loadAssembly({
      dir: assembly({ Ext: fn({ S3Bucket: 'my-bucket', S3Key: 'code/fn.zip' }) }),
    });
    expect(model.functions[0]?.code).toEqual({
      kind: 'unavailable',
      reason: 'code is in s3://my-bucket/code/fn.zip, which is not an asset of this assembly',
    });
    expect(model.gaps).toEqual([
      expect.objectContaining({ kind: 'unsupported-value', property: 'Properties.Code' }),
    ]);
  });

  it('a missing asset directory is an error naming the function', async () => {
    const dir = assembly({ Dir: fn({ S3Bucket: bucket, S3Key: `${hash}.zip` }) }, false);
    const error = await errorOf(loadAssembly({ dir }));
    expect(error.code).toBe('ASSET_MISSING');
    expect(error.message).toBe(
      `S/Dir: its Code asset ${join(dir, `asset.${hash}`)} is missing; synthesize the app again (cdk synth).`,
    );
  });
});
