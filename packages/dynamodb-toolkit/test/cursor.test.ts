import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { cursorCodec } from '../src/index';

const codec = cursorCodec({ name: z.string().min(1), id: z.uuid() }, { maxLength: 200 });
const ID = '01950000-0000-7000-8000-000000000001';
const encodeRaw = (payload: unknown) => Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');

describe('cursorCodec', () => {
  it('round-trips a position through an opaque base64url text with a format version', () => {
    const text = codec.encode({ name: 'kettle', id: ID });
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))).toEqual({
      v: 1,
      name: 'kettle',
      id: ID,
    });
    expect(codec.decode(text)).toEqual({ name: 'kettle', id: ID });
  });

  it.each([
    ['another version', encodeRaw({ v: 2, name: 'kettle', id: ID })],
    ['no version', encodeRaw({ name: 'kettle', id: ID })],
    ['an unknown field (a partition key smuggled in)', encodeRaw({ v: 1, name: 'k', id: ID, pk: 'USER#x' })],
    ['a field of the wrong shape', encodeRaw({ v: 1, name: 'kettle', id: 'not-a-uuid' })],
    ['not JSON', Buffer.from('{v:1', 'utf8').toString('base64url')],
    ['not base64url', 'abc+/='],
    ['empty', ''],
    ['too long', 'A'.repeat(201)],
  ])('rejects %s', (_what, text) => {
    expect(codec.decode(text)).toBeUndefined();
  });
});
