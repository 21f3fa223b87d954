import { describe, expect, it } from 'vitest';
import { answerOf } from '../src/handler';

describe('answerOf', () => {
  it('parses a JSON body and keeps status and headers', () => {
    const answer = answerOf({ statusCode: 201, headers: { ETag: '"1"' }, body: '{"id":"a"}' });
    expect(answer).toEqual({ status: 201, headers: { ETag: '"1"' }, body: { id: 'a' } });
  });

  it('reads no body as undefined: absent (HTTP API) or empty (REST)', () => {
    expect(answerOf({ statusCode: 204 }).body).toBeUndefined();
    expect(answerOf({ statusCode: 204, body: '' }).body).toBeUndefined();
  });

  it('a result without a status is 200 with no headers, as an HTTP API reads a bare return', () => {
    expect(answerOf({ body: '{}' })).toEqual({ status: 200, headers: {}, body: {} });
  });
});
