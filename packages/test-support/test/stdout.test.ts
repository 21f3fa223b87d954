import { describe, expect, it } from 'vitest';
import { captureStdout } from '../src/stdout';

const stdout = captureStdout();

describe('captureStdout', () => {
  it('collects what is written to stdout during a test', () => {
    process.stdout.write('{"level":"INFO"}\n');
    expect(stdout.chunks).toEqual(['{"level":"INFO"}\n']);
  });

  it('parses the JSON log lines that carry a message', () => {
    process.stdout.write('{"message":"Note created","id":"1"}\n{"message":"other"}\n');
    process.stdout.write('{"message":"Note created","id":"2"}\n');
    expect(stdout.logged('Note created')).toEqual([
      { message: 'Note created', id: '1' },
      { message: 'Note created', id: '2' },
    ]);
  });

  it('starts empty in every test', () => {
    expect(stdout.chunks).toEqual([]);
  });
});
