/** The customers list's paging against a mock API: the page is in the address, so a reload stays on it. */
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { clientAnswering } from "../../../test/client";
import { renderWith } from "../../../test/render";
import { OrgContext, type Org } from "../../session/org";
import CustomersPage from "./CustomersPage";

const org: Org = { namespace: "acme", name: "acme", displayName: "Acme", role: "ADMIN" };

const customer = (email: string) => ({
  email,
  name: "",
  currency: "EUR",
  orders: 1,
  lifetimeValueMinor: 1000,
  refundedMinor: 0,
  firstOrderAtMs: 1_760_000_000_000,
  lastOrderAtMs: 1_760_000_000_000,
});

afterEach(() => window.history.replaceState(null, "", "/"));

describe("paging the customers", () => {
  it("asks for the page the address names, and pages on and back from it", async () => {
    window.history.replaceState(null, "", "/backstage/acme/customers?after=after-b");
    const asked: unknown[] = [];
    const client = clientAnswering((_, op) => {
      const after = (op.variables as { after: string | null }).after;
      asked.push(after);
      const [emails, end] =
        after === "after-b"
          ? [["c@example.com", "d@example.com"], "after-d"]
          : after === "after-d"
            ? [["e@example.com"], null]
            : [["a@example.com", "b@example.com"], "after-b"];
      return {
        data: {
          customers: { pageInfo: { hasNextPage: end !== null, endCursor: end }, nodes: emails.map(customer) },
        },
      };
    });
    renderWith(
      <OrgContext.Provider value={org}>
        <CustomersPage />
      </OrgContext.Provider>,
      client,
    );
    const shown = () => screen.queryAllByTestId("customer-row").map((r) => r.dataset.email);
    await waitFor(() => expect(shown()).toEqual(["c@example.com", "d@example.com"]));
    expect(asked[0]).toBe("after-b");
    expect(screen.getByTestId("page-number").textContent).toBe("Page 2");

    fireEvent.click(screen.getByTestId("page-next"));
    await waitFor(() => expect(shown()).toEqual(["e@example.com"]));
    expect(new URLSearchParams(window.location.search).getAll("after")).toEqual(["after-b", "after-d"]);

    fireEvent.click(screen.getByTestId("page-previous"));
    fireEvent.click(await screen.findByTestId("page-previous"));
    await waitFor(() => expect(shown()).toEqual(["a@example.com", "b@example.com"]));
    expect(window.location.search).toBe("");
  });
});
