/** The pure parts of the domain: input schemas (no mass assignment), note ids, cursors. */
import { describe, expect, it } from 'vitest';
import { CURSOR_MAX_LENGTH, decodeCursor, encodeCursor } from '../src/domain/cursor';
import { uuidv7Generator } from '../src/domain/ids';
import { NoteId, NoteInput, NotePatch } from '../src/domain/note';

const ID = '01950000-0000-7000-8000-000000000001';

describe('NoteInput (POST body)', () => {
  it('fills defaults, trims the title, normalises and de-duplicates tags', () => {
    expect(NoteInput.parse({ title: '  Groceries ' })).toEqual({ title: 'Groceries', content: '', tags: [] });
    expect(NoteInput.parse({ title: 't', tags: ['Home', 'home ', 'work'] }).tags).toEqual(['home', 'work']);
  });

  it.each(['id', 'owner', 'version', 'createdAt', 'updatedAt', 'pk'])(
    'rejects the server field %s',
    (key) => {
      const result = NoteInput.safeParse({ title: 't', [key]: 'x' });
      expect(result.success).toBe(false);
      expect(result.error?.issues).toEqual([
        expect.objectContaining({ code: 'unrecognized_keys', keys: [key] }),
      ]);
    },
  );

  it('bounds every field', () => {
    const result = NoteInput.safeParse({
      title: '   ',
      content: 'x'.repeat(10_001),
      tags: Array.from({ length: 11 }, (_, i) => `t${i}`),
    });
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'content',
      'tags',
      'title',
    ]);
    expect(NoteInput.safeParse({}).success).toBe(false);
    expect(NoteInput.safeParse({ title: 'x'.repeat(201) }).success).toBe(false);
    expect(NoteInput.safeParse({ title: 't', tags: ['x'.repeat(31)] }).success).toBe(false);
  });
});

describe('NotePatch (PATCH body)', () => {
  it('accepts any non-empty subset of title, content, tags', () => {
    expect(NotePatch.parse({ content: '' })).toEqual({ content: '' });
    expect(NotePatch.parse({ tags: [] })).toEqual({ tags: [] });
  });

  it('rejects an empty patch and server fields', () => {
    expect(NotePatch.safeParse({}).error?.issues[0]?.message).toBe(
      'Send at least one of title, content, tags',
    );
    expect(NotePatch.safeParse({ title: 't', version: 3 }).success).toBe(false);
  });
});

describe('uuidv7Generator', () => {
  it('makes RFC 9562 version-7 ids that embed the creation time', () => {
    const id = uuidv7Generator({ now: () => Date.UTC(2026, 2, 1) })();
    expect(NoteId.safeParse(id).success).toBe(true);
    expect(Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBe(Date.UTC(2026, 2, 1));
  });

  it('ids sort like creation time, also within one millisecond and when the clock steps back', () => {
    const times = [1000, 1000, 1000, 2000, 1500, 1500, 3000];
    let i = 0;
    const next = uuidv7Generator({ now: () => times[i++] ?? 3000 });
    const ids = times.map(() => next());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('stays increasing and valid past 4096 ids in one millisecond', () => {
    const next = uuidv7Generator({ now: () => 5000 });
    const ids = Array.from({ length: 5000 }, () => next());
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(NoteId.safeParse(id).success).toBe(true);
  });
});

describe('cursor', () => {
  it('round-trips a position, as URL-safe text', () => {
    const text = encodeCursor({ after: ID });
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(text.length).toBeLessThanOrEqual(CURSOR_MAX_LENGTH);
    expect(decodeCursor(text)).toEqual({ after: ID });
  });

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    ['empty', ''],
    ['not base64url', 'abc+/='],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    ['another version', b64({ v: 2, after: ID })],
    ['not a note id', b64({ v: 1, after: 'NOTE#x' })],
    ['a partition key smuggled in', b64({ v: 1, after: ID, pk: 'USER#someone-else' })],
    ['a DynamoDB key', b64({ pk: 'USER#someone-else', sk: `NOTE#${ID}` })],
    ['too long', 'A'.repeat(CURSOR_MAX_LENGTH + 1)],
  ])('rejects %s', (_, text) => {
    expect(decodeCursor(text)).toBeUndefined();
  });
});
