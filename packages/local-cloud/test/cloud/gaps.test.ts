/**
 * The gap report at start: the same gap on many resources (per-function tracing and log format gaps of a
 * dozen functions) is one printed line listing them; the endpoints file keeps one entry per resource.
 */
import { describe, expect, it } from 'vitest';
import type { Gap } from '../../src/assembly';
import type { Template } from '../../src/assembly/template';
import { printedGapLines } from '../../src/cloud/gaps';
import { startedCloud } from './started-cloud';

const gap = (logicalId: string, overrides: Partial<Gap> = {}): Gap => ({
  kind: 'unsupported-value',
  stack: 'dev-notes',
  logicalId,
  type: 'AWS::Lambda::Function',
  property: 'Properties.TracingConfig',
  message: 'tracing',
  ...overrides,
});

describe('printedGapLines', () => {
  it('folds gaps that differ only in their resource into one line, at the first one’s place', () => {
    expect(
      printedGapLines([
        gap('A'),
        gap('Queue', {
          kind: 'unsupported-resource-type',
          type: 'AWS::SQS::Queue',
          property: undefined,
          message: 'not implemented',
        }),
        gap('B'),
        gap('C', { stack: 'dev-catalog' }),
        gap('B', { message: 'another message' }),
      ]),
    ).toEqual([
      'UNSUPPORTED  dev-notes/{A, B}, dev-catalog/C  AWS::Lambda::Function.Properties.TracingConfig (tracing)',
      'UNSUPPORTED  dev-notes/Queue  AWS::SQS::Queue',
      'UNSUPPORTED  dev-notes/B  AWS::Lambda::Function.Properties.TracingConfig (another message)',
    ]);
  });

  it('a gap on one resource is its usual line', () => {
    expect(printedGapLines([gap('A')])).toEqual([
      'UNSUPPORTED  dev-notes/A  AWS::Lambda::Function.Properties.TracingConfig (tracing)',
    ]);
  });
});

describe('a dozen functions with active tracing and JSON logs', () => {
  const ids = Array.from({ length: 12 }, (_, i) => `Fn${i + 1}`);
  const template: Template = {
    Resources: Object.fromEntries(
      ids.map((id) => [
        id,
        {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Handler: 'index.handler',
            Runtime: 'nodejs22.x',
            Code: { ZipFile: 'exports.handler = async () => ({ statusCode: 200 });' },
            TracingConfig: { Mode: 'Active' },
            LoggingConfig: { LogFormat: 'JSON' },
          },
        },
      ]),
    ),
  };
  const { cloud, lines } = startedCloud('dev-fns', template);

  it('prints one line per gap, listing the functions', () => {
    const start = lines.findIndex((line) => line.startsWith('GAPS'));
    // 24 resource gaps and the DynamoDB engine's own lines.
    expect(lines[start]).toMatch(/^GAPS — not run locally \(2\d\):$/);
    const printed = lines.slice(start + 1).filter((line) => line.startsWith('  UNSUPPORTED'));
    const all = `dev-fns/{${ids.join(', ')}}`;
    expect(printed).toEqual([
      `  UNSUPPORTED  ${all}  AWS::Lambda::Function.Properties.TracingConfig (X-Ray tracing mode Active: locally each invocation gets a generated trace id in _X_AMZN_TRACE_ID; no segments are sent)`,
      `  UNSUPPORTED  ${all}  AWS::Lambda::Function.Properties.LoggingConfig (log format JSON: console.* and START/END/REPORT lines stay text locally, unfiltered by level)`,
    ]);
  });

  it('keeps one entry per function and gap in the endpoints file', () => {
    expect(cloud().endpoints.gaps.filter((line) => line.startsWith('UNSUPPORTED  dev-fns/'))).toHaveLength(
      24,
    );
    for (const id of ids) {
      expect(cloud().endpoints.gaps).toContain(
        `UNSUPPORTED  dev-fns/${id}  AWS::Lambda::Function.Properties.TracingConfig (X-Ray tracing mode Active: locally each invocation gets a generated trace id in _X_AMZN_TRACE_ID; no segments are sent)`,
      );
      expect(cloud().endpoints.gaps).toContainEqual(
        expect.stringMatching(new RegExp(`^UNSUPPORTED {2}dev-fns/${id} {2}.*LoggingConfig`)),
      );
    }
  });
});
