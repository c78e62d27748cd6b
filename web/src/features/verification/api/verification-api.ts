// One function per verification and catalogue endpoint the applicant uses.
import { api } from "@/lib/api/client";
import { settle, type ApiResult } from "@/lib/api/result";
import type {
  CountryList,
  LevelList,
  LivenessChallenge,
  LivenessResult,
  PersonalInfoInput,
  UploadResult,
  Verification,
} from "@/lib/api/types";
import { uploadForm, uploadImage, type UploadOptions } from "@/lib/api/upload";

const newKey = () => crypto.randomUUID();

export function getCurrent(signal?: AbortSignal): Promise<ApiResult<Verification>> {
  return settle(api.GET("/api/v1/verifications/current", { signal }));
}

export function startVerification(): Promise<ApiResult<Verification>> {
  return settle(api.POST("/api/v1/verifications", { body: {}, params: { header: { "Idempotency-Key": newKey() } } }));
}

export function savePersonalInfo(id: string, body: PersonalInfoInput): Promise<ApiResult<Verification>> {
  return settle(api.PUT("/api/v1/verifications/{id}/personal-info", { params: { path: { id } }, body }));
}

export function uploadDocument(id: string, side: "front" | "back", file: Blob, options: UploadOptions = {}): Promise<ApiResult<UploadResult>> {
  return uploadImage(`/api/v1/verifications/${encodeURIComponent(id)}/documents/${side}`, file, { idempotencyKey: newKey(), ...options });
}

export function uploadSelfie(id: string, file: Blob, options: UploadOptions = {}): Promise<ApiResult<UploadResult>> {
  return uploadImage(`/api/v1/verifications/${encodeURIComponent(id)}/selfie`, file, { idempotencyKey: newKey(), ...options });
}

export function submitVerification(id: string): Promise<ApiResult<Verification>> {
  return settle(api.POST("/api/v1/verifications/{id}/submit", { params: { path: { id }, header: { "Idempotency-Key": newKey() } } }));
}

export function retryVerification(id: string): Promise<ApiResult<Verification>> {
  return settle(api.POST("/api/v1/verifications/{id}/retry", { params: { path: { id }, header: { "Idempotency-Key": newKey() } } }));
}

// The catalogue is public and changes with deployments only: one request per page load.
let countries: Promise<ApiResult<CountryList>> | null = null;
let levels: Promise<ApiResult<LevelList>> | null = null;

export function getCountries(): Promise<ApiResult<CountryList>> {
  countries ??= settle(api.GET("/api/v1/countries")).then((r) => {
    if (!r.ok) countries = null;
    return r;
  });
  return countries;
}

export function getLevels(): Promise<ApiResult<LevelList>> {
  levels ??= settle(api.GET("/api/v1/levels")).then((r) => {
    if (!r.ok) levels = null;
    return r;
  });
  return levels;
}

export function startLivenessChallenge(id: string): Promise<ApiResult<LivenessChallenge>> {
  return settle(api.POST("/api/v1/verifications/{id}/liveness/challenge", { params: { path: { id } } }));
}

export interface LivenessFrame {
  blob: Blob;
  /** Capture time, milliseconds. */
  at: number;
}

/** Sends the burst captured for `challenge`: a JSON part, then the frames in capture order. */
export function submitLiveness(
  id: string,
  challenge: LivenessChallenge,
  frames: LivenessFrame[],
  options: UploadOptions = {},
): Promise<ApiResult<LivenessResult>> {
  return uploadForm<LivenessResult>(
    `/api/v1/verifications/${encodeURIComponent(id)}/liveness`,
    () => {
      const form = new FormData();
      const meta = { challenge_id: challenge.id, nonce: challenge.nonce, captured_at_ms: frames.map((f) => Math.round(f.at)) };
      form.append("challenge", new Blob([JSON.stringify(meta)], { type: "application/json" }));
      frames.forEach((f, i) => {
        form.append("frame", f.blob, `frame-${String(i)}.jpg`);
      });
      return form;
    },
    options,
  );
}
