/**
 * The notes service end to end: real Cognito sign-up and sign-in, real tokens, the HTTP API's JWT
 * authorizer with route scopes, the functions and DynamoDB behind them.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { agedAccessToken, machineToken, newSignedInUser, type UserTokens } from '../support/cognito';
import { type Note, NotesClient } from '../support/notes-client';
import { output } from '../support/target';

const target = inject('target');
const apiUrl = output(target, 'http-api', 'ApiUrl');

let alice: UserTokens;
let bob: UserTokens;
let asAlice: NotesClient;
let asBob: NotesClient;

beforeAll(async () => {
  [alice, bob] = await Promise.all([newSignedInUser(target), newSignedInUser(target)]);
  asAlice = new NotesClient(apiUrl, alice.accessToken);
  asBob = new NotesClient(apiUrl, bob.accessToken);
});

describe('notes CRUD', () => {
  it('creates, reads, lists, updates with If-Match and deletes a note', async () => {
    const created = await asAlice.create({ title: 'Groceries', content: 'milk, eggs', tags: ['Home'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: 'Groceries',
      content: 'milk, eggs',
      tags: ['home'],
      version: 1,
    });
    expect(created.headers.get('etag')).toBe('"1"');
    const { id } = created.body;

    const read = await asAlice.get(id);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    const listed = await asAlice.list();
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((n) => n.id)).toContain(id);

    const updated = await asAlice.update(id, { title: 'Groceries for Sunday' }, '"1"');
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id, title: 'Groceries for Sunday', version: 2 });

    const stale = await asAlice.update(id, { title: 'lost update' }, '"1"');
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ currentVersion: 2 });

    expect((await asAlice.remove(id)).status).toBe(204);
    expect((await asAlice.get(id)).status).toBe(404);
  });

  it('pages through a list with an opaque cursor, without repeats', async () => {
    const user = new NotesClient(apiUrl, (await newSignedInUser(target)).accessToken);
    const titles = ['one', 'two', 'three'];
    for (const title of titles) expect((await user.create({ title })).status).toBe(201);

    const first = await user.list('?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));

    const second = await user.list(`?limit=2&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`);
    expect(second.status).toBe(200);
    expect(second.body.nextCursor).toBeNull();
    const seen = [...first.body.items, ...second.body.items].map((n: Note) => n.title);
    expect(seen.sort()).toEqual([...titles].sort());
  });

  it('rejects invalid input with 400 listing the fields, and never lets a client set server fields', async () => {
    const invalid = await asAlice.call<{ errors: { path: string }[] }>('POST', '/notes', {
      body: { title: '', tags: 'not-a-list' },
    });
    expect(invalid.status).toBe(400);
    const fields = invalid.body.errors.map((e) => e.path);
    expect(fields).toEqual(expect.arrayContaining(['title', 'tags']));

    const massAssignment = await asAlice.create({ title: 'mine', id: 'chosen-id', version: 99 });
    expect(massAssignment.status).toBe(400);

    const notJson = await asAlice.call('POST', '/notes', { body: '{"title": ' });
    expect(notJson.status).toBe(400);

    const badCursor = await asAlice.list('?cursor=not-a-cursor');
    expect(badCursor.status).toBe(400);
  });
});

describe('isolation between users', () => {
  it('never lets one user read, list, change or delete another user’s note', async () => {
    const { body: note } = await asAlice.create({ title: 'private to alice' });

    expect((await asBob.get(note.id)).status).toBe(404);
    expect((await asBob.update(note.id, { title: 'bob was here' }, '*')).status).toBe(404);
    expect((await asBob.remove(note.id)).status).toBe(404);
    expect((await asBob.list()).body.items.map((n) => n.id)).not.toContain(note.id);

    const stillThere = await asAlice.get(note.id);
    expect(stillThere.status).toBe(200);
    expect(stillThere.body.title).toBe('private to alice');
  });
});

describe('tokens and scopes at the gateway', () => {
  it('answers 401 without a token, with a malformed token, and with a tampered signature', async () => {
    expect((await new NotesClient(apiUrl).list()).status).toBe(401);
    expect((await new NotesClient(apiUrl, 'not-a-jwt').list()).status).toBe(401);

    const [header, payload, signature] = alice.accessToken.split('.');
    const flipped = `${signature?.[0] === 'A' ? 'B' : 'A'}${signature?.slice(1)}`;
    const tampered = await new NotesClient(apiUrl, `${header}.${payload}.${flipped}`).list();
    expect(tampered.status).toBe(401);
    expect(tampered.body).toEqual({ message: 'Unauthorized' });
  });

  // Needs the local identity provider's aged-token helper; against a deployed stage it is reported as skipped.
  it.skipIf(target.kind !== 'local')('answers 401 to an expired token, naming the reason', async () => {
    const expired = await agedAccessToken(target, alice.accessToken, 2 * 60 * 60);
    const answer = await new NotesClient(apiUrl, expired).list();
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ message: 'Unauthorized' });
    expect(answer.headers.get('www-authenticate')).toMatch(/error="invalid_token".*expired/);
  });

  it('rejects an ID token on user routes: it carries no scope', async () => {
    const answer = await new NotesClient(apiUrl, alice.idToken).list();
    expect(answer.status).toBe(403);
  });

  it('refuses a user token on the machine route and a machine token on user routes', async () => {
    const { body: note } = await asAlice.create({ title: 'for the export' });
    const sub = JSON.parse(Buffer.from(alice.accessToken.split('.')[1] ?? '', 'base64url').toString())
      .sub as string;

    const userOnExport = await asAlice.call('GET', `/export/users/${sub}/notes`);
    expect(userOnExport.status).toBe(403);

    const machine = new NotesClient(apiUrl, await machineToken(target, ['notes/export']));
    const exported = await machine.call<{ userId: string; items: Note[] }>(
      'GET',
      `/export/users/${sub}/notes`,
    );
    expect(exported.status).toBe(200);
    expect(exported.body.userId).toBe(sub);
    expect(exported.body.items.map((n) => n.id)).toContain(note.id);

    expect((await machine.list()).status).toBe(403);
  });

  it('refuses a machine token that lacks the export scope', async () => {
    const sub = JSON.parse(Buffer.from(alice.accessToken.split('.')[1] ?? '', 'base64url').toString())
      .sub as string;
    const catalogOnly = new NotesClient(apiUrl, await machineToken(target, ['catalog/write']));
    expect((await catalogOnly.call('GET', `/export/users/${sub}/notes`)).status).toBe(403);
  });
});
