/**
 * REST API resource policies (§9.1), the part a local gateway can evaluate: `Allow`/`Deny` statements
 * for the anonymous caller (`Principal: "*"` or `{"AWS": "*"}`), `Action`/`NotAction` covering
 * `execute-api:Invoke`, `Resource`/`NotResource` with `*`/`?` wildcards (`execute-api:/…` shorthand
 * expanded to the API's ARN), and conditions on `aws:SourceIp` (`IpAddress`/`NotIpAddress`),
 * `aws:UserAgent`/`aws:Referer` (`String*`), `aws:SecureTransport` (`Bool`), `aws:CurrentTime` (`Date*`),
 * `aws:EpochTime` (`Numeric*`), each optionally `…IfExists`.
 *
 * Statements naming IAM principals never apply to an anonymous caller. Anything else (other condition
 * keys or operators, `NotPrincipal`) is reported as a gap and fails closed: such an Allow never applies,
 * such a Deny always does.
 *
 * Combination with a Lambda authorizer (same account, Table A of the developer guide): an explicit Deny
 * from either wins; otherwise an Allow from either allows; otherwise the request is implicitly denied.
 * Without an authorizer the policy alone must allow explicitly.
 */
import { BlockList, isIP } from 'node:net';
import type { ResourcePolicyDocument, ResourcePolicyStatement } from './config.js';

export type PolicyDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

/** What conditions may read about the request. */
export interface PolicyRequest {
  readonly arn: string;
  readonly sourceIp: string;
  readonly userAgent: string | undefined;
  readonly referer: string | undefined;
  readonly secureTransport: boolean;
  /** Epoch ms. */
  readonly now: number;
}

type Matcher = (request: PolicyRequest) => boolean;

interface CompiledStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly applies: Matcher;
}

const list = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

function glob(pattern: string, caseInsensitive = false): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's');
}

function anyGlob(patterns: readonly string[], caseInsensitive = false): (value: string) => boolean {
  const regexes = patterns.map((p) => glob(p, caseInsensitive));
  return (value) => regexes.some((r) => r.test(value));
}

function ipMatcher(values: readonly string[]): (ip: string) => boolean {
  const blocks = new BlockList();
  for (const value of values) {
    const [address = '', bits] = value.split('/');
    const family = isIP(address);
    if (family === 0)
      throw new Error(`aws:SourceIp value ${JSON.stringify(value)} is not an IP address or CIDR`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) blocks.addAddress(address, type);
    else blocks.addSubnet(address, Number(bits), type);
  }
  return (ip) => {
    const family = isIP(ip);
    return family !== 0 && blocks.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  };
}

class Unsupported extends Error {}

function stringOperator(op: string, values: readonly string[]): (value: string) => boolean {
  switch (op) {
    case 'StringEquals':
      return (v) => values.includes(v);
    case 'StringNotEquals':
      return (v) => !values.includes(v);
    case 'StringEqualsIgnoreCase':
      return (v) => values.some((x) => x.toLowerCase() === v.toLowerCase());
    case 'StringNotEqualsIgnoreCase':
      return (v) => !values.some((x) => x.toLowerCase() === v.toLowerCase());
    case 'StringLike': {
      const match = anyGlob(values);
      return (v) => match(v);
    }
    case 'StringNotLike': {
      const match = anyGlob(values);
      return (v) => !match(v);
    }
    default:
      throw new Unsupported(`condition operator ${op}`);
  }
}

function compare(op: string, values: readonly number[]): (value: number) => boolean {
  const cmp: Record<string, (a: number, b: number) => boolean> = {
    Equals: (a, b) => a === b,
    NotEquals: (a, b) => a !== b,
    LessThan: (a, b) => a < b,
    LessThanEquals: (a, b) => a <= b,
    GreaterThan: (a, b) => a > b,
    GreaterThanEquals: (a, b) => a >= b,
  };
  const fn = cmp[op];
  if (fn === undefined) throw new Unsupported(`condition operator ${op}`);
  return (v) => (op === 'NotEquals' ? values.every((x) => fn(v, x)) : values.some((x) => fn(v, x)));
}

/** One `Operator: { key: values }` entry → a matcher; missing keys follow IAM (`…IfExists` → true). */
function compileCondition(rawOp: string, key: string, rawValues: readonly string[]): Matcher {
  const ifExists = rawOp.endsWith('IfExists');
  const op = ifExists ? rawOp.slice(0, -'IfExists'.length) : rawOp;
  const lowerKey = key.toLowerCase();
  const missing = (negated: boolean): boolean => ifExists || negated;
  if (lowerKey === 'aws:sourceip') {
    if (op !== 'IpAddress' && op !== 'NotIpAddress') throw new Unsupported(`${op} on aws:SourceIp`);
    const inRange = ipMatcher(rawValues);
    return op === 'IpAddress' ? (r) => inRange(r.sourceIp) : (r) => !inRange(r.sourceIp);
  }
  if (lowerKey === 'aws:useragent' || lowerKey === 'aws:referer') {
    const test = stringOperator(op, rawValues);
    const negated = op.includes('Not');
    return (r) => {
      const value = lowerKey === 'aws:useragent' ? r.userAgent : r.referer;
      return value === undefined ? missing(negated) : test(value);
    };
  }
  if (lowerKey === 'aws:securetransport') {
    if (op !== 'Bool') throw new Unsupported(`${op} on aws:SecureTransport`);
    return (r) => rawValues.some((v) => v.toLowerCase() === String(r.secureTransport));
  }
  if (lowerKey === 'aws:currenttime' && op.startsWith('Date')) {
    const test = compare(
      op.slice('Date'.length),
      rawValues.map((v) => Date.parse(v)),
    );
    return (r) => test(r.now);
  }
  if (lowerKey === 'aws:epochtime' && op.startsWith('Numeric')) {
    const test = compare(op.slice('Numeric'.length), rawValues.map(Number));
    return (r) => test(Math.floor(r.now / 1000));
  }
  throw new Unsupported(`condition key ${key}`);
}

export interface ApiArnParts {
  readonly region: string;
  readonly accountId: string;
  readonly apiId: string;
}

/** `execute-api:/prod/GET/pets` → `arn:aws:execute-api:{region}:{account}:{apiId}/prod/GET/pets`. */
export function expandResource(resource: string, api: ApiArnParts): string {
  if (resource.startsWith('execute-api:/')) {
    return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${resource.slice('execute-api:/'.length)}`;
  }
  return resource;
}

function anonymousPrincipal(principal: ResourcePolicyStatement['Principal']): boolean {
  if (principal === '*') return true;
  if (principal === undefined) return false;
  return list(principal.AWS).includes('*');
}

export class ResourcePolicy {
  readonly #statements: readonly CompiledStatement[];
  /** What the policy uses that is not evaluated locally (fails closed). */
  readonly gaps: readonly string[];

  /** Throws on a malformed document (AWS would reject it); unsupported features become gaps. */
  constructor(document: ResourcePolicyDocument, api: ApiArnParts) {
    const raw = document.Statement;
    const statements = (Array.isArray(raw) ? raw : [raw]) as readonly ResourcePolicyStatement[];
    if (statements.length === 0) throw new Error('the resource policy has no Statement');
    const gaps: string[] = [];
    this.#statements = statements.map((s, i) => {
      const name = s.Sid ?? `Statement[${i}]`;
      if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
        throw new Error(`${name}: Effect must be Allow or Deny`);
      const failClosed = (why: string): CompiledStatement => {
        gaps.push(
          `resource policy ${name}: ${why} is not evaluated locally (${s.Effect === 'Allow' ? 'never allows' : 'always denies'})`,
        );
        return { effect: s.Effect, applies: () => s.Effect === 'Deny' };
      };
      if (s.NotPrincipal !== undefined) return failClosed('NotPrincipal');
      if (s.Principal === undefined)
        throw new Error(`${name}: a resource policy statement needs a Principal`);
      if (!anonymousPrincipal(s.Principal)) return { effect: s.Effect, applies: () => false };

      const invokes = (actions: readonly string[]): boolean => anyGlob(actions, true)('execute-api:Invoke');
      let actionApplies: boolean;
      if (s.Action !== undefined) actionApplies = invokes(list(s.Action));
      else if (s.NotAction !== undefined) actionApplies = !invokes(list(s.NotAction));
      else throw new Error(`${name}: Action or NotAction is required`);
      if (!actionApplies) return { effect: s.Effect, applies: () => false };

      let resource: (arn: string) => boolean;
      if (s.Resource !== undefined) resource = anyGlob(list(s.Resource).map((r) => expandResource(r, api)));
      else if (s.NotResource !== undefined) {
        const excluded = anyGlob(list(s.NotResource).map((r) => expandResource(r, api)));
        resource = (arn) => !excluded(arn);
      } else throw new Error(`${name}: Resource or NotResource is required`);

      const conditions: Matcher[] = [];
      try {
        for (const [op, entries] of Object.entries(s.Condition ?? {})) {
          for (const [key, values] of Object.entries(entries))
            conditions.push(compileCondition(op, key, list(values)));
        }
      } catch (error) {
        if (error instanceof Unsupported) return failClosed(error.message);
        throw new Error(`${name}: ${(error as Error).message}`);
      }
      return { effect: s.Effect, applies: (r) => resource(r.arn) && conditions.every((c) => c(r)) };
    });
    this.gaps = gaps;
  }

  evaluate(request: PolicyRequest): PolicyDecision {
    let allowed = false;
    for (const statement of this.#statements) {
      if (!statement.applies(request)) continue;
      if (statement.effect === 'Deny') return 'explicit-deny';
      allowed = true;
    }
    return allowed ? 'allow' : 'implicit-deny';
  }
}

/** Table A: resource policy (undefined: none) and Lambda authorizer (undefined: none) → one decision. */
export function combineDecisions(
  policy: PolicyDecision | undefined,
  authorizer: PolicyDecision | undefined,
): { decision: PolicyDecision; by: 'policy' | 'authorizer' } {
  if (policy === 'explicit-deny') return { decision: 'explicit-deny', by: 'policy' };
  if (authorizer === 'explicit-deny') return { decision: 'explicit-deny', by: 'authorizer' };
  if (policy === 'allow' || authorizer === 'allow')
    return { decision: 'allow', by: policy === 'allow' ? 'policy' : 'authorizer' };
  if (policy === undefined && authorizer === undefined) return { decision: 'allow', by: 'policy' };
  return { decision: 'implicit-deny', by: authorizer === undefined ? 'policy' : 'authorizer' };
}
