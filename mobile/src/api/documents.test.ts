import { readFileSync } from "node:fs";
import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import * as documents from "./documents";

// The documents must hold against the gateway's checked-in SDL.
const schema = buildSchema(readFileSync(new URL("../../../gateway/schema.graphql", import.meta.url), "utf8"));

describe("GraphQL documents", () => {
  for (const [name, doc] of Object.entries(documents)) {
    if (typeof doc !== "string") continue;
    it(`${name} is valid against gateway/schema.graphql`, () => {
      expect(validate(schema, parse(doc)).map((e) => e.message)).toEqual([]);
    });
  }
});
