// Multipart image upload with progress. fetch() cannot report upload progress, so this one
// request goes through XMLHttpRequest, with the same access token, the same one-refresh-and-
// retry on `token_expired`, and the same result type as every other call.
import { authHooks } from "./client";
import { errorDetail, type ApiResult } from "./result";

export interface UploadOptions {
  /** Called with 0..1 as the body goes out. */
  onProgress?: (fraction: number) => void;
  /** Replays the first answer if the same upload is sent twice (a flaky network). */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

interface RawAnswer {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

function send(url: string, form: FormData, token: string | null, options: UploadOptions): Promise<RawAnswer | null> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.responseType = "json";
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    if (options.idempotencyKey) xhr.setRequestHeader("Idempotency-Key", options.idempotencyKey);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      resolve({ status: xhr.status, body: xhr.response as unknown, retryAfter: xhr.getResponseHeader("Retry-After") });
    };
    xhr.onerror = () => {
      resolve(null);
    };
    xhr.onabort = () => {
      reject(new DOMException("The upload was cancelled.", "AbortError"));
    };
    options.signal?.addEventListener("abort", () => {
      xhr.abort();
    });
    xhr.send(form);
  });
}

const isExpired = (answer: RawAnswer) =>
  answer.status === 401 && (answer.body as { error?: { code?: unknown } } | null)?.error?.code === "token_expired";

/** POSTs `file` as the multipart part `file` to `path` (same origin). */
export function uploadImage<T>(path: string, file: Blob, options: UploadOptions = {}): Promise<ApiResult<T>> {
  return uploadForm<T>(
    path,
    () => {
      const form = new FormData();
      form.append("file", file, file instanceof File ? file.name : "photo.jpg");
      return form;
    },
    options,
  );
}

/** POSTs the multipart body `makeForm` builds (built again if the request is retried). */
export async function uploadForm<T>(path: string, makeForm: () => FormData, options: UploadOptions = {}): Promise<ApiResult<T>> {
  const url = new URL(path, globalThis.location.origin).toString();
  const auth = authHooks();
  let answer = await send(url, makeForm(), auth ? await auth.getAccessToken() : null, options);
  if (answer && auth && isExpired(answer) && (await auth.refresh())) {
    answer = await send(url, makeForm(), await auth.getAccessToken(), options);
  }
  if (answer === null || answer.status === 0) return { ok: false, problem: { kind: "network" } };
  if (answer.status >= 200 && answer.status < 300) return { ok: true, data: answer.body as T };
  const seconds = answer.retryAfter === null ? Number.NaN : Number(answer.retryAfter);
  return {
    ok: false,
    problem: {
      kind: "api",
      status: answer.status,
      error: errorDetail(answer.status, answer.body),
      ...(Number.isFinite(seconds) && seconds >= 0 ? { retryAfter: Math.ceil(seconds) } : {}),
    },
  };
}
