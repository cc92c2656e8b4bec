import { act, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { clearSession, startSession } from "../../api/session";
import { renderWith } from "../../test/render";
import { LOCATE_TIMEOUT_MS, type BuyerDetails } from "./buyer";
import { CheckoutPanel } from "./CheckoutPanel";

// The payment step shows whom it was handed, so the test can read the buyer's details.
vi.mock("./PaymentStep", () => ({
  PaymentStep: ({ buyer }: { buyer: BuyerDetails }) => <output data-testid="paying-as">{JSON.stringify(buyer)}</output>,
}));

const later = new Date(Date.now() + 3_600_000).toISOString();

function renderPanel() {
  const on = {
    onPaying: vi.fn(),
    onOrderPlaced: vi.fn(),
    onHoldsGone: vi.fn(),
    onPaymentFailed: vi.fn(),
    onCompleted: vi.fn(),
  };
  renderWith(
    <CheckoutPanel event={{ slug: "acme/show", title: "Show", currency: "EUR" }} checkout="co-1" holds={[]} {...on} />,
  );
}

afterEach(() => {
  vi.useRealTimers();
  Reflect.deleteProperty(navigator, "geolocation");
  clearSession();
});

describe("CheckoutPanel", () => {
  it("goes on without an area when the browser's location question is never answered, saying it is asking", async () => {
    vi.useFakeTimers();
    // The buyer never answers the browser's prompt: no callback ever comes.
    const getCurrentPosition = vi.fn();
    Object.defineProperty(navigator, "geolocation", { value: { getCurrentPosition }, configurable: true });
    // Already signed in as the buyer: Continue goes straight to payment.
    startSession("ada@example.com", {
      accessToken: "a",
      accessTokenExpiresAt: later,
      refreshToken: "r",
      refreshTokenExpiresAt: later,
    });
    renderPanel();

    fireEvent.input(screen.getByLabelText(/^Full name/), { target: { value: "Ada Lovelace" } });
    fireEvent.click(screen.getByLabelText("Share roughly where I am with the promoter (optional)"));
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Continue" }));
      await vi.advanceTimersByTimeAsync(10);
    });

    expect(getCurrentPosition).toHaveBeenCalledTimes(1);
    expect(screen.getByRole("status").textContent).toBe("Asking your browser for your location…");
    expect(screen.queryByTestId("paying-as")).toBeNull();

    await act(async () => {
      await vi.advanceTimersByTimeAsync(LOCATE_TIMEOUT_MS);
    });

    const buyer = JSON.parse(screen.getByTestId("paying-as").textContent ?? "null") as BuyerDetails;
    expect(buyer).toMatchObject({ email: "ada@example.com", name: "Ada Lovelace", shareArea: true, area: null });
  });
});
