/**
 * Conditional writes for optimistic concurrency: every item carries a `version`; update and delete
 * require the item to exist and, when the client sent one (`If-Match`), to still be at that version.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

export interface WriteCondition {
  readonly expression: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

/**
 * The item exists (keyed by `pk`) and, when a version is expected, still has it. `names` and `values`
 * are empty without a version: DynamoDB rejects empty maps, so leave them out of the command then.
 */
export function existsAtVersion(expectedVersion: number | undefined): WriteCondition {
  return expectedVersion === undefined
    ? { expression: 'attribute_exists(pk)', names: {}, values: {} }
    : {
        expression: 'attribute_exists(pk) AND #version = :expected',
        names: { '#version': 'version' },
        values: { ':expected': expectedVersion },
      };
}

/** What a failed {@link existsAtVersion} write becomes: the domain's own typed errors. */
export interface ConditionFailureErrors {
  readonly notFound: () => Error;
  readonly versionMismatch: (currentVersion: number) => Error;
}

/**
 * The error to throw for a failed write: anything but a failed condition unchanged; a failed condition
 * means "missing" or "stale version", and one consistent read (`find`) tells which. (DynamoDB's
 * `ReturnValuesOnConditionCheckFailure` would save that read, but dynalite ignores it, and the extra read
 * happens only on the failure path.)
 */
export async function explainFailedCondition(
  error: unknown,
  find: () => Promise<{ readonly version: number } | undefined>,
  errors: ConditionFailureErrors,
): Promise<unknown> {
  if (!(error instanceof ConditionalCheckFailedException)) return error;
  const current = await find();
  return current ? errors.versionMismatch(current.version) : errors.notFound();
}
