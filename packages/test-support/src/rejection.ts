/**
 * The error a promise rejects with — and a failed test when it resolves instead, so a test that expects
 * a failure never passes because the operation unexpectedly succeeded.
 */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}
