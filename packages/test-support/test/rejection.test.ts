import { describe, expect, it } from 'vitest';
import { rejection } from '../src/rejection';

describe('rejection', () => {
  it('returns the error a promise rejects with', async () => {
    const error = new Error('boom');
    expect(await rejection(Promise.reject(error))).toBe(error);
  });

  it('fails when the promise resolves', async () => {
    await expect(rejection(Promise.resolve(1))).rejects.toThrow(/expected the operation to fail/);
  });
});
