import type { StackProps } from 'aws-cdk-lib';
import type { StageConfig } from '../config/stage-config';
import type { SharedAuth } from './shared-stack';

/** Props every service stack takes: its stage's config and the shared identity resources. */
export interface ServiceStackProps extends StackProps {
  readonly config: StageConfig;
  readonly auth: SharedAuth;
}

/**
 * Environment of functions behind a REST API, which must send CORS headers themselves (REST proxy
 * integrations pass the function's headers through). HTTP APIs answer CORS at the gateway instead.
 */
export function corsEnvironment(config: StageConfig): Record<string, string> {
  return { CORS_ALLOWED_ORIGINS: config.corsAllowedOrigins.join(',') };
}
