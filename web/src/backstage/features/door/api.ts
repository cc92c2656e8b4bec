/** The door's documents: what the caller may scan, the scan itself and the live counts. */
import { graphql } from "../../gql";

export const BackstageScanDaysQuery = graphql(`
  query BackstageScanDays {
    scanDays {
      event
      title
      venue
      day
      doorsAt
      startsAt
      endsAt
      checkedIn
    }
  }
`);

export const BackstageDoorSetupQuery = graphql(`
  query BackstageDoorSetup($slug: String!) {
    scannerKit(event: $slug) {
      eventUid
      gates {
        name
        displayName
        tiers
        reentry
      }
      tiers {
        name
        displayName
        addOn
      }
    }
  }
`);

/** Sold figures for the "of N" on the cards (the API may refuse them to some roles: the cards then show counts only). */
export const BackstageDoorTotalsQuery = graphql(`
  query BackstageDoorTotals($ns: String!, $name: String!) {
    organization(namespace: $ns) {
      namespace
      event(name: $name) {
        id
        name
        status {
          sold
        }
        tiers(first: 100) {
          nodes {
            name
            displayName
            kind
            status {
              sold
            }
          }
        }
      }
    }
  }
`);

export const BackstageScanMutation = graphql(`
  mutation BackstageScan($event: String!, $code: String!, $gate: String!, $device: String!, $scanId: ID!) {
    scan(event: $event, code: $code, gate: $gate, device: $device, scanId: $scanId) {
      outcome
      message
      ticketId
      tier
      tierDisplayName
      holderName
      seat
      day
      admissions
      standing {
        at
        gate
        device
        staff
        offline
      }
      validDays
      retry
    }
  }
`);

export const BackstageCheckInCountsSubscription = graphql(`
  subscription BackstageCheckInCounts($event: String!) {
    checkInCounts(event: $event) {
      days {
        day
        checkedIn
        admissions
        redeemed
        byGate {
          name
          checkedIn
          admissions
        }
        byTier {
          name
          checkedIn
          admissions
        }
      }
    }
  }
`);
