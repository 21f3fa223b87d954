import { formatGap, formatGapAt, type Gap, type ResourceIdentity } from '../assembly';

/**
 * A gap found while handing the model to a service: a value the model carries that the service does not
 * honour. Same shape and one-line format (`formatGap`) as the loader's gaps.
 */
export function serviceGap(
  resource: ResourceIdentity,
  type: string,
  property: string | undefined,
  message: string,
): Gap {
  return {
    kind: 'unsupported-value',
    stack: resource.stack,
    logicalId: resource.logicalId,
    type,
    ...(property === undefined ? {} : { property: `Properties.${property}` }),
    ...(resource.path === undefined ? {} : { path: resource.path }),
    message,
  };
}

/**
 * The gap lines printed at start: gaps that differ only in their resource (same kind, type, property and
 * message — a per-function gap of a dozen functions) are one line listing the resources, at the place of the
 * first, e.g. `UNSUPPORTED  dev-notes/{ListFn, GetFn}  AWS::Lambda::Function.Properties.TracingConfig (…)`.
 * The endpoints file keeps one line per resource ({@link formatGap}).
 */
export function printedGapLines(gaps: readonly Gap[]): string[] {
  const groups = new Map<string, Gap[]>();
  for (const gap of gaps) {
    const key = [gap.kind, gap.type, gap.property ?? '', gap.message].join('\0');
    const group = groups.get(key);
    if (group) group.push(gap);
    else groups.set(key, [gap]);
  }
  return [...groups.values()].map((group) => {
    const [first] = group;
    if (first === undefined) return '';
    if (group.length === 1) return formatGap(first);
    const byStack = new Map<string, string[]>();
    for (const gap of group) {
      const ids = byStack.get(gap.stack);
      if (ids) {
        if (!ids.includes(gap.logicalId)) ids.push(gap.logicalId);
      } else byStack.set(gap.stack, [gap.logicalId]);
    }
    const where = [...byStack]
      .map(([stack, ids]) => (ids.length === 1 ? `${stack}/${ids[0]}` : `${stack}/{${ids.join(', ')}}`))
      .join(', ');
    return formatGapAt(first, where);
  });
}
