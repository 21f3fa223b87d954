import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import * as z from 'zod';
import { Forbidden, json, type WebSocketEvent, webSocketHandler } from '../src/index';
import { fakeContext } from '../src/testing';
import { captureOutput, fixture } from './support';

const output = captureOutput();

const context = fakeContext('chat-send-message');
const ChatMessage = z.object({ action: z.literal('chat'), message: z.string().min(1).max(1000) });

function messageEvent(body: string): WebSocketEvent {
  const event = fixture<WebSocketEvent>('ws-message.json');
  event.body = body;
  return event;
}

describe('webSocketHandler', () => {
  it('accepts $connect with 200 when the handler returns nothing, and gives it the connection', async () => {
    const seen = vi.fn();
    const handler = webSocketHandler({
      query: z.object({ room: z.string().default('lobby') }),
      handler: async (request) => {
        expectTypeOf(request.query).toEqualTypeOf<{ room: string }>();
        seen({ ...request.query, connectionId: request.connectionId, routeKey: request.routeKey });
      },
    });

    const result = await handler(fixture<WebSocketEvent>('ws-connect.json'), context);

    expect(result).toEqual({ statusCode: 200 });
    expect(seen).toHaveBeenCalledWith({
      room: 'lobby',
      connectionId: 'BFHPhfCWIAMCKlQ=',
      routeKey: '$connect',
    });
  });

  it('rejects the handshake with a non-2xx status when $connect throws a typed error', async () => {
    const handler = webSocketHandler({
      handler: async ({ event }) => {
        if (!event.requestContext.authorizer?.principalId) throw new Forbidden('Sign in to chat');
      },
    });
    const result = await handler(fixture<WebSocketEvent>('ws-connect.json'), context);
    expect(result).toEqual({
      statusCode: 403,
      headers: { 'Content-Type': 'application/json' },
      body: '{"message":"Sign in to chat"}',
    });
  });

  it('parses and validates the route message, typed', async () => {
    const handler = webSocketHandler({
      body: ChatMessage,
      handler: async ({ body, connectionId }) => {
        expectTypeOf(body).toEqualTypeOf<{ action: 'chat'; message: string }>();
        return { echoed: body.message, from: connectionId };
      },
    });
    const result = await handler(fixture<WebSocketEvent>('ws-message.json'), context);
    expect(result).toEqual({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json' },
      body: '{"echoed":"Hello from client","from":"BFaT_fALIAMCKug="}',
    });
  });

  it('passes explicit responses through (e.g. a subprotocol header on $connect)', async () => {
    const handler = webSocketHandler({
      handler: async () => json(200, { ok: true }, { 'Sec-WebSocket-Protocol': 'chat.v1' }),
    });
    const result = await handler(fixture<WebSocketEvent>('ws-connect.json'), context);
    expect(result.headers?.['Sec-WebSocket-Protocol']).toBe('chat.v1');
  });

  it('answers a malformed frame with 400 and an invalid message with the failing fields', async () => {
    const inner = vi.fn();
    const handler = webSocketHandler({ body: ChatMessage, handler: inner });

    const malformed = await handler(messageEvent('{"action":"chat",'), context);
    expect(malformed.statusCode).toBe(400);
    expect(JSON.parse(malformed.body ?? '')).toEqual({ message: 'Request body is not valid JSON' });

    const invalid = await handler(messageEvent('{"action":"shout","message":""}'), context);
    expect(invalid.statusCode).toBe(400);
    const body = JSON.parse(invalid.body ?? '');
    expect(body.message).toBe('Invalid request');
    expect(body.errors.map((error: { path: string }) => error.path)).toEqual(['action', 'message']);
    expect(inner).not.toHaveBeenCalled();
  });

  it('answers unexpected errors with a bare 500 and logs them with the connection id', async () => {
    const handler = webSocketHandler({
      handler: async () => {
        throw new Error('GoneException: connection BFaT_fALIAMCKug= no longer exists');
      },
    });
    const result = await handler(fixture<WebSocketEvent>('ws-message.json'), context);
    expect(result).toEqual({
      statusCode: 500,
      headers: { 'Content-Type': 'application/json' },
      body: '{"message":"Internal server error"}',
    });
    expect(output.logs().find((line) => line.level === 'ERROR')).toMatchObject({
      message: 'Unhandled error',
      correlation_id: 'BFaVtH2HoAMFZEQ=',
      connection_id: 'BFaT_fALIAMCKug=',
      route_key: 'chat',
      function_name: 'chat-send-message',
    });
  });

  it('handles $disconnect, which has no body', async () => {
    const event = fixture<WebSocketEvent>('ws-connect.json');
    event.requestContext = {
      ...event.requestContext,
      routeKey: '$disconnect',
      eventType: 'DISCONNECT',
      disconnectStatusCode: 1005,
      disconnectReason: 'Client-side close frame status not set',
    };
    const handler = webSocketHandler({
      handler: async ({ body, routeKey }) => ({ body: body ?? null, routeKey }),
    });
    const result = await handler(event, context);
    expect(JSON.parse(result.body ?? '')).toEqual({ body: null, routeKey: '$disconnect' });
  });
});
