import type {
  APIGatewayAuthorizerResult,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayTokenAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { authorizerHandler } from '../src/index';
import { fakeContext } from '../src/testing';
import { captureOutput, fixture, JWT, loadFresh } from './support';

const output = captureOutput();

const context = fakeContext('shared-token-authorizer');

function tokenEvent(): APIGatewayTokenAuthorizerEvent {
  const event = fixture<APIGatewayTokenAuthorizerEvent>('rest-authorizer-token.json');
  event.authorizationToken = `Bearer ${JWT}`;
  return event;
}

/** The captured `$connect` REQUEST authorizer input, with the token where browsers put it: the query string. */
function connectRequestEvent(): APIGatewayRequestAuthorizerEvent {
  const event = fixture<APIGatewayRequestAuthorizerEvent>('ws-connect-authorizer-request.json');
  event.queryStringParameters = { ...event.queryStringParameters, token: JWT };
  event.multiValueQueryStringParameters = { ...event.multiValueQueryStringParameters, token: [JWT] };
  event.headers = { ...event.headers, Authorization: `Bearer ${JWT}` };
  event.multiValueHeaders = { ...event.multiValueHeaders, Authorization: [`Bearer ${JWT}`] };
  return event;
}

const allow = (event: { methodArn: string }): APIGatewayAuthorizerResult => ({
  principalId: 'd2f50444-0041-7036-aea2-a955fca33d37',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
  },
  context: { tenantId: 'tenant-1' },
});

describe('authorizerHandler', () => {
  it('keeps the exact signature other packages code against, and returns the result unchanged', async () => {
    const handler = authorizerHandler<APIGatewayTokenAuthorizerEvent, APIGatewayAuthorizerResult>(
      async (event) => allow(event),
    );
    expectTypeOf(handler).toExtend<
      (event: APIGatewayTokenAuthorizerEvent, context: Context) => Promise<APIGatewayAuthorizerResult>
    >();

    const event = tokenEvent();
    expect(await handler(event, context)).toEqual(allow(event));
  });

  it("propagates Error('Unauthorized') unchanged — the exact error API Gateway turns into 401", async () => {
    const unauthorized = new Error('Unauthorized');
    const handler = authorizerHandler(async (_event: APIGatewayTokenAuthorizerEvent) => {
      throw unauthorized;
    });

    await expect(handler(tokenEvent(), context)).rejects.toBe(unauthorized);
    expect(output.logs().filter((line) => line.level === 'ERROR')).toEqual([]);
  });

  it('propagates any other error unchanged too, logging it at ERROR', async () => {
    const failure = new TypeError('Cannot read properties of undefined (reading "keys")');
    const handler = authorizerHandler(async (_event: APIGatewayRequestAuthorizerEvent) => {
      throw failure;
    });

    await expect(handler(connectRequestEvent(), context)).rejects.toBe(failure);
    expect(output.logs().find((line) => line.level === 'ERROR')).toMatchObject({
      message: 'Authorizer failed',
      correlation_id: 'abc123',
      function_name: 'shared-token-authorizer',
      error: { name: 'TypeError' },
    });
  });

  it('does not log the event at INFO', async () => {
    const handler = authorizerHandler(async (event: APIGatewayTokenAuthorizerEvent) => allow(event));
    await handler(tokenEvent(), context);
    expect(output.logs().some((line) => 'event' in line)).toBe(false);
    expect(output.text()).not.toContain(JWT);
  });

  describe('at DEBUG level', () => {
    it('logs the TOKEN event with authorizationToken redacted', async () => {
      const fresh = await loadFresh({ POWERTOOLS_LOG_LEVEL: 'DEBUG' });
      const handler = fresh.authorizerHandler(async (event: APIGatewayTokenAuthorizerEvent) => allow(event));

      await handler(tokenEvent(), context);

      const eventLine = output.logs().find((line) => line.message === 'Lambda invocation event');
      expect(eventLine?.level).toBe('DEBUG');
      expect(eventLine?.event).toEqual({
        type: 'TOKEN',
        methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:puhdx84jy9/prod/POST/lambda-token',
        authorizationToken: '[REDACTED]',
      });
      expect(output.text()).not.toContain(JWT);
      expect(output.text()).not.toMatch(/Bearer\s+eyJ/);
    });

    it('logs the REQUEST event with the correlation id, and no token in headers or query strings', async () => {
      const fresh = await loadFresh({ POWERTOOLS_LOG_LEVEL: 'DEBUG' });
      const handler = fresh.authorizerHandler(async (event: APIGatewayRequestAuthorizerEvent) =>
        allow(event),
      );

      await handler(connectRequestEvent(), context);

      const eventLine = output.logs().find((line) => line.message === 'Lambda invocation event');
      expect(eventLine).toMatchObject({
        level: 'DEBUG',
        correlation_id: 'abc123',
        event: {
          headers: { Authorization: '[REDACTED]', Host: 'abcdef123.execute-api.us-east-1.amazonaws.com' },
          multiValueHeaders: { Authorization: '[REDACTED]' },
          queryStringParameters: { QueryString1: 'queryValue1', token: '[REDACTED]' },
          multiValueQueryStringParameters: { token: '[REDACTED]' },
          requestContext: { routeKey: '$connect', connectionId: 'def456' },
        },
      });
      expect(output.lines().length).toBeGreaterThan(0);
      for (const line of output.lines()) expect(JSON.stringify(line)).not.toContain(JWT);
      expect(output.text()).not.toContain(JWT);
    });

    it('resets per-invocation keys: a TOKEN event after a REQUEST event has no stale correlation id', async () => {
      const fresh = await loadFresh({ POWERTOOLS_LOG_LEVEL: 'DEBUG' });
      const request = fresh.authorizerHandler(async (event: APIGatewayRequestAuthorizerEvent) =>
        allow(event),
      );
      const token = fresh.authorizerHandler(async (event: APIGatewayTokenAuthorizerEvent) => allow(event));

      await request(connectRequestEvent(), context);
      await token(tokenEvent(), context);

      const events = output.logs().filter((line) => line.message === 'Lambda invocation event');
      expect(events.map((line) => line.correlation_id)).toEqual(['abc123', undefined]);
    });
  });
});
