/** GraphQL fragments more than one feature selects (codegen puts each into the documents that spread it). */
import { graphql } from "../gql";

/** A seat map as the picker draws it: the first read (event page) and the live one (seat picker). */
export const SeatMapFields = graphql(`
  fragment SeatMapFields on SeatMap {
    event
    tier
    section
    tables
    seatsPerTable
    free
    rows {
      name
      seats {
        label
        state
      }
    }
  }
`);
