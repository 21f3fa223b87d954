/**
 * What every factory adds: Powertools logging (context, correlation id, debug-only redacted events),
 * EMF metrics (cold start, flush per invocation) and quiet tracing outside Lambda. Each test loads the
 * package fresh, as a cold execution environment would, because Powertools reads its configuration
 * when the singletons are created.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { HttpApiEvent, RestApiEvent } from '../src/index';
import { fakeContext } from '../src/testing';
import { captureOutput, fixture, JWT, loadFresh } from './support';

const output = captureOutput();

const context = fakeContext('notes-api-create-note');
const SECRET_NOTE = 'my diary: the safe code is 4711';

/** An HTTP API request carrying credentials everywhere a client can put them. */
function credentialedHttpEvent(): HttpApiEvent {
  const event = fixture<HttpApiEvent>('http-jwt-authorizer.json');
  event.headers.authorization = `Bearer ${JWT}`;
  event.headers['content-type'] = 'application/json';
  event.headers.cookie = `session=${JWT}; theme=dark`;
  event.cookies = [`session=${JWT}`, 'theme=dark'];
  event.rawQueryString = `page=2&token=${JWT}&access_token=${JWT}&id_token=${JWT}`;
  event.queryStringParameters = { page: '2', token: JWT, access_token: JWT, id_token: JWT };
  event.body = JSON.stringify({ text: SECRET_NOTE });
  return event;
}

/** A REST request with the client's header casing (REST keeps it) and multi-value maps. */
function credentialedRestEvent(): RestApiEvent {
  const event = fixture<RestApiEvent>('rest-no-auth.json');
  event.headers = { ...event.headers, Authorization: `Bearer ${JWT}`, 'X-Api-Key': 'k3y-0123456789' };
  event.multiValueHeaders = { ...event.multiValueHeaders, AUTHORIZATION: [`Bearer ${JWT}`] };
  event.queryStringParameters = { token: JWT, sort: 'price' };
  event.multiValueQueryStringParameters = { token: [JWT], sort: ['price'] };
  event.body = JSON.stringify({ text: SECRET_NOTE });
  return event;
}

describe('metrics (EMF)', () => {
  it('emits the ColdStart metric on the first invocation only, with namespace, service and function', async () => {
    const { httpApiHandler, logger } = await loadFresh();
    const handler = httpApiHandler({
      handler: async () => {
        logger.info('note created');
        return { ok: true };
      },
    });

    await handler(fixture<HttpApiEvent>('http-no-auth.json'), context);
    const coldStart = output.emf();
    await handler(fixture<HttpApiEvent>('http-no-auth.json'), context);

    expect(coldStart).toHaveLength(1);
    expect(coldStart[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'ServerlessReference',
            Dimensions: [['service', 'function_name']],
            Metrics: [{ Name: 'ColdStart', Unit: 'Count' }],
          },
        ],
      },
      service: 'notes-api',
      function_name: 'notes-api-create-note',
      ColdStart: 1,
    });
    expect(output.emf()).toHaveLength(1);
    // The logger agrees: cold_start on the first invocation's lines only.
    expect(output.logs().map((line) => line.cold_start)).toEqual([true, false]);
  });

  it('flushes application metrics after each invocation, also when the handler fails', async () => {
    const { httpApiHandler, metrics, MetricUnit } = await loadFresh();
    const handler = httpApiHandler({
      body: z.object({ fail: z.boolean() }),
      handler: async ({ body }) => {
        metrics.addMetric('NoteCreated', MetricUnit.Count, 1);
        if (body.fail) throw new Error('after the metric');
        return { ok: true };
      },
    });
    const event = (fail: boolean) => ({
      ...fixture<HttpApiEvent>('http-no-auth.json'),
      body: JSON.stringify({ fail }),
    });

    await handler(event(false), context);
    await handler(event(true), context);

    const created = output.emf().filter((line) => 'NoteCreated' in line);
    expect(created).toHaveLength(2);
    for (const line of created) {
      expect(line).toMatchObject({
        _aws: { CloudWatchMetrics: [{ Namespace: 'ServerlessReference', Dimensions: [['service']] }] },
        service: 'notes-api',
        NoteCreated: 1,
      });
    }
  });

  it('stays quiet when an invocation records no metric: no warning, nothing on stderr', async () => {
    const { restApiHandler } = await loadFresh();
    const handler = restApiHandler({ handler: async () => ({ ok: true }) });
    await handler(fixture<RestApiEvent>('rest-no-auth.json'), context);
    await handler(fixture<RestApiEvent>('rest-no-auth.json'), context);
    expect(output.stderr()).toBe('');
    expect(output.logs().filter((line) => line.level === 'WARN')).toEqual([]);
  });
});

describe('logging', () => {
  it('logs the event only at DEBUG, redacted: no token, Authorization header, cookie or token parameter', async () => {
    const { httpApiHandler } = await loadFresh({ POWERTOOLS_LOG_LEVEL: 'DEBUG' });
    const handler = httpApiHandler({ handler: async () => ({ ok: true }) });

    await handler(credentialedHttpEvent(), context);

    const eventLines = output.logs().filter((line) => line.message === 'Lambda invocation event');
    expect(eventLines).toHaveLength(1);
    expect(eventLines[0]).toMatchObject({
      level: 'DEBUG',
      correlation_id: 'ZhMpgigvDoEEPlg=',
      route_key: 'POST /cognito',
      event: {
        headers: { authorization: '[REDACTED]', cookie: '[REDACTED]', 'user-agent': 'HTTPie/3.2.2' },
        cookies: '[REDACTED]',
        rawQueryString: 'page=2&token=[REDACTED]&access_token=[REDACTED]&id_token=[REDACTED]',
        queryStringParameters: {
          page: '2',
          token: '[REDACTED]',
          access_token: '[REDACTED]',
          id_token: '[REDACTED]',
        },
        // JWT claims are not credentials and stay readable for debugging.
        requestContext: { authorizer: { jwt: { claims: { sub: 'd2f50444-0041-7036-aea2-a955fca33d37' } } } },
        // At debug the body is logged (that is what debug is for).
        body: JSON.stringify({ text: SECRET_NOTE }),
      },
    });
    expect(output.text()).not.toContain(JWT);
  });

  it('redacts Authorization in any casing and multi-value maps of REST events', async () => {
    const { restApiHandler } = await loadFresh({ POWERTOOLS_LOG_LEVEL: 'DEBUG' });
    const handler = restApiHandler({ handler: async () => ({ ok: true }) });

    await handler(credentialedRestEvent(), context);

    const eventLine = output.logs().find((line) => line.message === 'Lambda invocation event');
    expect(eventLine?.event).toMatchObject({
      headers: {
        Authorization: '[REDACTED]',
        'X-Api-Key': '[REDACTED]',
        Host: 'puhdx84jy9.execute-api.eu-west-1.amazonaws.com',
      },
      multiValueHeaders: { AUTHORIZATION: '[REDACTED]' },
      queryStringParameters: { token: '[REDACTED]', sort: 'price' },
      multiValueQueryStringParameters: { token: '[REDACTED]', sort: ['price'] },
    });
    expect(output.text()).not.toContain(JWT);
    expect(output.text()).not.toContain('k3y-0123456789');
  });

  it('at INFO logs no event and no request body, on success, on 4xx and on 500', async () => {
    const { httpApiHandler } = await loadFresh({ POWERTOOLS_LOG_LEVEL: 'INFO' });
    const strict = httpApiHandler({
      body: z.object({ title: z.string() }),
      handler: async () => ({ ok: true }),
    });
    const crashing = httpApiHandler({
      handler: async ({ body }) => {
        throw new Error(`could not store ${typeof body}`);
      },
    });

    const ok = await httpApiHandler({ handler: async () => ({ ok: true }) })(
      credentialedHttpEvent(),
      context,
    );
    const invalid = await strict(credentialedHttpEvent(), context);
    const crashed = await crashing(credentialedHttpEvent(), context);

    expect([ok.statusCode, invalid.statusCode, crashed.statusCode]).toEqual([200, 400, 500]);
    expect(output.logs().length).toBeGreaterThanOrEqual(2);
    expect(output.logs().some((line) => 'event' in line)).toBe(false);
    expect(output.text()).not.toContain(SECRET_NOTE);
    expect(output.text()).not.toContain(JWT);
  });

  it('ignores POWERTOOLS_LOGGER_LOG_EVENT, which would make Powertools log raw events at INFO', async () => {
    const { httpApiHandler } = await loadFresh({ POWERTOOLS_LOGGER_LOG_EVENT: 'true' });
    await httpApiHandler({ handler: async () => ({ ok: true }) })(credentialedHttpEvent(), context);
    expect(output.logs().some((line) => 'event' in line)).toBe(false);
    expect(output.text()).not.toContain(JWT);
  });

  it('redacts tokens that a handler logs by mistake, and those inside error messages and stacks', async () => {
    const { httpApiHandler, logger } = await loadFresh();
    const handler = httpApiHandler({
      handler: async ({ headers }) => {
        logger.info('calling downstream', { headers, url: `https://api.example.com/x?access_token=${JWT}` });
        throw new Error(`downstream rejected Bearer ${JWT}`);
      },
    });

    await handler(credentialedHttpEvent(), context);

    const downstream = output.logs().find((line) => line.message === 'calling downstream');
    expect(downstream).toMatchObject({
      headers: { authorization: '[REDACTED]' },
      url: 'https://api.example.com/x?access_token=[REDACTED]',
    });
    expect(output.logs().find((line) => line.level === 'ERROR')).toMatchObject({
      error: { message: 'downstream rejected Bearer [REDACTED]' },
    });
    expect(output.text()).not.toContain(JWT);
  });
});

describe('tracing', () => {
  it('is off and silent outside Lambda (no AWS_EXECUTION_ENV), as in tests and scripts', async () => {
    const { tracer, webSocketHandler } = await loadFresh();
    expect(tracer.isTracingEnabled()).toBe(false);
    const result = await webSocketHandler({ handler: async () => undefined })(
      fixture('ws-connect.json'),
      context,
    );
    expect(result.statusCode).toBe(200);
    expect(output.stderr()).toBe('');
  });

  it('is switched off by POWERTOOLS_TRACE_ENABLED=false in a Lambda-like worker without X-Ray', async () => {
    const { tracer, httpApiHandler } = await loadFresh({
      POWERTOOLS_TRACE_ENABLED: 'false',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      LAMBDA_TASK_ROOT: '/var/task',
      _X_AMZN_TRACE_ID: 'Root=1-66705bc7-2b4257df30cbee696ef2cf28;Parent=53995c3f42cd8ad8;Sampled=1',
    });
    expect(tracer.isTracingEnabled()).toBe(false);

    const ok = await httpApiHandler({ handler: async () => ({ ok: true }) })(
      fixture('http-no-auth.json'),
      context,
    );
    const failed = await httpApiHandler({
      handler: async () => {
        throw new Error('boom');
      },
    })(fixture('http-no-auth.json'), context);

    expect([ok.statusCode, failed.statusCode]).toEqual([200, 500]);
    // The only stderr output is our own ERROR log line for the 500 — no X-Ray or tracer noise.
    const stderrLines = output.stderr().trim().split('\n');
    expect(stderrLines).toHaveLength(1);
    expect(JSON.parse(stderrLines[0] ?? '')).toMatchObject({ level: 'ERROR', message: 'Unhandled error' });
  });
});
