import { describe, expect, it } from "vitest";
import { parseRoute, pathOf } from "./routes";

describe("routes", () => {
  it.each([
    ["/portal/acme/show", { name: "event", slug: "acme/show" }],
    ["/portal/acme/show/", { name: "event", slug: "acme/show" }],
    ["/portal/acme/show/orders", { name: "orders", slug: "acme/show" }],
    ["/portal/acme/show/orders/0b7c", { name: "order", slug: "acme/show", orderId: "0b7c" }],
    ["/portal/", { name: "notFound" }],
    ["/portal/acme", { name: "notFound" }],
    ["/portal/acme/show/tickets", { name: "notFound" }],
    ["/portal/Acme/show", { name: "notFound" }],
    ["/portal/acme/show/orders/1/2", { name: "notFound" }],
    ["/elsewhere/acme/show", { name: "notFound" }],
  ])("%s", (path, route) => expect(parseRoute(path, "/portal/")).toEqual(route));

  it("writes the addresses back", () => {
    expect(pathOf({ name: "event", slug: "acme/show" }, "/portal/")).toBe("/portal/acme/show");
    expect(pathOf({ name: "orders", slug: "acme/show" }, "/portal/")).toBe("/portal/acme/show/orders");
    expect(pathOf({ name: "order", slug: "acme/show", orderId: "a b" }, "/portal/")).toBe(
      "/portal/acme/show/orders/a%20b",
    );
  });
});
