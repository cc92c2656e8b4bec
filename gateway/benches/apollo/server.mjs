// make bench-graphql's baseline: a minimal Apollo Server 5 (the original
// Sellout's stack) serving the public event page from memory.
//
// The schema is the event-page subset of gateway/schema.graphql; the data
// is the page our gateway answered, which the bench writes to a JSON file
// ({"<slug>": {...page...}}), so both servers serve the same thing.
//
//   PORT=4100 PAGES=/tmp/pages.json node server.mjs

import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const typeDefs = `#graphql
  "An event as buyers see it."
  type EventPage {
    id: ID!
    slug: String!
    title: String!
    currency: String!
    onSaleAt: String!
    state: String!
    venue: VenueView
    tiers: [TierView!]!
  }

  "The venue on the event page."
  type VenueView {
    name: String!
    displayName: String!
    city: String!
    country: String!
    capacity: Int!
  }

  "A ticket tier on the event page."
  type TierView {
    name: String!
    displayName: String!
    priceMinor: Int!
    currency: String!
    perOrderMax: Int!
    available: Int
  }

  type Query {
    event(slug: String!): EventPage
  }
`;

const pages = JSON.parse(readFileSync(process.env.PAGES, 'utf8'));

const resolvers = {
  Query: {
    event: (_parent, { slug }) => pages[slug] ?? null,
  },
};

const server = new ApolloServer({ typeDefs, resolvers });
const { url } = await startStandaloneServer(server, {
  listen: { host: '127.0.0.1', port: Number(process.env.PORT) },
});
console.log(`apollo serving ${url}`);
