/** Signing in with a code sent by e-mail (the API's `requestLoginCode` and `login`). */
export { CodeForm } from "./CodeForm";
export { SignIn } from "./SignIn";
export { authProblem, requestCode, signIn } from "./signIn";
