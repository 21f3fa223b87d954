/**
 * Identity source selection expressions, as authorizers use them: `$request.header.name`
 * (case-insensitive), `$request.querystring.name` (case-sensitive), `$context.variable`,
 * `$stageVariables.name`. Compiled at start into functions that read one value from a request; an empty
 * value counts as missing.
 */
import { formatClfTime } from '../clf-time.js';
import type { Exchange } from './compile.js';

export type IdentitySource = (exchange: Exchange) => string | undefined;

/** The `$context` variables an identity source may name (a subset of the access-log variables). */
const CONTEXT_VARIABLES: Readonly<Record<string, (x: Exchange) => string>> = {
  accountId: (x) => x.api.accountId,
  apiId: (x) => x.api.apiId,
  domainName: (x) => x.api.domainName,
  domainPrefix: (x) => x.api.apiId,
  httpMethod: (x) => x.request.method,
  'identity.sourceIp': (x) => x.request.sourceIp,
  'identity.userAgent': (x) => x.request.userAgent,
  path: (x) => x.request.path,
  protocol: (x) => x.request.protocol,
  requestId: (x) => x.request.requestId,
  requestTime: (x) => formatClfTime(x.request.timeEpoch),
  requestTimeEpoch: (x) => String(x.request.timeEpoch),
  routeKey: (x) => x.route.routeKey,
  stage: (x) => x.stage.name,
};

const nonEmpty = (value: string | undefined): string | undefined => (value === '' ? undefined : value);

export function compileIdentitySource(expression: string): IdentitySource {
  const header = /^\$request\.header\.(.+)$/.exec(expression);
  if (header) {
    const name = (header[1] as string).toLowerCase();
    if (name === 'cookie') return (x) => nonEmpty(x.request.cookieHeaders?.join('; '));
    return (x) => nonEmpty(x.request.headers[name]);
  }
  const query = /^\$request\.querystring\.(.+)$/.exec(expression);
  if (query) {
    const name = query[1] as string;
    return (x) => nonEmpty(x.request.query?.[name]);
  }
  const stageVariable = /^\$stageVariables\.(.+)$/.exec(expression);
  if (stageVariable) {
    const name = stageVariable[1] as string;
    return (x) => nonEmpty(x.stage.stageVariables?.[name]);
  }
  const context = /^\$context\.(.+)$/.exec(expression);
  if (context) {
    const read = CONTEXT_VARIABLES[context[1] as string];
    if (read === undefined)
      throw new Error(`identity source ${expression}: context variable not supported locally`);
    return (x) => nonEmpty(read(x));
  }
  throw new Error(`identity source ${JSON.stringify(expression)} is not a supported selection expression`);
}
