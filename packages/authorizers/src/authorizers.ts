import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import type { TokenVerifier } from './jwt/verifier';
import { type AllowResult, type AuthorizerContext, allowPolicy, authorizerContext } from './policy';
import { parseBearerHeader, type RequestTokenSource, tokenFromRequest } from './token';

/**
 * The three authorizers as plain functions: event in, result out, any failure thrown as an
 * AuthorizerError. No logging, no environment, no Lambda context: the entry points in `handlers/` add those.
 */

/** REST TOKEN authorizer: `authorizationToken` must be `Bearer <jwt>`. */
export async function authorizeToken(
  event: APIGatewayTokenAuthorizerEvent,
  verifier: TokenVerifier,
): Promise<AllowResult> {
  const token = parseBearerHeader(event.authorizationToken);
  return allowPolicy(event.methodArn, await verifier.verify(token));
}

/**
 * What a REQUEST authorizer reads: REST (payload 1.0) and WebSocket `$connect` events both fit. (The
 * WebSocket event has no `resource`, `path`, `httpMethod` or `pathParameters`.)
 */
export type RequestAuthorizerInput = RequestTokenSource & { methodArn: string };

/** REST / WebSocket `$connect` REQUEST authorizer: `Authorization` header, else the query parameter. */
export async function authorizeRequest(
  event: RequestAuthorizerInput,
  verifier: TokenVerifier,
  queryParameter: string,
): Promise<AllowResult> {
  const token = tokenFromRequest(event, queryParameter);
  return allowPolicy(event.methodArn, await verifier.verify(token));
}

export type HttpAuthorizerInput = Pick<
  APIGatewayRequestAuthorizerEventV2,
  'headers' | 'queryStringParameters'
>;

export type SimpleAllowResult = APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext> & {
  isAuthorized: true;
};

/**
 * HTTP API (payload 2.0) authorizer with simple responses. Headers arrive lowercased, repeated headers and
 * query parameters comma-joined (which no JWT contains, so a repeated token fails verification).
 */
export async function authorizeHttp(
  event: HttpAuthorizerInput,
  verifier: TokenVerifier,
  queryParameter: string,
): Promise<SimpleAllowResult> {
  const token = tokenFromRequest(
    { headers: event.headers, queryStringParameters: event.queryStringParameters },
    queryParameter,
  );
  return { isAuthorized: true, context: authorizerContext(await verifier.verify(token)) };
}
