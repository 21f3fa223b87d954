/**
 * Why the local cloud could not start. `expected` errors are the user's to fix (no assembly, unknown stage,
 * a port in use, a bad seed file, a changed table schema): the CLI prints the message alone. Anything else
 * is a bug, printed with its stack.
 */
export class LocalCloudError extends Error {
  override readonly name = 'LocalCloudError';
  readonly expected: boolean;

  constructor(message: string, options: { cause?: unknown; expected?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.expected = options.expected ?? true;
  }
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
