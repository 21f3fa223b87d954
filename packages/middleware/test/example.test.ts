/** The README's example handler, run against the captured JWT-authorized HTTP API event. */
import { expect, it } from 'vitest';
import * as z from 'zod';
import { type HttpApiEvent, httpApiHandler, json, NotFound, Unauthorized } from '../src/index';
import { fakeContext } from '../src/testing';
import { captureOutput, fixture } from './support';

captureOutput();

// A stand-in for the domain core (apps/http-api/src/domain).
const NOTE_ID = '0b4c3f0e-8a52-4a0e-9c55-2f5f5a3e7d11';
const notes = new Map([[NOTE_ID, { owner: 'd2f50444-0041-7036-aea2-a955fca33d37', title: 'old', text: '' }]]);
async function updateNote(owner: string, id: string, changes: { title: string; text: string }) {
  const note = notes.get(id);
  if (!note || note.owner !== owner) return undefined;
  Object.assign(note, changes);
  return { id, ...note };
}

// ---- as in README.md ----
const UpdateNote = z.object({ title: z.string().min(1).max(200), text: z.string().max(10_000) });

export const handler = httpApiHandler({
  path: z.object({ id: z.uuid() }),
  body: UpdateNote,
  handler: async ({ path, body, event }) => {
    const owner = event.requestContext.authorizer?.jwt?.claims.sub;
    if (typeof owner !== 'string') throw new Unauthorized();
    const note = await updateNote(owner, path.id, body);
    if (!note) throw new NotFound('Note not found');
    return json(200, note); // or just `return note`: data → 200 JSON
  },
});
// ---- end ----

function putNote(id: string, authorized = true): HttpApiEvent {
  const event = fixture<HttpApiEvent>(authorized ? 'http-jwt-authorizer.json' : 'http-no-auth.json');
  event.routeKey = 'PUT /notes/{id}';
  event.pathParameters = { id };
  event.headers['content-type'] = 'application/json';
  event.body = JSON.stringify({ title: 'Groceries', text: 'milk, eggs' });
  return event;
}

it('updates the caller’s note, 404s for an unknown one and 401s without JWT claims', async () => {
  const ok = await handler(putNote(NOTE_ID), fakeContext());
  expect(ok.statusCode).toBe(200);
  expect(JSON.parse(ok.body ?? '')).toMatchObject({ id: NOTE_ID, title: 'Groceries', text: 'milk, eggs' });

  const missing = await handler(putNote('5b0f8d52-31b8-4a43-8d0e-2d6f7c3b9a10'), fakeContext());
  expect(missing.statusCode).toBe(404);

  const anonymous = await handler(putNote(NOTE_ID, false), fakeContext());
  expect(anonymous.statusCode).toBe(401);
});
