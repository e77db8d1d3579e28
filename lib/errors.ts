// The one error type services throw; lib/http and lib/actions map it to their transport.
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  SYSTEM_MANAGED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  INVALID_STATE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  path: string;
  message: string;
}

export interface DomainErrorOptions {
  details?: unknown[];
  field?: string;
  retryable?: boolean;
  /** For RATE_LIMITED: when to try again; sent as the Retry-After header. */
  retryAfterSeconds?: number;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown[];
  readonly field?: string;
  readonly retryable?: boolean;
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, options: DomainErrorOptions = {}) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.details = options.details;
    this.field = options.field;
    this.retryable = options.retryable;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function notFound(what: string): DomainError {
  return new DomainError("NOT_FOUND", `${what} not found`);
}

interface Issue {
  path: ReadonlyArray<PropertyKey>;
  message: string;
  code?: string;
  keys?: ReadonlyArray<string>;
}

/** Turns zod issues into the contract's `details` and the top-level `field`. */
export function validationError(issues: ReadonlyArray<Issue>, prefix: string[] = [], message = "The request is not valid"): DomainError {
  // An unknown key is reported at its own path, so `field` names it rather than its parent object.
  const flat = issues.flatMap((issue): Issue[] =>
    issue.code === "unrecognized_keys" && issue.keys?.length
      ? issue.keys.map((key) => ({ path: [...issue.path, key], message: `Unknown field "${key}"` }))
      : [issue],
  );
  const details: ErrorDetail[] = flat.map((issue) => ({
    path: [...prefix, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
  const field = details[0]?.path.split(".")[0] || undefined;
  return new DomainError("VALIDATION_FAILED", message, { details, field });
}
