// The error the app handles everywhere: what the API answered (`{code, message, details}`),
// or a client-side failure (`network_error`) shaped the same way.

/** One rejected field of a 422: its code and the parameters a message needs. */
export interface FieldProblem {
  code: string;
  [param: string]: unknown;
}

export type ErrorDetails = Record<string, unknown>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetails;

  constructor(status: number, code: string, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** `details.fields` of a 422: every rejected field with its own code. */
  get fields(): Record<string, FieldProblem> {
    const fields = this.details.fields;
    if (!isRecord(fields)) return {};
    const out: Record<string, FieldProblem> = {};
    for (const [name, value] of Object.entries(fields)) {
      if (isRecord(value) && typeof value.code === 'string') {
        out[name] = value as FieldProblem;
      }
    }
    return out;
  }

  /** The one field a conflict is about (`details.field`, as 409 `slug_taken` says). */
  get field(): string | null {
    return typeof this.details.field === 'string' ? this.details.field : null;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds an [`ApiError`] from a response's status and parsed body (which may be anything). */
export function toApiError(status: number, body: unknown): ApiError {
  if (isRecord(body) && typeof body.code === 'string') {
    const message = typeof body.message === 'string' ? body.message : body.code;
    const details = isRecord(body.details) ? body.details : {};
    return new ApiError(status, body.code, message, details);
  }
  return new ApiError(status, status >= 500 ? 'internal_error' : 'unexpected_response', '');
}

export function networkError(cause?: unknown): ApiError {
  const error = new ApiError(0, 'network_error', cause instanceof Error ? cause.message : '');
  return error;
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}
