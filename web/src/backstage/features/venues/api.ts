/** The venues section's GraphQL documents (operation names start with `Backstage`). */
import { graphql } from "../../gql";

export const VenuesListQuery = graphql(`
  query BackstageVenues($ns: String!, $first: Int, $after: String, $last: Int, $before: String) {
    organization(namespace: $ns) {
      namespace
      venues(first: $first, after: $after, last: $last, before: $before) {
        pageInfo {
          hasNextPage
          hasPreviousPage
          startCursor
          endCursor
        }
        nodes {
          name
          displayName
          timezone
          capacity
          address {
            city
            country
          }
          sections {
            name
          }
        }
      }
    }
  }
`);

export const VenueQuery = graphql(`
  query BackstageVenue($ns: String!, $name: String!) {
    organization(namespace: $ns) {
      namespace
      venue(name: $name) {
        name
        displayName
        address {
          line1
          line2
          city
          region
          postalCode
          country
        }
        timezone
        capacity
        sections {
          name
          generalAdmissionCapacity
          rows
          seatsPerRow
          seatLabels
          tables
          seatsPerTable
        }
        status {
          ready {
            status
            reason
            message
          }
          sectionCapacity
        }
        fieldOwners {
          field
          manager
          operation
          byGateway
        }
      }
    }
  }
`);

export const CreateVenueMutation = graphql(`
  mutation BackstageCreateVenue($ns: String!, $input: CreateVenueInput!) {
    createVenue(organization: $ns, input: $input) {
      name
    }
  }
`);

export const UpdateVenueMutation = graphql(`
  mutation BackstageUpdateVenue($ns: String!, $name: String!, $input: UpdateVenueInput!, $force: Boolean) {
    updateVenue(organization: $ns, name: $name, input: $input, force: $force) {
      name
    }
  }
`);
