/**
 * What every local service (DynamoDB, identity provider, gateways) hands back once it is listening.
 * Services bind 127.0.0.1 and accept port 0, so two local clouds never collide; `url` says which
 * port was taken.
 */
export interface RunningService {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  /** Stops accepting connections, ends open ones and releases every resource. Idempotent. */
  close(): Promise<void>;
}
