/**
 * An error whose message is meant for the person (or model) who caused it: it names the problem
 * and, where possible, how to fix it. The CLI prints only the message unless --verbose is given.
 */
export class AiaError extends Error {
  constructor(
    message: string,
    readonly code: string = 'AIA_ERROR',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AiaError';
  }
}

/** Bad input from a user: a missing file, an unknown site, an out-of-range unit, a wrong image size. */
export class InputError extends AiaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'INPUT_ERROR', options);
    this.name = 'InputError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
