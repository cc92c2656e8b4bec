/** The gateway's errors: each GraphQL error carries a stable `extensions.code`. */
import type { CombinedError } from "urql";

/** Codes worth retrying unchanged a moment later (with the same idempotency key). */
export const TRANSIENT_CODES = new Set(["UNAVAILABLE", "PAYMENT_UNAVAILABLE", "RATE_LIMITED", "TIMEOUT"]);

/** A refused operation: `code` is the first error's `extensions.code` (undefined: no answer at all). */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The network failed or the gateway did not answer with GraphQL. */
  get network(): boolean {
    return this.code === undefined;
  }

  get transient(): boolean {
    return this.network || (this.code !== undefined && TRANSIENT_CODES.has(this.code));
  }
}

/** The `extensions.code` of an urql error, if the gateway gave one. */
export function errorCode(error: CombinedError | null | undefined): string | undefined {
  const code = error?.graphQLErrors.find((e) => typeof e.extensions?.code === "string")?.extensions.code;
  return typeof code === "string" ? code : undefined;
}

export function toApiError(error: CombinedError): ApiError {
  const first = error.graphQLErrors[0];
  if (!first) return new ApiError(error.networkError?.message ?? error.message, undefined);
  return new ApiError(first.message, errorCode(error), first.extensions ?? {});
}

/** The data of an operation's result, or its error as an ApiError. */
export function dataOf<T>(result: { data?: T | null; error?: CombinedError }): T {
  if (result.error) throw toApiError(result.error);
  if (result.data == null) throw new ApiError("no answer", undefined);
  return result.data;
}
