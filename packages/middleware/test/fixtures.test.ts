/**
 * The fixtures are real captures; this keeps them honest when someone edits one: each must still
 * satisfy Powertools' own parser schema for its event type (where Powertools has one).
 */
import {
  APIGatewayProxyEventSchema,
  APIGatewayProxyEventV2Schema,
  APIGatewayProxyWebsocketEventSchema,
  APIGatewayTokenAuthorizerEventSchema,
} from '@aws-lambda-powertools/parser/schemas';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { fixture } from './support';

describe('fixtures match Powertools parser schemas', () => {
  it.each<[string, z.ZodType]>([
    ['rest-no-auth.json', APIGatewayProxyEventSchema],
    ['http-no-auth.json', APIGatewayProxyEventV2Schema],
    ['http-jwt-authorizer.json', APIGatewayProxyEventV2Schema],
    ['rest-authorizer-token.json', APIGatewayTokenAuthorizerEventSchema],
    // Powertools' "websocket" schema is the $connect REQUEST authorizer input.
    ['ws-connect-authorizer-request.json', APIGatewayProxyWebsocketEventSchema],
  ])('%s', (name, schema) => {
    const result = schema.safeParse(fixture(name));
    expect(result.error?.issues ?? []).toEqual([]);
  });
});
