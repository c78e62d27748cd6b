// One function per reviewer endpoint (tag `review` of openapi.yaml).
import { api } from "@/lib/api/client";
import { settle, type ApiResult } from "@/lib/api/result";
import type { components, paths } from "@/lib/api/schema";

type Schemas = components["schemas"];
export type QueuePage = Schemas["QueuePage"];
export type QueueItem = Schemas["QueueItem"];
export type CaseView = Schemas["CaseView"];
export type CaseSummary = Schemas["CaseSummary"];
export type CheckView = Schemas["CheckView"];
export type ComparisonRow = Schemas["ComparisonRow"];
export type ReviewImage = Schemas["ReviewImage"];
export type AttemptView = Schemas["AttemptView"];
export type DecisionRecord = Schemas["DecisionRecord"];
export type DecisionInput = Schemas["DecisionInput"];
export type DecisionResult = Schemas["DecisionResult"];
export type AuditPage = Schemas["AuditPage"];
export type AuditEntry = Schemas["AuditEntry"];
export type CaseState = Schemas["CaseState"];
export type QueueQuery = NonNullable<paths["/api/v1/review/cases"]["get"]["parameters"]["query"]>;

export function listCases(query: QueueQuery, signal?: AbortSignal): Promise<ApiResult<QueuePage>> {
  return settle(api.GET("/api/v1/review/cases", { params: { query }, signal }));
}

export function getCase(id: string, signal?: AbortSignal): Promise<ApiResult<CaseView>> {
  return settle(api.GET("/api/v1/review/cases/{id}", { params: { path: { id } }, signal }));
}

export function claimCase(id: string): Promise<ApiResult<CaseSummary>> {
  return settle(api.POST("/api/v1/review/cases/{id}/claim", { params: { path: { id } } }));
}

export function releaseCase(id: string): Promise<ApiResult<undefined>> {
  return settle(api.DELETE("/api/v1/review/cases/{id}/claim", { params: { path: { id } } }));
}

/** `key` makes a repeated click (or a retried request) replay the first answer. */
export function decideCase(id: string, body: DecisionInput, key: string): Promise<ApiResult<DecisionResult>> {
  return settle(api.POST("/api/v1/review/cases/{id}/decision", { params: { path: { id }, header: { "Idempotency-Key": key } }, body }));
}

export function listAudit(cursor: string | undefined, signal?: AbortSignal): Promise<ApiResult<AuditPage>> {
  return settle(api.GET("/api/v1/review/audit", { params: { query: cursor ? { cursor } : {} }, signal }));
}
