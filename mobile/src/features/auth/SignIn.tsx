import { useId, useState, type FormEvent } from "react";
import { LOGIN, REQUEST_LOGIN_CODE, type AuthTokens } from "../../api/documents";
import { ApiError, gql, NetworkError } from "../../api/graphql";
import { sessionEndedBecause, startSession } from "../../api/session";
import { unlockAudio } from "../scan/feedback";

function explain(e: unknown): string {
  if (e instanceof NetworkError) return "No connection to the server. Signing in needs the network.";
  if (e instanceof ApiError) {
    switch (e.code) {
      case "WRONG_CODE": {
        const left = e.extensions.attemptsLeft;
        return typeof left === "number" ? `Wrong code. ${left} attempts left.` : "Wrong code.";
      }
      case "CODE_EXPIRED":
        return "That code has expired or was used. Ask for a new one.";
      case "LOCKED":
        return "Too many wrong codes. Try again in 15 minutes.";
      case "RATE_LIMITED":
        return "Too many requests. Wait a moment and try again.";
      case "BAD_REQUEST":
        return "That does not look like an e-mail address.";
      default:
        return e.message;
    }
  }
  return "Something went wrong. Try again.";
}

/** Sign in with a code sent by e-mail. */
export function SignIn() {
  const [email, setEmail] = useState("");
  const [code, setCode] = useState("");
  const [step, setStep] = useState<"email" | "code">("email");
  const [error, setError] = useState<string | null>(sessionEndedBecause());
  const [busy, setBusy] = useState(false);
  const emailId = useId();
  const codeId = useId();
  const errorId = useId();

  const requestCode = async (e: FormEvent) => {
    e.preventDefault();
    unlockAudio();
    setBusy(true);
    setError(null);
    try {
      await gql(REQUEST_LOGIN_CODE, { email: email.trim() }, { auth: false });
      setStep("code");
    } catch (err) {
      setError(explain(err));
    } finally {
      setBusy(false);
    }
  };

  const login = async (e: FormEvent) => {
    e.preventDefault();
    unlockAudio();
    setBusy(true);
    setError(null);
    try {
      const data = await gql<{ login: AuthTokens }>(LOGIN, { email: email.trim(), code: code.trim() }, { auth: false });
      startSession(email.trim(), data.login);
    } catch (err) {
      setError(explain(err));
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <h1>Sellout scanner</h1>
      {step === "email" ? (
        <form onSubmit={(e) => void requestCode(e)} aria-describedby={error ? errorId : undefined}>
          <label htmlFor={emailId}>E-mail address</label>
          <input
            id={emailId}
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="email"
          />
          <button type="submit" disabled={busy} data-testid="email-submit">
            Send me a code
          </button>
        </form>
      ) : (
        <form onSubmit={(e) => void login(e)} aria-describedby={error ? errorId : undefined}>
          <p>We sent a 6-digit code to {email}.</p>
          <label htmlFor={codeId}>Code</label>
          <input
            id={codeId}
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
            data-testid="code"
          />
          <button type="submit" disabled={busy} data-testid="code-submit">
            Sign in
          </button>
          <button type="button" className="link" onClick={() => setStep("email")}>
            Use another e-mail address
          </button>
        </form>
      )}
      {error && (
        <p id={errorId} className="error" role="alert" data-testid="signin-error">
          {error}
        </p>
      )}
    </main>
  );
}
