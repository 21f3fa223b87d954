/**
 * The table `local-cloud up` prints once everything listens: APIs, usage plans and API keys, user pools,
 * demo users, DynamoDB, stack outputs. Client secrets are never printed (they are in the endpoints file);
 * demo users' passwords and API key values are, since they are local demo credentials (the seed file's,
 * and keys generated locally because templates have no value).
 */
import type { EndpointsFile } from './endpoints-file';

/** Rows → lines with padded columns (the last column is not padded). */
export function columns(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i < row.length - 1) widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  const line = (row: readonly string[]) =>
    indent + row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ');
  return rows.map((row) => line(row).trimEnd());
}

export interface SummaryContext {
  /** Where the endpoints file was written. */
  readonly endpointsFile?: string;
  /** The seed file the demo users came from. */
  readonly seedFile?: string;
  readonly watch: boolean;
}

export function formatSummary(endpoints: EndpointsFile, context: SummaryContext): string[] {
  const lines: string[] = [''];
  const section = (title: string, body: string[]) => {
    if (body.length === 0) return;
    lines.push(title, ...body, '');
  };

  section(
    'APIs',
    columns(
      endpoints.apis.flatMap((api) =>
        api.stages.map((stage) => [
          api.name,
          `${api.kind.toUpperCase()} ${api.apiId}`,
          stage.name,
          stage.url,
          `(${api.stack}/${api.logicalId})`,
        ]),
      ),
    ),
  );

  const limits = (plan: EndpointsFile['usagePlans'][number]) =>
    [
      plan.throttle === undefined
        ? 'no throttle'
        : `${plan.throttle.rateLimit ?? '-'} req/s, burst ${plan.throttle.burstLimit ?? '-'}`,
      plan.quota === undefined
        ? 'no quota'
        : `${plan.quota.limit} per ${plan.quota.period}${plan.quota.offset ? ` (offset ${plan.quota.offset})` : ''}`,
    ].join(', ');
  section(
    'Usage plans',
    columns(
      endpoints.usagePlans.map((plan) => [
        plan.name,
        plan.id,
        limits(plan),
        `(${plan.stack}/${plan.logicalId})`,
      ]),
    ),
  );
  const planNames = new Map(endpoints.usagePlans.map((plan) => [plan.id, plan.name]));
  section(
    'API keys — LOCAL ONLY, demo keys (send as x-api-key)',
    columns(
      endpoints.apiKeys.map((key) => [
        key.name,
        key.value,
        [
          key.enabled ? '' : 'DISABLED',
          key.usagePlanIds.length === 0
            ? 'in no usage plan'
            : `plan: ${key.usagePlanIds.map((id) => planNames.get(id) ?? id).join(', ')}`,
        ]
          .filter(Boolean)
          .join('; '),
        `(${key.stack}/${key.logicalId})`,
      ]),
    ),
  );

  if (endpoints.apis.some((api) => api.kind === 'rest')) {
    section("API Gateway control plane (the SDK's endpoint option)", [
      `  ${endpoints.apiGateway.endpoint}  GetUsagePlan, GetUsage, UpdateUsage, FlushStageCache, GetApiKey`,
    ]);
  }

  const pools = endpoints.cognito.userPools.flatMap((pool) => [
    `  ${pool.stack}/${pool.logicalId}  ${pool.id}`,
    ...columns(
      [
        ['issuer', pool.issuer],
        ['token endpoint', pool.tokenEndpoint],
        ...pool.clients.map((client) => [
          'client',
          client.id,
          `${client.name}${client.secret === undefined ? '' : ' (has a secret: see the endpoints file)'}`,
        ]),
      ],
      '    ',
    ),
  ]);
  if (pools.length > 0) {
    section('User pools', [
      ...pools,
      `  Cognito API (the SDK's endpoint option): ${endpoints.cognito.endpoint}`,
    ]);
  }

  section(
    `Demo users — LOCAL ONLY, demo credentials${context.seedFile ? ` from ${context.seedFile}` : ''}`,
    columns(
      endpoints.demoUsers.map((user) => [
        user.username,
        user.password,
        user.groups.length === 0 ? '' : `groups: ${user.groups.join(', ')}`,
      ]),
    ),
  );

  section(`DynamoDB (${endpoints.dynamodb.engine})  ${endpoints.dynamodb.endpoint}`, [
    ...columns(endpoints.dynamodb.tables.map((table) => [table.name, `(${table.stack}/${table.logicalId})`])),
  ]);

  section(
    'Stack outputs (AWS URLs of local services rewritten)',
    columns(
      Object.entries(endpoints.outputs).flatMap(([stack, outputs]) =>
        Object.entries(outputs)
          // CDK's generated cross-stack exports repeat other outputs.
          .filter(([key]) => !key.startsWith('ExportsOutput'))
          .map(([key, value]) => [stack, key, value]),
      ),
    ),
  );

  if (endpoints.gaps.length > 0) {
    const n = endpoints.gaps.length;
    lines.push(
      `${n} gap${n === 1 ? '' : 's'}: listed above${context.endpointsFile ? ' and in the endpoints file' : ''}`,
    );
  }
  if (context.endpointsFile) lines.push(`Endpoints file: ${context.endpointsFile}`);
  if (context.watch) lines.push('Watching: a rebuild or a new synth reloads the changed functions.');
  lines.push('Ctrl-C stops the local cloud.');
  return lines;
}
