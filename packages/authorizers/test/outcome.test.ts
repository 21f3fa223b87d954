import { describe, expect, it } from 'vitest';
import {
  type DenialFields,
  type DenialLogger,
  InvalidTokenError,
  JwksUnavailableError,
  MissingTokenError,
  orNotAuthorized,
  orUnauthorized,
  UNAUTHORIZED,
} from '../src/index';

function recordingLogger() {
  const lines: { level: string; message: string; fields: DenialFields }[] = [];
  const log: DenialLogger = {
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
  };
  return { log, lines };
}

describe('orUnauthorized', () => {
  it('passes a result through untouched and logs nothing', async () => {
    const { log, lines } = recordingLogger();
    await expect(orUnauthorized(log, async () => 42)).resolves.toBe(42);
    expect(lines).toEqual([]);
  });

  it('turns every failure into exactly Error("Unauthorized")', async () => {
    const failures = [
      new MissingTokenError('missing_token', 'no Authorization header'),
      new InvalidTokenError('expired', 'token expired (exp)', 'JwtExpiredError'),
      new JwksUnavailableError('jwks_unavailable', 'JWKS fetch failed'),
      new TypeError('boom'),
      'a string',
    ];
    for (const failure of failures) {
      const { log } = recordingLogger();
      const error = await orUnauthorized(log, () => Promise.reject(failure)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe(UNAUTHORIZED);
      expect(UNAUTHORIZED).toBe('Unauthorized');
    }
  });

  it('logs missing tokens at info, bad tokens at warn, our own faults at error — with a reason', async () => {
    const { log, lines } = recordingLogger();
    const attempt = (error: unknown) =>
      orUnauthorized(log, () => Promise.reject(error)).catch(() => undefined);
    await attempt(new MissingTokenError('unsupported_scheme', 'Authorization scheme is not Bearer'));
    await attempt(
      new InvalidTokenError('invalid_signature', 'token signature invalid', 'JwtInvalidSignatureError'),
    );
    await attempt(new JwksUnavailableError('jwks_unavailable', 'JWKS fetch failed'));
    await attempt(new TypeError('secret eyJhbGciOi…'));
    expect(lines.map((l) => [l.level, l.fields.reason])).toEqual([
      ['info', 'unsupported_scheme'],
      ['warn', 'invalid_signature'],
      ['error', 'jwks_unavailable'],
      ['error', 'internal_error'],
    ]);
    expect(lines[1]?.fields).toEqual({
      reason: 'invalid_signature',
      errorType: 'InvalidTokenError',
      serverFault: false,
      description: 'token signature invalid',
      libraryError: 'JwtInvalidSignatureError',
    });
    // An unexpected error's message is not logged (it could quote input).
    expect(JSON.stringify(lines[3])).not.toContain('eyJ');
  });
});

describe('orNotAuthorized', () => {
  it('answers isAuthorized:false on failure, and passes successes through', async () => {
    const { log, lines } = recordingLogger();
    await expect(
      orNotAuthorized(log, () => Promise.reject(new InvalidTokenError('expired', 'token expired (exp)'))),
    ).resolves.toEqual({ isAuthorized: false });
    await expect(
      orNotAuthorized(log, async () => ({ isAuthorized: true as const, context: {} })),
    ).resolves.toEqual({
      isAuthorized: true,
      context: {},
    });
    expect(lines).toHaveLength(1);
  });
});
