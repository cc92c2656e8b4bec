/** The organization's members and their roles (the Organization's `spec.members`). */
import { graphql } from "../../gql";

export const BackstageMembersQuery = graphql(`
  query BackstageMembers($ns: String!, $after: String) {
    organization(namespace: $ns) {
      namespace
      members(first: 100, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          email
          role
          fieldOwners {
            field
            manager
            byGateway
          }
        }
      }
    }
  }
`);

export const BackstageSetMemberMutation = graphql(`
  mutation BackstageSetMember($ns: String!, $email: String!, $role: Role!, $force: Boolean) {
    setMember(organization: $ns, email: $email, role: $role, force: $force) {
      email
      role
    }
  }
`);

export const BackstageRemoveMemberMutation = graphql(`
  mutation BackstageRemoveMember($ns: String!, $email: String!) {
    removeMember(organization: $ns, email: $email)
  }
`);
