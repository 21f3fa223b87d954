/**
 * @serverless-reference/dynamodb-toolkit — the persistence patterns the services share: opaque
 * partition-bound cursors, lookahead paging, versioned conditional writes and their failure mapping.
 * See README.md.
 */
export {
  type ConditionFailureErrors,
  existsAtVersion,
  explainFailedCondition,
  type WriteCondition,
} from './conditions';
export { type CursorCodec, cursorCodec } from './cursor';
export { lookaheadLimit, type PageRequest, takePage } from './paging';
