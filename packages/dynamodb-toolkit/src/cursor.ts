/**
 * Opaque pagination cursors: base64url of `{"v":1, ...position}`. A cursor holds a position inside a
 * partition (a sort key's parts) and never the partition key, which the store derives from the request
 * on every call — so a forged cursor can only move within what the caller may read anyway. Clients must
 * treat it as opaque; the version lets the format change without breaking cursors in flight. Anything that
 * does not decode to exactly the declared shape is rejected (`undefined` → 400), never passed to DynamoDB.
 */
import * as z from 'zod';

export interface CursorCodec<T> {
  encode(position: T): string;
  /** The position, or `undefined` for anything {@link CursorCodec.encode} did not produce. */
  decode(text: string): T | undefined;
  /** Longest text `decode` will look at. */
  readonly maxLength: number;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * @param position the cursor's fields besides `v` (a strict object: unknown fields are rejected)
 * @param options.maxLength bound on the encoded length, so junk is never decoded
 */
export function cursorCodec<Shape extends z.ZodRawShape>(
  position: Shape,
  options: { readonly maxLength: number },
): CursorCodec<z.output<z.ZodObject<Shape>>> {
  type Position = z.output<z.ZodObject<Shape>>;
  const payload = z.strictObject({ v: z.literal(1), ...position });
  return {
    maxLength: options.maxLength,
    encode: (value: Position) =>
      Buffer.from(JSON.stringify({ v: 1, ...value }), 'utf8').toString('base64url'),
    decode: (text: string) => {
      if (text.length > options.maxLength || !BASE64URL.test(text)) return undefined;
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
      } catch {
        return undefined;
      }
      const parsed = payload.safeParse(json);
      if (!parsed.success) return undefined;
      // The version is the envelope's, not the position's. (Generic zod output types do not narrow.)
      const { v: _version, ...rest } = parsed.data as Record<string, unknown>;
      return rest as Position;
    },
  };
}
