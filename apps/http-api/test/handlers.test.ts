/**
 * The notes handlers end to end below the gateway: real-shaped HTTP API v2 events (claims as strings)
 * → handler bundle entry points → DynamoDB wire protocol (dynalite). The handlers find DynamoDB the
 * way they do in the local cloud: through AWS_ENDPOINT_URL_DYNAMODB, read by the SDK itself.
 */
import { randomUUID } from 'node:crypto';
import type { HttpApiEvent } from '@serverless-reference/middleware';
import {
  fakeContext,
  type HttpApiEventOptions,
  httpApiEvent,
} from '@serverless-reference/middleware/testing';
import { type Answer, answerOf } from '@serverless-reference/test-support/handler';
import { captureStdout } from '@serverless-reference/test-support/stdout';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNotesTable, type LocalDynamoDB, startDynalite } from './support/dynamodb';
import { type Claims, MACHINE_CLIENT_ID, machineClaims, userClaims } from './support/events';

type Handler = (event: HttpApiEvent, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
const handlers = {} as Record<'create' | 'list' | 'get' | 'update' | 'delete' | 'export', Handler>;
let local: LocalDynamoDB;

beforeAll(async () => {
  local = await startDynalite();
  const env = {
    ...local.env,
    TABLE_NAME: await createNotesTable(local),
    POWERTOOLS_SERVICE_NAME: 'notes',
    POWERTOOLS_METRICS_NAMESPACE: 'ServerlessReference/test',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  // Imported after the environment is set, as Lambda would load the bundles.
  handlers.create = (await import('../src/handlers/create-note')).handler;
  handlers.list = (await import('../src/handlers/list-notes')).handler;
  handlers.get = (await import('../src/handlers/get-note')).handler;
  handlers.update = (await import('../src/handlers/update-note')).handler;
  handlers.delete = (await import('../src/handlers/delete-note')).handler;
  handlers.export = (await import('../src/handlers/export-notes')).handler;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await local?.stop();
});

/** What the functions print (JSON logs, EMF), kept out of the test output and available to assertions. */
const stdout = captureStdout();

async function call(name: keyof typeof handlers, request: HttpApiEventOptions): Promise<Answer> {
  return answerOf(await handlers[name](httpApiEvent(request), fakeContext(`dev-http-api-${name}`)));
}

const user = () => userClaims(randomUUID());
const UNKNOWN_ID = '01950000-0000-7000-8000-0000000000ff';

const create = (claims: Claims | null, body: unknown, headers?: Record<string, string>) =>
  call('create', { routeKey: 'POST /notes', body, claims, ...(headers ? { headers } : {}) });
const get = (claims: Claims, id: string) =>
  call('get', { routeKey: 'GET /notes/{id}', pathParameters: { id }, claims });
const list = (claims: Claims, query: Record<string, string> = {}) =>
  call('list', { routeKey: 'GET /notes', query, claims });
const update = (claims: Claims, id: string, body: unknown, ifMatch?: string) =>
  call('update', {
    routeKey: 'PATCH /notes/{id}',
    pathParameters: { id },
    body,
    claims,
    ...(ifMatch === undefined ? {} : { headers: { 'if-match': ifMatch } }),
  });
const remove = (claims: Claims, id: string, ifMatch?: string) =>
  call('delete', {
    routeKey: 'DELETE /notes/{id}',
    pathParameters: { id },
    claims,
    ...(ifMatch === undefined ? {} : { headers: { 'if-match': ifMatch } }),
  });
const exportNotes = (claims: Claims, userId: string, query: Record<string, string> = {}) =>
  call('export', {
    routeKey: 'GET /export/users/{userId}/notes',
    pathParameters: { userId },
    query,
    claims,
  });

async function created(claims: Claims, title = 'note') {
  const answer = await create(claims, { title });
  expect(answer.status).toBe(201);
  return answer.body as { id: string; version: number; title: string };
}

describe('POST /notes', () => {
  it('201 with the note, its Location and ETag; server fields set by the server', async () => {
    const alice = user();
    const answer = await create(alice, { title: 'Groceries', content: 'milk', tags: ['home'] });

    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      title: 'Groceries',
      content: 'milk',
      tags: ['home'],
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updatedAt: answer.body.createdAt,
      version: 1,
    });
    expect(answer.headers).toMatchObject({
      'Content-Type': 'application/json',
      Location: `/notes/${answer.body.id}`,
      ETag: '"1"',
    });
    expect((await get(alice, answer.body.id)).body).toEqual(answer.body);
  });

  it('400 naming a server field in the body (no mass assignment), and creates nothing', async () => {
    const alice = user();
    const answer = await create(alice, { title: 'x', id: UNKNOWN_ID, owner: 'someone', version: 7 });

    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      message: 'Invalid request',
      errors: [{ in: 'body', path: '', message: expect.stringMatching(/"id".*"owner".*"version"/) }],
    });
    expect((await list(alice)).body.items).toEqual([]);
  });

  it('400 listing every invalid field; 400 for no body or bad JSON; 415 for another media type', async () => {
    const alice = user();
    const invalid = await create(alice, { title: '', tags: 'home' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { in: string; path: string }) => `${e.in}:${e.path}`)).toEqual([
      'body:title',
      'body:tags',
    ]);
    expect((await create(alice, undefined)).status).toBe(400);
    expect((await create(alice, '{"title":')).body).toEqual({ message: 'Request body is not valid JSON' });
    expect((await create(alice, 'title=x', { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('401 when the event carries no verified claims (a route without the JWT authorizer)', async () => {
    expect(await create(null, { title: 'x' })).toMatchObject({
      status: 401,
      body: { message: 'Unauthorized' },
    });
  });
});

describe('GET /notes/{id}', () => {
  it('200 with the ETag; another user gets 404, exactly like an unknown id', async () => {
    const [alice, bob] = [user(), user()];
    const note = await created(alice);

    expect(await get(alice, note.id)).toMatchObject({ status: 200, headers: { ETag: '"1"' } });
    const foreign = await get(bob, note.id);
    const unknown = await get(bob, UNKNOWN_ID);
    expect(foreign).toMatchObject({ status: 404, body: { message: 'Note not found' } });
    expect(foreign.body).toEqual(unknown.body);
  });

  it('400 for an id that is not a note id', async () => {
    const answer = await get(user(), 'not-a-uuid');
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ in: 'path', path: 'id', message: expect.any(String) }]);
  });
});

describe('GET /notes', () => {
  it('pages newest first with an opaque cursor, default limit 20, and only the caller’s notes', async () => {
    const [alice, bob] = [user(), user()];
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await created(alice, `a${i}`)).id);
    await created(bob, 'bob’s');

    const first = await list(alice, { limit: '2' });
    expect(first.status).toBe(200);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await list(alice, { limit: '2', cursor: first.body.nextCursor });
    const third = await list(alice, { limit: '2', cursor: second.body.nextCursor });
    expect(third.body.nextCursor).toBeNull();
    const pages = [first, second, third].map((page) => page.body.items.map((n: { id: string }) => n.id));
    expect(pages).toEqual([ids.slice(3).reverse(), ids.slice(1, 3).reverse(), ids.slice(0, 1)]);

    const all = await list(alice);
    expect(all.body.items).toHaveLength(5);
    expect(all.body.nextCursor).toBeNull();
  });

  it('400 for a tampered or foreign-looking cursor, with the field named', async () => {
    const alice = user();
    const forged = Buffer.from(JSON.stringify({ pk: `USER#${randomUUID()}`, sk: 'NOTE#x' })).toString(
      'base64url',
    );
    for (const cursor of [forged, 'not a cursor', `${forged}AAAA`]) {
      const answer = await list(alice, { cursor });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([{ in: 'query', path: 'cursor', message: expect.any(String) }]);
    }
  });

  it.each(['0', '101', 'ten', '2.5'])('400 for limit=%s (1–100)', async (limit) => {
    const answer = await list(user(), { limit });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ in: 'query', path: 'limit', message: expect.any(String) }]);
  });
});

describe('PATCH /notes/{id}', () => {
  it('200 with the new version and ETag when If-Match is the current ETag', async () => {
    const alice = user();
    const note = await created(alice, 'draft');

    const answer = await update(alice, note.id, { title: 'final', tags: ['done'] }, '"1"');
    expect(answer).toMatchObject({
      status: 200,
      headers: { ETag: '"2"' },
      body: { id: note.id, title: 'final', tags: ['done'], content: '', version: 2 },
    });
  });

  it('428 without If-Match; 412 with a stale one (body names the current version); * overwrites', async () => {
    const alice = user();
    const note = await created(alice);

    expect((await update(alice, note.id, { title: 'a' })).status).toBe(428);
    expect((await update(alice, note.id, { title: 'b' }, '"1"')).status).toBe(200);
    expect(await update(alice, note.id, { title: 'c' }, '"1"')).toMatchObject({
      status: 412,
      body: { currentVersion: 2 },
    });
    expect((await get(alice, note.id)).body.title).toBe('b');
    expect(await update(alice, note.id, { title: 'd' }, '*')).toMatchObject({
      status: 200,
      body: { version: 3 },
    });
  });

  it('404 for another user’s note, which stays unchanged', async () => {
    const [alice, bob] = [user(), user()];
    const note = await created(alice, 'mine');

    expect((await update(bob, note.id, { title: 'pwned' }, '"1"')).status).toBe(404);
    expect((await update(bob, note.id, { title: 'pwned' }, '*')).status).toBe(404);
    expect((await get(alice, note.id)).body).toMatchObject({ title: 'mine', version: 1 });
  });

  it('400 for an empty patch, a server field, or a malformed If-Match', async () => {
    const alice = user();
    const note = await created(alice);

    expect((await update(alice, note.id, {}, '"1"')).status).toBe(400);
    expect((await update(alice, note.id, { version: 5 }, '"1"')).status).toBe(400);
    for (const ifMatch of ['W/"1"', '1', '"1", "2"']) {
      expect(await update(alice, note.id, { title: 'x' }, ifMatch)).toMatchObject({
        status: 400,
        body: { message: expect.stringContaining('If-Match') },
      });
    }
    expect((await get(alice, note.id)).body.version).toBe(1);
  });
});

describe('DELETE /notes/{id}', () => {
  it('204, then 404 for GET and for a second DELETE', async () => {
    const alice = user();
    const note = await created(alice);

    const answer = await remove(alice, note.id);
    expect(answer).toMatchObject({ status: 204, body: undefined });
    expect((await get(alice, note.id)).status).toBe(404);
    expect((await remove(alice, note.id)).status).toBe(404);
  });

  it('404 for another user’s note, which survives; 412 for a stale If-Match', async () => {
    const [alice, bob] = [user(), user()];
    const note = await created(alice);
    await update(alice, note.id, { title: 'v2' }, '"1"');

    expect((await remove(bob, note.id)).status).toBe(404);
    expect((await remove(alice, note.id, '"1"')).status).toBe(412);
    expect((await get(alice, note.id)).status).toBe(200);
    expect((await remove(alice, note.id, '"2"')).status).toBe(204);
  });
});

describe('GET /export/users/{userId}/notes (machine to machine)', () => {
  it('200 with one user’s notes, paginated, for a notes/export token; audit-logged with the client id', async () => {
    const alice = user();
    const aliceId = alice.sub ?? '';
    for (let i = 0; i < 3; i++) await created(alice, `a${i}`);
    await created(user(), 'someone else');
    const machine = machineClaims('notes/export catalog/write');

    const first = await exportNotes(machine, aliceId, { limit: '2' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ userId: aliceId, nextCursor: expect.any(String) });
    expect(first.body.items).toHaveLength(2);
    const rest = await exportNotes(machine, aliceId, { limit: '2', cursor: first.body.nextCursor });
    expect(rest.body.items.map((n: { title: string }) => n.title)).toEqual(['a0']);
    expect(rest.body.nextCursor).toBeNull();

    const audit = stdout.logged('Notes exported');
    expect(audit[0]).toMatchObject({ userId: aliceId, clientId: MACHINE_CLIENT_ID, count: 2 });
  });

  it('403 for a token without the notes/export scope (a user token, or another machine scope)', async () => {
    const target = randomUUID();
    for (const claims of [user(), machineClaims('catalog/write')]) {
      expect(await exportNotes(claims, target)).toMatchObject({
        status: 403,
        body: { message: 'This route requires the notes/export scope' },
      });
    }
  });

  it('400 for a userId that is not a Cognito sub; 200 and no items for a user without notes', async () => {
    const machine = machineClaims('notes/export');
    expect((await exportNotes(machine, 'USER#x')).status).toBe(400);
    expect((await exportNotes(machine, randomUUID())).body).toMatchObject({ items: [], nextCursor: null });
  });
});
