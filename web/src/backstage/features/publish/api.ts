/** The publish page's document: the address the gateway serves the feed at (its `--public-url`). */
import { graphql } from "../../gql";

export const BackstagePublicUrlQuery = graphql(`
  query BackstagePublicUrl {
    portalConfig {
      publicUrl
    }
  }
`);
