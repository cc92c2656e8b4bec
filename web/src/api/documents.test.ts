// @vitest-environment node
import { readFileSync } from "node:fs";
import { buildSchema, validate, type DocumentNode } from "graphql";
import { describe, expect, it } from "vitest";
import * as backstage from "../backstage/gql/graphql";
import * as portal from "../gql/graphql";

// Every document written with graphql() must hold against the gateway's checked-in SDL
// (graphql-codegen checks them too when it generates src/gql and src/backstage/gql).
const schema = buildSchema(readFileSync(new URL("../../../gateway/schema.graphql", import.meta.url), "utf8"));

const documents = [...Object.entries(portal), ...Object.entries(backstage)].filter(
  (entry): entry is [string, DocumentNode] =>
    entry[0].endsWith("Document") && typeof entry[1] === "object" && (entry[1] as DocumentNode).kind === "Document",
);

describe("GraphQL documents", () => {
  it("are there", () => expect(documents.length).toBeGreaterThanOrEqual(60));
  for (const [name, doc] of documents) {
    it(`${name} is valid against gateway/schema.graphql`, () => {
      expect(validate(schema, doc).map((e) => e.message)).toEqual([]);
    });
  }
});
