/** An urql client for tests that answers each operation by its name. */
import { Client, makeResult, type Exchange, type Operation } from "urql";
import { filter, fromValue, map, mergeMap, pipe } from "wonka";

export type Answer = { data?: unknown; errors?: { message: string; extensions: { code: string } }[] };

export function clientAnswering(answer: (name: string, op: Operation) => Answer): Client {
  const exchange: Exchange = () => (ops$) =>
    pipe(
      ops$,
      filter((op) => op.kind !== "teardown"),
      mergeMap((op) => {
        const def = op.query.definitions.find((d) => d.kind === "OperationDefinition");
        const name = def && "name" in def ? (def.name?.value ?? "") : "";
        return pipe(
          fromValue(op),
          map((o) => makeResult(o, answer(name, o) as Parameters<typeof makeResult>[1])),
        );
      }),
    );
  return new Client({ url: "http://test/graphql", exchanges: [exchange] });
}
