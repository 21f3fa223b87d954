/**
 * Checks a configuration the way `startRestApiGateway` will, without listening: for mappers that must
 * turn what the gateway refuses into reported gaps instead of a failed start.
 */
import { systemClock } from '../../clock.js';
import type { LambdaInvoker } from '../invoker.js';
import { compileApi, RestApiConfigError, type RestApiGap } from './compile.js';
import type { RestApiConfig } from './config.js';
import { UsagePlanConfigError, UsagePlans } from './usage-plans.js';

/** Never called: compiling does not invoke anything. */
const NO_INVOKER: LambdaInvoker = {
  invoke: () => Promise.reject(new Error('not invoked while checking')),
};

export type RestApiCheck =
  | { readonly ok: true; readonly gaps: readonly RestApiGap[] }
  | { readonly ok: false; readonly error: string };

/** Whether the gateway accepts one API (usage plans and keys aside), and its gaps. */
export function checkRestApi(config: RestApiConfig): RestApiCheck {
  try {
    const compiled = compileApi(
      { ...config, usagePlans: [], apiKeys: [] },
      { invoker: NO_INVOKER, clock: systemClock },
    );
    return { ok: true, gaps: compiled.gaps };
  } catch (error) {
    if (error instanceof RestApiConfigError) return { ok: false, error: error.message };
    throw error;
  }
}

/** Undefined when the gateway accepts the usage plans and API keys of these APIs, else why not. */
export function checkUsagePlans(apis: readonly RestApiConfig[]): string | undefined {
  try {
    new UsagePlans(apis, systemClock);
    return undefined;
  } catch (error) {
    if (error instanceof UsagePlanConfigError) return error.message;
    throw error;
  }
}
