/** Signing in by a code sent by e-mail: ask for the code, then trade it for tokens. */
import type { TFunction } from "i18next";
import type { Client } from "urql";
import { ApiError, dataOf } from "../../api/errors";
import { startSession } from "../../api/session";
import { LoginMutation, RequestLoginCodeMutation } from "./api";

export async function requestCode(client: Client, email: string): Promise<number> {
  const sent = dataOf(await client.mutation(RequestLoginCodeMutation, { email: email.trim() }).toPromise());
  return sent.requestLoginCode.expiresInSeconds;
}

export async function signIn(client: Client, email: string, code: string): Promise<void> {
  const data = dataOf(await client.mutation(LoginMutation, { email: email.trim(), code: code.trim() }).toPromise());
  startSession(email, data.login);
}

/** What to tell the buyer when asking for or using a code failed. */
export function authProblem(e: unknown, t: TFunction): string {
  if (!(e instanceof ApiError)) return t("common.error", { message: e instanceof Error ? e.message : String(e) });
  if (e.network) return t("common.networkError");
  switch (e.code) {
    case "WRONG_CODE": {
      const left = e.extensions.attemptsLeft;
      return typeof left === "number" ? t("auth.errors.WRONG_CODE_left", { count: left }) : t("auth.errors.WRONG_CODE");
    }
    case "CODE_EXPIRED":
    case "LOCKED":
    case "RATE_LIMITED":
    case "BAD_REQUEST":
      return t(`auth.errors.${e.code}`);
    default:
      return t("common.error", { message: e.message });
  }
}
