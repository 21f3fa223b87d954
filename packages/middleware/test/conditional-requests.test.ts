import { describe, expect, it } from 'vitest';
import { BadRequest, expectedVersion, PreconditionRequired, versionETag } from '../src/index';

const note = { required: true, resource: 'note' } as const;

describe('versionETag', () => {
  it('quotes the version (a strong entity tag)', () => {
    expect(versionETag({ version: 3 })).toBe('"3"');
  });
});

describe('expectedVersion', () => {
  it('reads the version from a strong ETag, spaces around it ignored', () => {
    expect(expectedVersion({ 'if-match': ' "12" ' }, note)).toBe(12);
  });

  it('* means any current version', () => {
    expect(expectedVersion({ 'if-match': '*' }, note)).toBeUndefined();
  });

  it('absent: 428 naming the resource when required, any version otherwise', () => {
    expect(() => expectedVersion({}, note)).toThrow(PreconditionRequired);
    expect(() => expectedVersion({ 'if-match': '' }, note)).toThrow(
      "Send If-Match with the note's ETag (or * to overwrite any version)",
    );
    expect(new PreconditionRequired().statusCode).toBe(428);
    expect(expectedVersion({}, { required: false, resource: 'note' })).toBeUndefined();
  });

  it.each(['W/"3"', '"3", "4"', '3', '"0"', '"03"', '"1234567890123456"'])(
    '400 for %s (weak tags, lists, unquoted, zero, leading zeros, too long)',
    (value) => {
      const read = () => expectedVersion({ 'if-match': value }, { required: false, resource: 'product' });
      expect(read).toThrow(BadRequest);
      expect(read).toThrow('If-Match must be the product\'s ETag, e.g. "3", or *');
    },
  );
});
