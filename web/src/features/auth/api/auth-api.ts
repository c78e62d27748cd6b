// One function per auth endpoint. Tokens never leave memory: the refresh token travels only
// in the HttpOnly `ekyc_refresh` cookie, so the request bodies for refresh and logout are empty.
import { api } from "@/lib/api/client";
import { settle, type ApiResult } from "@/lib/api/result";
import type { AuthSession, Credentials, Me } from "@/lib/api/types";

export function register(body: Credentials): Promise<ApiResult<AuthSession>> {
  return settle(api.POST("/api/v1/auth/register", { body }));
}

export function login(body: Credentials): Promise<ApiResult<AuthSession>> {
  return settle(api.POST("/api/v1/auth/login", { body }));
}

export function refresh(): Promise<ApiResult<AuthSession>> {
  return settle(api.POST("/api/v1/auth/refresh", { body: {} }));
}

export function logout(): Promise<ApiResult<undefined>> {
  return settle(api.POST("/api/v1/auth/logout", { body: {} }));
}

export function getMe(signal?: AbortSignal): Promise<ApiResult<Me>> {
  return settle(api.GET("/api/v1/me", { signal }));
}
