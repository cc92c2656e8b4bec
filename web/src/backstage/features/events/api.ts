/** The events section's GraphQL documents (operation names start with `Backstage`). */
import { graphql } from "../../gql";

export const EventsListQuery = graphql(`
  query BackstageEvents($ns: String!, $first: Int, $after: String, $last: Int, $before: String) {
    organization(namespace: $ns) {
      namespace
      events(first: $first, after: $after, last: $last, before: $before) {
        pageInfo {
          hasNextPage
          hasPreviousPage
          startCursor
          endCursor
        }
        nodes {
          id
          name
          title
          state
          venueName
          days {
            startsAt
          }
          status {
            phase
            capacity
            sold
          }
        }
      }
    }
  }
`);

export const EventVenuesQuery = graphql(`
  query BackstageEventVenues($ns: String!) {
    organization(namespace: $ns) {
      namespace
      venues(first: 100) {
        nodes {
          name
          displayName
          timezone
        }
      }
    }
  }
`);

export const EventQuery = graphql(`
  query BackstageEvent($ns: String!, $name: String!) {
    organization(namespace: $ns) {
      namespace
      event(name: $name) {
        id
        name
        slug
        title
        description
        venueName
        venue {
          name
          displayName
          timezone
          sections {
            name
          }
        }
        currency
        days {
          doorsAt
          startsAt
          endsAt
        }
        onSaleAt
        offSaleAt
        state
        holdTtlSeconds
        taxes {
          name
          rateBps
          appliesTo
        }
        fees {
          name
          appliesTo
          flatMinor
          percentBps
        }
        promotions {
          code
          name
          appliesTo
          flatMinor
          percentBps
        }
        generation
        workers {
          checkout {
            minReplicas
            maxReplicas
            prewarmReplicas
          }
          scan {
            minReplicas
            maxReplicas
            prewarmReplicas
          }
          prewarmLeadSeconds
          replicaLimit
        }
        fieldOwners {
          field
          manager
          operation
          byGateway
        }
        tiers(first: 100) {
          nodes {
            name
            displayName
            kind
            priceMinor
            currency
            quantity
            perOrder {
              min
              max
            }
            section
            tableSeats
            visibility
            status {
              sold
              held
              available
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
    }
  }
`);

export const EventStatusQuery = graphql(`
  query BackstageEventStatus($ns: String!, $name: String!) {
    organization(namespace: $ns) {
      namespace
      event(name: $name) {
        id
        state
        generation
        status {
          phase
          ready {
            status
            reason
            message
          }
          upToDate
          capacity
          sold
          held
          available
          checkoutWorkers {
            ...BackstageWorkerSet
          }
          scanWorkers {
            ...BackstageWorkerSet
          }
        }
      }
    }
  }
`);

export const WorkerSetFragment = graphql(`
  fragment BackstageWorkerSet on WorkerSetView {
    ready
    desired
    minReplicas
    maxReplicas
  }
`);

export const CreateEventMutation = graphql(`
  mutation BackstageCreateEvent($ns: String!, $input: CreateEventInput!) {
    createEvent(organization: $ns, input: $input) {
      id
      name
    }
  }
`);

export const UpdateEventMutation = graphql(`
  mutation BackstageUpdateEvent($ns: String!, $name: String!, $input: UpdateEventInput!, $force: Boolean) {
    updateEvent(organization: $ns, name: $name, input: $input, force: $force) {
      id
      name
      generation
    }
  }
`);

export const PublishEventMutation = graphql(`
  mutation BackstagePublishEvent($ns: String!, $name: String!, $force: Boolean) {
    publishEvent(organization: $ns, name: $name, force: $force) {
      id
      name
      state
    }
  }
`);

export const CancelEventMutation = graphql(`
  mutation BackstageCancelEvent($ns: String!, $name: String!, $force: Boolean) {
    cancelEvent(organization: $ns, name: $name, force: $force) {
      id
      name
      state
    }
  }
`);

export const CreateTierMutation = graphql(`
  mutation BackstageCreateTier($ns: String!, $input: CreateTicketTierInput!) {
    createTicketTier(organization: $ns, input: $input) {
      name
      event
    }
  }
`);

export const UpdateTierMutation = graphql(`
  mutation BackstageUpdateTier($ns: String!, $name: String!, $input: UpdateTicketTierInput!, $force: Boolean) {
    updateTicketTier(organization: $ns, name: $name, input: $input, force: $force) {
      name
      event
    }
  }
`);

export const DeleteTierMutation = graphql(`
  mutation BackstageDeleteTier($ns: String!, $name: String!, $force: Boolean) {
    deleteTicketTier(organization: $ns, name: $name, force: $force)
  }
`);
