/** Who is signed in, and where: the one query every Backstage page waits for. */
import { graphql } from "../gql";

export const MeQuery = graphql(`
  query BackstageMe {
    me {
      login
      email
      superUser
      organizations {
        namespace
        name
        displayName
        role
      }
    }
  }
`);

export const LogoutMutation = graphql(`
  mutation BackstageLogout {
    logout
  }
`);
