/**
 * A minimal API Gateway control plane (`https://apigateway.{region}.amazonaws.com` on AWS) on its own
 * listener: the management calls a client of a REST API needs, with AWS's paths and JSON shapes, so the
 * unmodified `@aws-sdk/client-api-gateway` works with `endpoint` set to this listener's URL.
 *
 * | call | request | answer |
 * |---|---|---|
 * | GetUsagePlan | `GET /usageplans/{usagePlanId}` | 200 UsagePlan (its throttle and quota) |
 * | GetUsage | `GET /usageplans/{usagePlanId}/usage?startDate=&endDate=[&keyId=]` | 200 Usage |
 * | UpdateUsage | `PATCH /usageplans/{usagePlanId}/keys/{keyId}/usage` `{patchOperations:[{op:'replace', path:'/remaining', value:'N'}]}` | 200 Usage |
 * | FlushStageCache | `DELETE /restapis/{restApiId}/stages/{stageName}/cache/data` | 202, empty |
 * | GetApiKey | `GET /apikeys/{apiKey}[?includeValue=true]` | 200 ApiKey |
 *
 * Usage on the wire is `{usagePlanId, startDate, endDate, values: {keyId: [[used, remaining], …]}}`, one
 * pair per UTC day (the SDK names `values` `items`). Errors are the control plane's: status,
 * `x-amzn-ErrorType: NotFoundException` (404) / `BadRequestException` (400) and `{"message": "…"}`, which the
 * SDK raises as `NotFoundException` / `BadRequestException`. Any other call gets 501
 * `NotImplementedException` (a local choice: AWS has the call, this listener does not).
 *
 * Requests are signed with SigV4 by the SDK; signatures are not checked (as the local DynamoDB and
 * identity provider do). Everything else about the gateway's usage plans and keys is in usage-plans.ts.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../../clock.js';
import type { RunningService } from '../../service.js';
import type { ThrottleSettings } from './config.js';
import type { RestApiGateway } from './server.js';

export interface StartManagementApiOptions {
  /** The REST API gateway whose plans, keys and caches the calls read and change; none: every id is unknown. */
  readonly gateway: Pick<RestApiGateway, 'apis' | 'flushStageCache' | 'usagePlans'> | undefined;
  /** Default 0 (a free port). */
  readonly port?: number;
  /** "Today" for GetUsage and UpdateUsage; the keys' `createdDate`. Default: the system clock. */
  readonly clock?: Clock;
  /** One line per call: `GetUsage /usageplans/abc/usage → 200`. */
  readonly log?: (line: string) => void;
}

export type ManagementApi = RunningService;

type ErrorType = 'NotFoundException' | 'BadRequestException' | 'NotImplementedException';

/** A call answered with a control-plane error. */
class ControlPlaneError extends Error {
  constructor(
    readonly type: ErrorType,
    message: string,
  ) {
    super(message);
  }
}

const STATUS: Record<ErrorType, number> = {
  NotFoundException: 404,
  BadRequestException: 400,
  NotImplementedException: 501,
};

// The texts the control plane sends for unknown ids (as recorded by AWS emulators and users' reports).
const notFound = {
  plan: () => new ControlPlaneError('NotFoundException', 'Invalid Usage Plan ID specified'),
  apiKey: () => new ControlPlaneError('NotFoundException', 'Invalid API Key identifier specified'),
  // Unverified: the text for a key that exists but is not in the plan.
  planKey: () => new ControlPlaneError('NotFoundException', 'Invalid Usage Plan Key identifier specified'),
  restApi: () => new ControlPlaneError('NotFoundException', 'Invalid API identifier specified'),
  stage: () => new ControlPlaneError('NotFoundException', 'Invalid stage identifier specified'),
};
const badRequest = (message: string) => new ControlPlaneError('BadRequestException', message);

interface Reply {
  readonly operation: string;
  readonly status: number;
  readonly body?: unknown;
}

const DAY_MS = 86_400_000;
const MAX_BODY_BYTES = 1_048_576;

const dayOf = (epochMs: number): number => Math.floor(epochMs / DAY_MS) * DAY_MS;
const isoDay = (day: number): string => new Date(day).toISOString().slice(0, 10);

/** `2026-12-07` → the day's start (epoch ms); BadRequestException otherwise (texts unverified). */
function parseDay(name: string, value: string | null): number {
  if (value === null || value === '') throw badRequest(`Required parameter ${name} is missing`);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const day = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(day) || isoDay(day) !== value) {
    throw badRequest(`Invalid ${name}: ${value} (expected yyyy-MM-dd)`);
  }
  return day;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw badRequest('Request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The remaining quota an UpdateUsage body asks for; undefined when it has no operation. */
function remainingOf(body: string): number | undefined {
  let parsed: unknown;
  try {
    parsed = body === '' ? {} : JSON.parse(body);
  } catch {
    throw badRequest('Invalid JSON in the request body');
  }
  const operations = (parsed as { patchOperations?: unknown } | null)?.patchOperations ?? [];
  if (!Array.isArray(operations)) throw badRequest('patchOperations must be a list');
  let remaining: number | undefined;
  for (const operation of operations as Array<Record<string, unknown> | null>) {
    const { op, path, value } = operation ?? {};
    // UpdateUsage supports one operation, `replace /remaining` (AWS API reference, "PATCH operations");
    // the error texts are unverified.
    if (op !== 'replace' || path !== '/remaining') {
      throw badRequest(
        `Invalid patch path '${String(path)}' specified for op '${String(op)}'. Must be one of: [replace /remaining]`,
      );
    }
    const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n)) {
      throw badRequest(`Invalid value for /remaining: '${String(value)}' (a non-negative integer)`);
    }
    remaining = n;
  }
  return remaining;
}

export async function startManagementApi(options: StartManagementApiOptions): Promise<ManagementApi> {
  const { gateway } = options;
  const clock = options.clock ?? systemClock;
  const createdDate = Math.floor(clock.now() / 1000);
  const plans = gateway?.usagePlans;

  const planKeys = (planId: string): readonly string[] => {
    const keys = plans?.planKeyIds(planId);
    if (keys === undefined) throw notFound.plan();
    return keys;
  };

  /** The Usage shape for `keyIds` over the days `from`–`to` (clamped to today). */
  const usage = (planId: string, keyIds: readonly string[], from: number, to: number) => {
    const last = Math.min(to, dayOf(clock.now()));
    return {
      usagePlanId: planId,
      startDate: isoDay(from),
      endDate: isoDay(to),
      values: Object.fromEntries(keyIds.map((id) => [id, plans?.usage(planId, id, from, last) ?? []])),
    };
  };

  const getUsagePlan = (planId: string): Reply => {
    const plan = plans?.usagePlan(planId);
    if (plan === undefined) throw notFound.plan();
    const throttle = (t: ThrottleSettings | undefined) =>
      t === undefined ? undefined : { burstLimit: t.burstLimit, rateLimit: t.rateLimit };
    return {
      operation: 'GetUsagePlan',
      status: 200,
      body: {
        id: plan.id,
        ...(plan.name === undefined ? {} : { name: plan.name }),
        apiStages: plan.apiStages.map((s) => ({
          apiId: s.apiId,
          stage: s.stage,
          ...(s.throttle === undefined
            ? {}
            : {
                throttle: Object.fromEntries(
                  Object.entries(s.throttle).map(([method, t]) => [method, throttle(t)]),
                ),
              }),
        })),
        ...(plan.throttle === undefined ? {} : { throttle: throttle(plan.throttle) }),
        ...(plan.quota === undefined
          ? {}
          : {
              quota: { limit: plan.quota.limit, offset: plan.quota.offset ?? 0, period: plan.quota.period },
            }),
        tags: {},
      },
    };
  };

  const getUsage = (planId: string, query: URLSearchParams): Reply => {
    const keys = planKeys(planId);
    const from = parseDay('startDate', query.get('startDate'));
    const to = parseDay('endDate', query.get('endDate'));
    // Unverified text: AWS refuses an end before the start.
    if (to < from) throw badRequest('The end date must not be before the start date');
    // Unverified: a key outside the plan yields no usage rather than an error. `limit` and `position` are
    // not needed: every key fits one page.
    const keyId = query.get('keyId');
    const wanted = keyId === null || keyId === '' ? keys : keys.filter((id) => id === keyId);
    return { operation: 'GetUsage', status: 200, body: usage(planId, wanted, from, to) };
  };

  const updateUsage = async (planId: string, keyId: string, req: IncomingMessage): Promise<Reply> => {
    const keys = planKeys(planId);
    if (!keys.includes(keyId)) throw plans?.apiKey(keyId) ? notFound.planKey() : notFound.apiKey();
    const remaining = remainingOf(await readBody(req));
    // Unverified text: a plan without a quota has no remaining quota to set.
    if (remaining !== undefined && !plans?.setRemaining(planId, keyId, remaining)) {
      throw badRequest(`Usage plan ${planId} has no quota`);
    }
    // Unverified: the answer shows the current day (AWS documents only that it is a Usage).
    const today = dayOf(clock.now());
    return { operation: 'UpdateUsage', status: 200, body: usage(planId, [keyId], today, today) };
  };

  const flushStageCache = (apiId: string, stage: string): Reply => {
    const api = gateway?.apis.find((a) => a.apiId === apiId);
    if (api === undefined) throw notFound.restApi();
    if (!api.stages.some((s) => s.stage === stage)) throw notFound.stage();
    gateway?.flushStageCache(apiId, stage);
    return { operation: 'FlushStageCache', status: 202 };
  };

  const getApiKey = (id: string, query: URLSearchParams): Reply => {
    const key = plans?.apiKey(id);
    if (key === undefined) throw notFound.apiKey();
    return {
      operation: 'GetApiKey',
      status: 200,
      body: {
        id: key.id,
        ...(key.name === undefined ? {} : { name: key.name }),
        ...(query.get('includeValue') === 'true' ? { value: key.value } : {}),
        enabled: key.enabled,
        // Unverified: the keys come from the template at start; both dates are the local cloud's start.
        createdDate,
        lastUpdatedDate: createdDate,
        stageKeys: [...key.stageKeys],
        tags: {},
      },
    };
  };

  const route = async (req: IncomingMessage): Promise<Reply> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let segments: string[];
    try {
      segments = url.pathname.split('/').slice(1).map(decodeURIComponent);
    } catch {
      throw badRequest('Invalid path');
    }
    const [a, b, c, d, e, f] = segments;
    const verb = req.method ?? 'GET';
    const n = segments.length;
    if (a === 'usageplans' && b) {
      if (verb === 'GET' && n === 2) return getUsagePlan(b);
      if (verb === 'GET' && n === 3 && c === 'usage') return getUsage(b, url.searchParams);
      if (verb === 'PATCH' && n === 5 && c === 'keys' && d && e === 'usage') return updateUsage(b, d, req);
    }
    if (verb === 'DELETE' && n === 6 && a === 'restapis' && b && c === 'stages' && d && e === 'cache') {
      if (f === 'data') return flushStageCache(b, d);
    }
    if (verb === 'GET' && n === 2 && a === 'apikeys' && b) return getApiKey(b, url.searchParams);
    throw new ControlPlaneError(
      'NotImplementedException',
      `${verb} ${url.pathname} is not served by the local API Gateway control plane ` +
        '(GetUsagePlan, GetUsage, UpdateUsage, FlushStageCache and GetApiKey are)',
    );
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'x-amzn-RequestId': randomUUID(),
      ...headers,
    });
    res.end(text);
  };

  const server = createServer((req, res) => {
    route(req).then(
      (reply) => {
        send(res, reply.status, reply.body);
        options.log?.(`${reply.operation} ${req.url} → ${reply.status}`);
      },
      (error: unknown) => {
        const known = error instanceof ControlPlaneError;
        const type: ErrorType | 'InternalServerError' = known ? error.type : 'InternalServerError';
        const status = known ? STATUS[error.type] : 500;
        const message = known ? error.message : 'Internal error in the local API Gateway control plane';
        if (!known) options.log?.(`internal error: ${String(error)}`);
        if (!res.headersSent) send(res, status, { message }, { 'x-amzn-ErrorType': type });
        options.log?.(`${req.method} ${req.url} → ${status} ${type}: ${message}`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
