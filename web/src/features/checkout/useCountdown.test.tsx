import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useCountdown } from "./useCountdown";

describe("useCountdown", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-06-01T12:00:00Z"));
  });
  afterEach(() => vi.useRealTimers());

  it("counts down to the deadline and says so once when it is reached", () => {
    const onExpire = vi.fn();
    const deadline = Date.now() + 3_000;
    const { result } = renderHook(() => useCountdown(deadline, onExpire));
    expect(result.current).toBe(3_000);
    act(() => void vi.advanceTimersByTime(1_000));
    expect(result.current).toBe(2_000);
    expect(onExpire).not.toHaveBeenCalled();
    act(() => void vi.advanceTimersByTime(2_500));
    expect(result.current).toBe(0);
    expect(onExpire).toHaveBeenCalledTimes(1);
    act(() => void vi.advanceTimersByTime(5_000));
    expect(onExpire).toHaveBeenCalledTimes(1);
  });

  it("is null without a deadline and 0 for one already past", () => {
    const onExpire = vi.fn();
    const { result, rerender } = renderHook(({ d }: { d: number | null }) => useCountdown(d, onExpire), {
      initialProps: { d: null as number | null },
    });
    expect(result.current).toBeNull();
    rerender({ d: Date.now() - 1 });
    expect(result.current).toBe(0);
    expect(onExpire).toHaveBeenCalledTimes(1);
  });

  it("starts again for a new deadline", () => {
    const onExpire = vi.fn();
    const { result, rerender } = renderHook(({ d }: { d: number }) => useCountdown(d, onExpire), {
      initialProps: { d: Date.now() + 1_000 },
    });
    act(() => void vi.advanceTimersByTime(1_000));
    expect(onExpire).toHaveBeenCalledTimes(1);
    rerender({ d: Date.now() + 60_000 });
    expect(result.current).toBe(60_000);
    act(() => void vi.advanceTimersByTime(60_000));
    expect(onExpire).toHaveBeenCalledTimes(2);
  });
});
