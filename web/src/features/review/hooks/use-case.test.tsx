import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getCase } from "../api/review-api";
import { caseView } from "../testing/fixtures";
import { useCase } from "./use-case";

vi.mock("../api/review-api", () => ({ getCase: vi.fn() }));
const get = vi.mocked(getCase);

describe("useCase", () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    vi.setSystemTime(new Date("2026-11-26T05:00:00Z"));
    get.mockReset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("fetches the case again 30 s before the first image URL expires", async () => {
    // The back's URL expires first, at 05:04:30: fetch again at 05:04:00.
    get.mockResolvedValue({ ok: true, data: caseView() });
    const { result } = renderHook(() => useCase("c1"));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(result.current.state.status).toBe("ready");
    expect(get).toHaveBeenCalledTimes(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(239_000);
    });
    expect(get).toHaveBeenCalledTimes(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1_000);
    });
    expect(get).toHaveBeenCalledTimes(2);
  });

  it("keeps the case on screen when a refetch hits a network error", async () => {
    get.mockResolvedValueOnce({ ok: true, data: caseView() }).mockResolvedValueOnce({ ok: false, problem: { kind: "network" } });
    const { result } = renderHook(() => useCase("c1"));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    act(() => {
      result.current.reload();
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(get).toHaveBeenCalledTimes(2);
    expect(result.current.state.status).toBe("ready");
  });
});
