/**
 * Local Lambda runtime: runs each function's real bundle in worker threads (see README.md).
 */
export { formatLogRecord, stdoutLogSink } from './logs';
export { LambdaRuntime, type RuntimeUpdate, type UpdateSummary } from './runtime';
export type {
  FunctionConfig,
  FunctionStats,
  HostRewrite,
  InvokeFailure,
  InvokeFailureKind,
  InvokeOptions,
  InvokeResult,
  InvokeSuccess,
  LambdaRuntimeOptions,
  LogRecord,
  LogSink,
} from './types';
