// The admin side of the journey, through the API: an admin made by `ekyc admin create-user`
// (scripts/test.sh passes its credentials) records decisions on the real decision endpoint.
import { baseUrl } from "./browser";

interface Reason {
  code: string;
  step: "personal_info" | "document" | "selfie";
  field_paths: string[];
}

function credentials(): { email: string; password: string } {
  const email = process.env.EKYC_E2E_ADMIN_EMAIL;
  const password = process.env.EKYC_E2E_ADMIN_PASSWORD;
  if (!email || !password) {
    throw new Error("EKYC_E2E_ADMIN_EMAIL / EKYC_E2E_ADMIN_PASSWORD are not set: create an admin with `ekyc admin create-user --role admin --password-stdin` (scripts/test.sh does)");
  }
  return { email, password };
}

let token: string | null = null;

async function adminToken(): Promise<string> {
  if (token) return token;
  const response = await fetch(`${baseUrl()}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(credentials()),
  });
  if (!response.ok) throw new Error(`admin sign-in failed: ${String(response.status)} ${await response.text()}`);
  token = ((await response.json()) as { access_token: string }).access_token;
  return token;
}

async function decide(id: string, body: object): Promise<void> {
  const response = await fetch(`${baseUrl()}/api/v1/admin/verifications/${id}/decision`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${await adminToken()}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`decision refused: ${String(response.status)} ${await response.text()}`);
}

export function reject(id: string, reasons: Reason[], message?: string): Promise<void> {
  return decide(id, { decision: "reject", reject_type: "retry", reasons, ...(message ? { message } : {}) });
}

export function approve(id: string): Promise<void> {
  return decide(id, { decision: "approve" });
}
