/**
 * The part of IAM policy evaluation that Lambda authorizer responses need: `execute-api:Invoke`
 * statements with `Allow`/`Deny` and `*`/`?` wildcards in `Resource`, matched against a method or route
 * ARN. An explicit Deny wins, then an Allow; otherwise the request is implicitly denied. Conditions and
 * principals are not part of authorizer policies and are not evaluated.
 */

export type PolicyDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

export class PolicyFormatError extends Error {}

const asList = (value: unknown, what: string): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw new PolicyFormatError(`${what} must be a string or a list of strings`);
};

/** Validates a `policyDocument` as returned by an authorizer; throws PolicyFormatError when malformed. */
export function parsePolicyDocument(document: unknown): readonly Statement[] {
  if (typeof document !== 'object' || document === null) {
    throw new PolicyFormatError('policyDocument must be an object');
  }
  const raw = (document as { Statement?: unknown }).Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.length === 0) throw new PolicyFormatError('policyDocument has no Statement');
  return list.map((s: unknown) => {
    if (typeof s !== 'object' || s === null) throw new PolicyFormatError('a Statement must be an object');
    const { Effect, Action, Resource } = s as { Effect?: unknown; Action?: unknown; Resource?: unknown };
    if (Effect !== 'Allow' && Effect !== 'Deny') {
      throw new PolicyFormatError('Statement.Effect must be Allow or Deny');
    }
    return {
      effect: Effect,
      actions: asList(Action, 'Statement.Action'),
      resources: asList(Resource, 'Statement.Resource'),
    };
  });
}

function wildcardMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  let p = 0;
  let v = 0;
  let star = -1;
  let mark = 0;
  while (v < value.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === value[v])) {
      p++;
      v++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = v;
    } else if (star !== -1) {
      p = star + 1;
      v = ++mark;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

const coversInvoke = (action: string): boolean => wildcardMatch(action.toLowerCase(), 'execute-api:invoke');

export function evaluatePolicy(statements: readonly Statement[], arn: string): PolicyDecision {
  let allowed = false;
  for (const s of statements) {
    if (!s.actions.some(coversInvoke)) continue;
    if (!s.resources.some((r) => wildcardMatch(r, arn))) continue;
    if (s.effect === 'Deny') return 'explicit-deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}
