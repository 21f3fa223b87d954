import type { Gap } from './model';

/** Collects gaps, each listed once (same kind, resource, property and message). */
export class GapSink {
  readonly #gaps = new Map<string, Gap>();

  add(gap: Gap): void {
    const key = [gap.kind, gap.stack, gap.logicalId, gap.property ?? '', gap.message].join('\0');
    if (!this.#gaps.has(key)) this.#gaps.set(key, gap);
  }

  list(): Gap[] {
    return [...this.#gaps.values()];
  }
}

/**
 * One line per gap, e.g.
 * `UNSUPPORTED  dev-shared/Queue4A7E3555  AWS::SQS::Queue` or
 * `UNSUPPORTED  dev-notes/Fn9270CBC0  AWS::Lambda::Function.Properties.VpcConfig (ignored)`.
 * Printing is up to the caller.
 */
export function formatGap(gap: Gap): string {
  return formatGapAt(gap, `${gap.stack}/${gap.logicalId}`);
}

/** {@link formatGap} with another "where" part, e.g. several resources on one line. */
export function formatGapAt(gap: Gap, where: string): string {
  const label = gap.kind === 'unresolved' ? 'UNRESOLVED ' : 'UNSUPPORTED';
  const what = gap.property ? `${gap.type}.${gap.property}` : gap.type;
  const bare = gap.kind === 'unsupported-resource-type' && gap.message === 'not implemented';
  const message = bare ? '' : ` (${gap.message})`;
  return `${label}  ${where}  ${what}${message}`;
}
