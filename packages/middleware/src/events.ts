/**
 * The event shapes the factories accept, as API Gateway really sends them (see test/fixtures).
 * They are deliberately a little wider than the `@types/aws-lambda` defaults: the authorizer block is
 * optional and typed per authorizer kind, so a handler must check it instead of trusting a cast, and
 * `@types/aws-lambda` events remain assignable to them.
 */
import type {
  APIGatewayEventRequestContextV2,
  APIGatewayEventWebsocketRequestContextV2,
  APIGatewayProxyEventBase,
  APIGatewayProxyEventV2WithRequestContext,
} from 'aws-lambda';
import type { Params } from './validation';

/**
 * What a Lambda authorizer's result becomes in a REST or WebSocket proxy event: `principalId`,
 * `integrationLatency` and each key of the authorizer's `context` (API Gateway stringifies those).
 */
export interface LambdaAuthorizerContext {
  principalId?: string;
  integrationLatency?: number;
  [key: string]: unknown;
}

/** REST API (payload 1.0) proxy event; `authorizer` is null/absent on routes without an authorizer. */
export type RestApiEvent = APIGatewayProxyEventBase<LambdaAuthorizerContext | null | undefined>;

/** `requestContext.authorizer` of an HTTP API (payload 2.0) event, by authorizer kind. */
export interface HttpApiAuthorizer {
  /** Cognito / JWT authorizer: claims arrive as strings; `scopes` is null when the token has none. */
  jwt?: { claims: Readonly<Record<string, string | number | boolean | string[]>>; scopes: string[] | null };
  /** Lambda authorizer: its `context`. */
  lambda?: Readonly<Record<string, unknown>> | null;
  /** IAM authorization. */
  iam?: Readonly<Record<string, unknown>>;
}

/** HTTP API (payload 2.0) event. */
export type HttpApiEvent = APIGatewayProxyEventV2WithRequestContext<
  APIGatewayEventRequestContextV2 & { authorizer?: HttpApiAuthorizer }
>;

export interface WebSocketRequestContext extends Omit<APIGatewayEventWebsocketRequestContextV2, 'messageId'> {
  /** Present on MESSAGE events only. */
  messageId?: string;
  identity?: { sourceIp: string; userAgent?: string };
  /** The `$connect` REQUEST authorizer's result. */
  authorizer?: LambdaAuthorizerContext | null;
  disconnectStatusCode?: number;
  disconnectReason?: string;
}

/** WebSocket proxy event: CONNECT (headers, query string), MESSAGE (body), DISCONNECT. */
export interface WebSocketEvent {
  requestContext: WebSocketRequestContext;
  headers?: Params;
  multiValueHeaders?: Readonly<Record<string, string[] | undefined>>;
  queryStringParameters?: Params | null;
  multiValueQueryStringParameters?: Readonly<Record<string, string[] | undefined>> | null;
  stageVariables?: Params | null;
  body?: string | null;
  isBase64Encoded: boolean;
}
