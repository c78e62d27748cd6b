// Continue on a phone: the desktop makes and follows a one-time link; the phone exchanges it
// for a capture session (kept in memory by `setCaptureSession`, never in web storage).
import { api } from "@/lib/api/client";
import { settle, type ApiResult } from "@/lib/api/result";
import type { CaptureSession, HandoffLink, HandoffStatus, Verification } from "@/lib/api/types";

export function createHandoff(id: string): Promise<ApiResult<HandoffLink>> {
  return settle(
    api.POST("/api/v1/verifications/{id}/handoff", { params: { path: { id }, header: { "Idempotency-Key": crypto.randomUUID() } } }),
  );
}

export function getHandoff(id: string, signal?: AbortSignal): Promise<ApiResult<HandoffStatus>> {
  return settle(api.GET("/api/v1/verifications/{id}/handoff", { params: { path: { id } }, signal }));
}

export function cancelHandoff(id: string): Promise<ApiResult<HandoffStatus>> {
  return settle(api.DELETE("/api/v1/verifications/{id}/handoff", { params: { path: { id } } }));
}

export function getVerification(id: string, signal?: AbortSignal): Promise<ApiResult<Verification>> {
  return settle(api.GET("/api/v1/verifications/{id}", { params: { path: { id } }, signal }));
}

// The link works once: a second exchange of the same token (React's development double
// effects, a double tap) reuses the first answer instead of spending it again.
const exchanges = new Map<string, Promise<ApiResult<CaptureSession>>>();

export function exchangeHandoff(token: string): Promise<ApiResult<CaptureSession>> {
  let pending = exchanges.get(token);
  if (!pending) {
    pending = settle(api.POST("/api/v1/handoff/exchange", { body: { token } }));
    exchanges.set(token, pending);
  }
  return pending;
}

export function completeHandoff(id: string): Promise<ApiResult<HandoffStatus>> {
  return settle(api.POST("/api/v1/verifications/{id}/handoff/complete", { params: { path: { id } } }));
}
