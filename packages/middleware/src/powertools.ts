/**
 * The Powertools singletons, created once per execution environment (module scope), never per call:
 * a cold start pays for them once and warm invocations reuse them.
 *
 * Configuration comes from the environment the template sets, read by Powertools itself:
 *   POWERTOOLS_SERVICE_NAME       service name on log lines and the `service` metric dimension
 *   POWERTOOLS_LOG_LEVEL          TRACE | DEBUG | INFO (default) | WARN | ERROR | CRITICAL | SILENT
 *   POWERTOOLS_METRICS_NAMESPACE  CloudWatch namespace of the EMF metrics
 *   POWERTOOLS_TRACE_ENABLED      `false` turns tracing off (tracing is also off whenever
 *                                 AWS_EXECUTION_ENV is unset, i.e. outside Lambda: tests, scripts)
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { redactionReplacer } from './redact';

/** Structured JSON logger. Every line passes through the redaction replacer: no credential reaches a log. */
export const logger = new Logger({ jsonReplacerFn: redactionReplacer });

export const tracer = new Tracer();

// With throwOnEmptyMetrics off, an invocation that records no metric is normal, yet Metrics warns about
// it on every flush. Route Metrics' own diagnostics through our logger (JSON, with the correlation id)
// and demote that one message to debug so it does not fill the logs; every other warning stays a warning.
const EMPTY_METRICS_WARNING = 'No application metrics to publish';
const metricsDiagnostics = {
  debug: (...content: unknown[]) => logger.debug(String(content[0])),
  info: (...content: unknown[]) => logger.info(String(content[0])),
  warn: (...content: unknown[]) => {
    const message = String(content[0]);
    if (message.startsWith(EMPTY_METRICS_WARNING)) logger.debug(message);
    else logger.warn(message);
  },
  error: (...content: unknown[]) => logger.error(String(content[0])),
};

/** CloudWatch metrics in Embedded Metric Format (JSON lines on stdout; no API calls). */
export const metrics = new Metrics({ logger: metricsDiagnostics });
