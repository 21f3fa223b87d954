/** Why an assembly could not be loaded at all (gaps, by contrast, are reported as data). */
export type AssemblyErrorCode =
  /** The directory does not exist or holds no readable `manifest.json`. */
  | 'NOT_AN_ASSEMBLY'
  /** The requested stage is not a nested assembly of this one (or a stage is required). */
  | 'UNKNOWN_STAGE'
  /** The assembly (or the chosen stage) has no CloudFormation stacks. */
  | 'NO_STACKS'
  /** A template or asset manifest named by the manifest cannot be read. */
  | 'INVALID_ARTIFACT'
  /** An asset that a function or layer uses is missing on disk. */
  | 'ASSET_MISSING';

export class AssemblyError extends Error {
  override readonly name = 'AssemblyError';

  constructor(
    readonly code: AssemblyErrorCode,
    message: string,
  ) {
    super(message);
  }
}
