/**
 * TEST-ONLY — a fake Lambda `Context` for driving handlers in unit tests. Never import this from a
 * handler or anything a handler imports (see ./index.ts).
 */
import type { Context } from 'aws-lambda';

/**
 * A Lambda `Context` as the Node.js runtime passes it: the function's name, ARN, log group and stream,
 * a request id and `getRemainingTimeInMillis`. The Powertools logger reads most of these into every log
 * line (`function_name`, `function_arn`, `function_request_id`…). `overrides` replaces any field, e.g.
 * `{ getRemainingTimeInMillis: () => 50 }` to test a handler that watches its deadline.
 */
export function fakeContext(functionName = 'test-function', overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2024/06/17/[$LATEST]6a2b6d1e0f1e4b8c9d0e1f2a3b4c5d6e',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}
