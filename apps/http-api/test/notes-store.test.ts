/** The notes domain against a real DynamoDB wire protocol (dynalite): CRUD, isolation, paging, concurrency. */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { readAllPages } from '@serverless-reference/test-support/paging';
import { rejection } from '@serverless-reference/test-support/rejection';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCursor } from '../src/domain/cursor';
import { NoteAlreadyExists, NoteNotFound, VersionMismatch } from '../src/domain/errors';
import { type Note, NoteId, type NoteInput, type NotePatch } from '../src/domain/note';
import { NotesStore, noteKey, userKey } from '../src/domain/notes-store';
import { createNotesTable, type LocalDynamoDB, startDynalite } from './support/dynamodb';

let local: LocalDynamoDB;
let tableName: string;

beforeAll(async () => {
  local = await startDynalite();
  tableName = await createNotesTable(local);
});
afterAll(async () => {
  await local?.stop();
});

const newStore = (options: Partial<ConstructorParameters<typeof NotesStore>[0]> = {}) =>
  new NotesStore({ db: local.db, tableName, ...options });
/** A fresh user per test: tests never see each other's notes. */
const newUser = () => randomUUID();
const input = (title: string): NoteInput => ({ title, content: `about ${title}`, tags: ['t'] });

async function rawItem(owner: string, id: string) {
  const { Item } = await local.db.send(
    new GetCommand({
      TableName: tableName,
      Key: { pk: userKey(owner), sk: noteKey(id) },
      ConsistentRead: true,
    }),
  );
  return Item;
}

describe('create', () => {
  it('stores the note in the owner partition with server-set id, timestamps and version 1', async () => {
    const owner = newUser();
    const now = new Date('2026-03-01T10:00:00.000Z');
    const note = await newStore({ now: () => now }).create(owner, input('groceries'));

    expect(NoteId.safeParse(note.id).success).toBe(true);
    expect(note).toEqual({
      id: note.id,
      title: 'groceries',
      content: 'about groceries',
      tags: ['t'],
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
      version: 1,
    });
    expect(await rawItem(owner, note.id)).toEqual({
      ...note,
      pk: `USER#${owner}`,
      sk: `NOTE#${note.id}`,
      owner,
    });
  });

  it('copies only client-writable fields, whatever else the object carries', async () => {
    const owner = newUser();
    const intruder = newUser();
    const smuggledId = '00000000-0000-7000-8000-000000000000';
    const smuggled = {
      ...input('mine'),
      id: smuggledId,
      owner: intruder,
      pk: `USER#${intruder}`,
      version: 99,
      createdAt: '1970-01-01T00:00:00.000Z',
    } as NoteInput;
    const note = await newStore().create(owner, smuggled);

    expect(note.id).not.toBe(smuggledId);
    expect(note.version).toBe(1);
    expect(note.createdAt).not.toBe('1970-01-01T00:00:00.000Z');
    expect(await rawItem(owner, note.id)).toMatchObject({ owner, pk: `USER#${owner}`, version: 1 });
    await expect(newStore().get(intruder, note.id)).rejects.toBeInstanceOf(NoteNotFound);
  });

  it('never overwrites an existing note (conditional put)', async () => {
    const owner = newUser();
    const fixedId = '01950000-0000-7000-8000-000000000001';
    const store = newStore({ newId: () => fixedId });
    await store.create(owner, input('first'));

    expect(await rejection(store.create(owner, input('second')))).toBeInstanceOf(NoteAlreadyExists);
    expect((await store.get(owner, fixedId)).title).toBe('first');
  });
});

describe('get', () => {
  it('returns the owner’s note; another user, or an unknown id, gets NoteNotFound (404)', async () => {
    const [alice, bob] = [newUser(), newUser()];
    const store = newStore();
    const note = await store.create(alice, input('secret'));

    expect(await store.get(alice, note.id)).toEqual(note);
    const error = await rejection(store.get(bob, note.id));
    expect(error).toBeInstanceOf(NoteNotFound);
    expect(error).toMatchObject({ statusCode: 404, message: 'Note not found' });
    expect(await rejection(store.get(alice, '01950000-0000-7000-8000-0000000000ff'))).toBeInstanceOf(
      NoteNotFound,
    );
  });
});

describe('list', () => {
  async function createMany(store: NotesStore, owner: string, count: number): Promise<Note[]> {
    const created: Note[] = [];
    for (let i = 0; i < count; i++) created.push(await store.create(owner, input(`note ${i}`)));
    return created;
  }

  const readAll = (store: NotesStore, owner: string, limit: number) =>
    readAllPages(decodeCursor, (cursor) => store.list(owner, { limit, cursor }));

  it('pages through the owner’s notes newest first; the last page has no cursor', async () => {
    const owner = newUser();
    const store = newStore();
    const created = await createMany(store, owner, 25);

    const pages = await readAll(store, owner, 10);
    expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
    expect(pages.flat().map((n) => n.id)).toEqual(created.map((n) => n.id).reverse());
  });

  it('does not end with an empty page when the count is a multiple of the limit', async () => {
    const owner = newUser();
    const store = newStore();
    await createMany(store, owner, 6);
    expect((await readAll(store, owner, 3)).map((page) => page.length)).toEqual([3, 3]);
    expect((await readAll(store, owner, 6)).map((page) => page.length)).toEqual([6]);
  });

  it('an empty partition is one empty page', async () => {
    expect(await newStore().list(newUser(), { limit: 20 })).toEqual({ items: [], nextCursor: null });
  });

  it('shows only the owner’s notes — also with a cursor taken from another user’s listing', async () => {
    const [alice, bob] = [newUser(), newUser()];
    const store = newStore();
    const aliceNotes = await createMany(store, alice, 4);
    const bobNotes = await createMany(store, bob, 3);

    const bobsFirst = await store.list(bob, { limit: 10 });
    expect(bobsFirst.items.map((n) => n.id)).toEqual(bobNotes.map((n) => n.id).reverse());

    // Alice's cursor carries a position only: used by Bob it pages Bob's partition, never Alice's.
    const alicePage = await store.list(alice, { limit: 1 });
    const aliceCursor = decodeCursor(alicePage.nextCursor ?? '');
    expect(aliceCursor).toBeDefined();
    const bobWithAliceCursor = await store.list(bob, { limit: 10, cursor: aliceCursor });
    const aliceIds = new Set(aliceNotes.map((n) => n.id));
    for (const note of bobWithAliceCursor.items) expect(aliceIds.has(note.id)).toBe(false);
  });
});

describe('update', () => {
  it('changes only the given fields, bumps the version and updatedAt, keeps createdAt', async () => {
    const owner = newUser();
    let clock = new Date('2026-03-01T10:00:00.000Z');
    const store = newStore({ now: () => clock });
    const note = await store.create(owner, input('draft'));

    clock = new Date('2026-03-01T11:00:00.000Z');
    const updated = await store.update(owner, note.id, { title: 'final' }, 1);
    expect(updated).toEqual({
      ...note,
      title: 'final',
      updatedAt: '2026-03-01T11:00:00.000Z',
      version: 2,
    });
    expect(await store.get(owner, note.id)).toEqual(updated);
  });

  it('rejects a stale version with VersionMismatch (412) naming the current one, and changes nothing', async () => {
    const owner = newUser();
    const store = newStore();
    const note = await store.create(owner, input('shared'));
    await store.update(owner, note.id, { content: 'edited elsewhere' }, 1);

    const error = await rejection(store.update(owner, note.id, { content: 'my edit' }, 1));
    expect(error).toBeInstanceOf(VersionMismatch);
    expect(error).toMatchObject({ statusCode: 412, currentVersion: 2, details: { currentVersion: 2 } });
    expect((await store.get(owner, note.id)).content).toBe('edited elsewhere');
  });

  it('without an expected version, updates whatever version is current', async () => {
    const owner = newUser();
    const store = newStore();
    const note = await store.create(owner, input('x'));
    await store.update(owner, note.id, { tags: ['a'] });
    expect((await store.update(owner, note.id, { tags: ['b'] })).version).toBe(3);
  });

  it('another user’s note is NotFound and stays untouched; so is an unknown id', async () => {
    const [alice, bob] = [newUser(), newUser()];
    const store = newStore();
    const note = await store.create(alice, input('alice only'));

    expect(await rejection(store.update(bob, note.id, { title: 'pwned' }, 1))).toBeInstanceOf(NoteNotFound);
    expect(await rejection(store.update(bob, note.id, { title: 'pwned' }))).toBeInstanceOf(NoteNotFound);
    expect(await store.get(alice, note.id)).toEqual(note);
    // The failed conditional update must not have created an item in Bob's partition either.
    expect(await rawItem(bob, note.id)).toBeUndefined();
    expect(
      await rejection(store.update(alice, '01950000-0000-7000-8000-0000000000ff', { title: 'x' })),
    ).toBeInstanceOf(NoteNotFound);
  });

  it('writes only client-writable fields, whatever else the patch carries', async () => {
    const owner = newUser();
    const store = newStore();
    const note = await store.create(owner, input('x'));
    const smuggled = { title: 'y', owner: newUser(), version: 50, createdAt: '1970-01-01T00:00:00.000Z' };
    const updated = await store.update(owner, note.id, smuggled as NotePatch, 1);

    expect(updated).toMatchObject({ title: 'y', version: 2, createdAt: note.createdAt });
    expect(await rawItem(owner, note.id)).toMatchObject({ owner, version: 2 });
  });
});

describe('delete', () => {
  it('removes the note; a second delete is NotFound', async () => {
    const owner = newUser();
    const store = newStore();
    const note = await store.create(owner, input('temp'));

    await store.delete(owner, note.id);
    expect(await rawItem(owner, note.id)).toBeUndefined();
    expect(await rejection(store.delete(owner, note.id))).toBeInstanceOf(NoteNotFound);
  });

  it('another user cannot delete the note (NotFound), and it survives', async () => {
    const [alice, bob] = [newUser(), newUser()];
    const store = newStore();
    const note = await store.create(alice, input('keep'));

    expect(await rejection(store.delete(bob, note.id))).toBeInstanceOf(NoteNotFound);
    expect(await rejection(store.delete(bob, note.id, 1))).toBeInstanceOf(NoteNotFound);
    expect(await store.get(alice, note.id)).toEqual(note);
  });

  it('with an expected version: a stale one is VersionMismatch (note kept), the current one deletes', async () => {
    const owner = newUser();
    const store = newStore();
    const note = await store.create(owner, input('v'));
    await store.update(owner, note.id, { title: 'v2' }, 1);

    expect(await rejection(store.delete(owner, note.id, 1))).toMatchObject({
      statusCode: 412,
      currentVersion: 2,
    });
    expect(await rawItem(owner, note.id)).toBeDefined();
    await store.delete(owner, note.id, 2);
    expect(await rawItem(owner, note.id)).toBeUndefined();
  });
});

describe('owner', () => {
  it('an empty owner is refused before any DynamoDB call', async () => {
    await expect(newStore().list('', { limit: 1 })).rejects.toThrow('owner must not be empty');
  });
});
