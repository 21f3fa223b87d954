/** Where a stack "is deployed": the values behind the pseudo parameters. */
export interface StackEnvironment {
  readonly stackName: string;
  /** `arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<uuid>`. */
  readonly stackId: string;
  readonly accountId: string;
  readonly region: string;
  /** `aws`, `aws-cn` or `aws-us-gov`. */
  readonly partition: string;
  /** `amazonaws.com` or `amazonaws.com.cn`. */
  readonly urlSuffix: string;
}

export const DEFAULT_ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function urlSuffixOf(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`; pass `''` for global services. */
export function arn(
  env: Pick<StackEnvironment, 'partition' | 'region' | 'accountId'>,
  service: string,
  resource: string,
  options: { region?: string; accountId?: string } = {},
): string {
  return `arn:${env.partition}:${service}:${options.region ?? env.region}:${options.accountId ?? env.accountId}:${resource}`;
}

/**
 * Parses the `environment` of a stack artifact (`aws://<account>/<region>`); CDK writes
 * `unknown-account` / `unknown-region` for environment-agnostic stacks.
 */
export function parseEnvironment(environment: string | undefined): { accountId?: string; region?: string } {
  const match = /^aws:\/\/([^/]*)\/([^/]*)$/.exec(environment ?? '');
  if (!match) return {};
  const [, account, region] = match;
  return {
    ...(account && account !== 'unknown-account' ? { accountId: account } : {}),
    ...(region && region !== 'unknown-region' ? { region } : {}),
  };
}
