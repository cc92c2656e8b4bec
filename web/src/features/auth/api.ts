/** Sign-in by a code sent by e-mail. */
import { graphql } from "../../gql";

export const RequestLoginCodeMutation = graphql(`
  mutation RequestLoginCode($email: String!) {
    requestLoginCode(email: $email) {
      channel
      expiresInSeconds
    }
  }
`);

export const LoginMutation = graphql(`
  mutation Login($email: String!, $code: String!) {
    login(email: $email, code: $code) {
      accessToken
      accessTokenExpiresAt
      refreshToken
      refreshTokenExpiresAt
    }
  }
`);
