/**
 * The notes domain over DynamoDB: create, get, list, update, delete — every operation scoped to one
 * owner (a Cognito `sub`). Knows nothing of Lambda or HTTP events, so it is tested directly against a
 * real DynamoDB wire protocol (dynalite) in test/notes-store.test.ts.
 *
 * Table layout (one item per note):
 *
 *   pk = "USER#<owner sub>"   partition: one user's notes, the unit of isolation
 *   sk = "NOTE#<note id>"     note ids are UUIDv7, so the sort key orders notes by creation time
 *   id, owner, title, content, tags, createdAt, updatedAt, version
 *
 * The partition key is always built here from the `owner` argument — never taken from a request body,
 * a path or a cursor — so no input can reach another user's partition. Every write is conditional:
 * create never overwrites (`attribute_not_exists`), update/delete require the note to exist and, when a
 * version is given, to still have it (optimistic concurrency).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  existsAtVersion,
  explainFailedCondition,
  lookaheadLimit,
  type PageRequest as ToolkitPageRequest,
  takePage,
} from '@serverless-reference/dynamodb-toolkit';
import { encodeCursor, type PageCursor } from './cursor';
import { NoteAlreadyExists, NoteNotFound, VersionMismatch } from './errors';
import { uuidv7Generator } from './ids';
import type { Note, NoteId, NoteInput, NotePage, NotePatch } from './note';

const USER_PREFIX = 'USER#';
const NOTE_PREFIX = 'NOTE#';

/** Partition key of a user's notes. */
export const userKey = (owner: string): string => `${USER_PREFIX}${owner}`;
/** Sort key of a note. */
export const noteKey = (id: string): string => `${NOTE_PREFIX}${id}`;

/** The fields a client may write. Writes copy exactly these — whatever else an object carries. */
const WRITABLE_FIELDS = ['title', 'content', 'tags'] as const satisfies readonly (keyof NoteInput)[];

/** A note as stored. */
interface NoteItem extends Note {
  readonly pk: string;
  readonly sk: string;
  readonly owner: string;
}

export interface NotesStoreOptions {
  readonly db: DynamoDBDocumentClient;
  readonly tableName: string;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** @default a UUIDv7 generator */
  readonly newId?: () => string;
}

/** A page of the listing: `{ limit, cursor? }` (the toolkit's shape, with this store's cursor). */
export type PageRequest = ToolkitPageRequest<PageCursor>;

export interface ListOptions {
  /**
   * Strongly consistent read: a user sees their own writes at once. Exports read eventually
   * consistent data at half the cost.
   * @default true
   */
  readonly consistentRead?: boolean;
}

export class NotesStore {
  private readonly db: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(options: NotesStoreOptions) {
    this.db = options.db;
    this.tableName = options.tableName;
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? uuidv7Generator();
  }

  /** Creates a note with a server-generated id, version 1. */
  async create(owner: string, input: NoteInput): Promise<Note> {
    const id = this.newId();
    const at = this.now().toISOString();
    const item: NoteItem = {
      pk: userKey(checkOwner(owner)),
      sk: noteKey(id),
      id,
      owner,
      title: input.title,
      content: input.content,
      tags: input.tags,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new NoteAlreadyExists();
      throw error;
    }
    return toNote(item);
  }

  /** @throws NoteNotFound when the owner has no note with this id */
  async get(owner: string, id: NoteId): Promise<Note> {
    const note = await this.find(owner, id);
    if (!note) throw new NoteNotFound();
    return note;
  }

  /** The owner's notes, newest first, one page at a time. */
  async list(owner: string, page: PageRequest, options: ListOptions = {}): Promise<NotePage> {
    const pk = userKey(checkOwner(owner));
    const { limit, cursor } = page;
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :notes)',
        ExpressionAttributeValues: { ':pk': pk, ':notes': NOTE_PREFIX },
        ScanIndexForward: false,
        // One more than asked: tells "there is another page" without a trailing empty page.
        Limit: lookaheadLimit(limit),
        ConsistentRead: options.consistentRead ?? true,
        // The cursor holds the sort key only; the partition is the owner's, always.
        ...(cursor ? { ExclusiveStartKey: { pk, sk: noteKey(cursor.after) } } : {}),
      }),
    );
    const found = (result.Items ?? []).map((item) => toNote(item as NoteItem));
    const { items, last, more } = takePage(found, limit, result.LastEvaluatedKey);
    return { items, nextCursor: more && last ? encodeCursor({ after: last.id }) : null };
  }

  /**
   * Changes the given client-writable fields, bumps `version`, sets `updatedAt`.
   * @param expectedVersion the version the client read (`If-Match`); `undefined` = any version
   * @throws NoteNotFound | VersionMismatch
   */
  async update(owner: string, id: NoteId, patch: NotePatch, expectedVersion?: number): Promise<Note> {
    const condition = existsAtVersion(expectedVersion);
    const names: Record<string, string> = {
      ...condition.names,
      '#updatedAt': 'updatedAt',
      '#version': 'version',
    };
    const values: Record<string, unknown> = {
      ...condition.values,
      ':now': this.now().toISOString(),
      ':one': 1,
    };
    const sets = ['#updatedAt = :now', '#version = #version + :one'];
    for (const field of WRITABLE_FIELDS) {
      if (patch[field] === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = patch[field];
      sets.push(`#${field} = :${field}`);
    }
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: userKey(checkOwner(owner)), sk: noteKey(id) },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: condition.expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toNote(result.Attributes as NoteItem);
    } catch (error) {
      throw await this.explainFailure(error, owner, id);
    }
  }

  /**
   * @param expectedVersion the version the client read (`If-Match`); `undefined` = any version
   * @throws NoteNotFound | VersionMismatch
   */
  async delete(owner: string, id: NoteId, expectedVersion?: number): Promise<void> {
    const condition = existsAtVersion(expectedVersion);
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: userKey(checkOwner(owner)), sk: noteKey(id) },
          ConditionExpression: condition.expression,
          // DynamoDB rejects empty name/value maps.
          ...(expectedVersion === undefined
            ? {}
            : { ExpressionAttributeNames: condition.names, ExpressionAttributeValues: condition.values }),
        }),
      );
    } catch (error) {
      throw await this.explainFailure(error, owner, id);
    }
  }

  /** A failed condition → one consistent read → not found or stale version (the toolkit's rule). */
  private explainFailure(error: unknown, owner: string, id: string): Promise<unknown> {
    return explainFailedCondition(error, () => this.find(owner, id), {
      notFound: () => new NoteNotFound(),
      versionMismatch: (version) => new VersionMismatch(version),
    });
  }

  private async find(owner: string, id: string): Promise<Note | undefined> {
    const result = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: userKey(checkOwner(owner)), sk: noteKey(id) },
        ConsistentRead: true,
      }),
    );
    return result.Item ? toNote(result.Item as NoteItem) : undefined;
  }
}

/** The stored item → the API's note (no keys, no owner). */
function toNote(item: NoteItem): Note {
  return {
    id: item.id,
    title: item.title,
    content: item.content,
    tags: item.tags,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    version: item.version,
  };
}

function checkOwner(owner: string): string {
  // The HTTP layer never passes an empty owner; this guards the store against a future caller that would.
  if (owner === '') throw new Error('NotesStore: owner must not be empty');
  return owner;
}
