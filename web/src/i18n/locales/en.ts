import type { Messages } from "../types";

export const enUi = {
  "app.name": "ekyc",
  "app.tagline": "Identity verification",
  "app.skipToContent": "Skip to content",
  "app.loading": "Loading…",
  "language.label": "Language",
  "nav.signOut": "Sign out",
  "session.restoring": "Checking your session…",

  "field.email": "Email",
  "field.password": "Password",
  "field.passwordHint": "At least {min} characters. A long phrase is easy to remember and hard to guess.",
  "field.showPassword": "Show password",

  "login.title": "Sign in",
  "login.subtitle": "Continue your identity verification.",
  "login.submit": "Sign in",
  "login.submitting": "Signing in…",
  "login.noAccount": "New here?",
  "login.registerLink": "Create an account",
  "login.signedOut": "You have signed out.",

  "register.title": "Create your account",
  "register.subtitle": "You will verify your identity in a few steps after this.",
  "register.submit": "Create account",
  "register.submitting": "Creating account…",
  "register.haveAccount": "Already have an account?",
  "register.loginLink": "Sign in",

  "home.title": "Identity Verification",
  "home.intro": "Verify your identity to unlock all features of your account.",
  "home.account": "Your account",
  "home.email": "Email",
  "home.roles": "Roles",
  "home.loading": "Loading your account…",
  "home.next": "The verification steps will appear here.",
  "home.retry": "Try again",

  "role.applicant": "Applicant",
  "role.reviewer": "Reviewer",
  "role.admin": "Administrator",

  "logout.title": "Signing out…",

  "notFound.title": "Page not found",
  "notFound.body": "The page you are looking for does not exist.",
  "notFound.home": "Go to the start page",

  "error.network": "We could not reach the server. Check your connection and try again.",
  "error.retryAfter": "Try again in {seconds} seconds.",
  "error.unknown": "Something went wrong. Please try again.",
} as const;

export const en: Messages = {
  ui: enUi,
  errorCodes: {
    validation_failed: "Some fields need your attention.",
    malformed_json: "The request could not be read. Please reload the page and try again.",
    unsupported_media_type: "This kind of content is not supported.",
    payload_too_large: "What you sent is too large.",
    invalid_parameter: "A value in the request is not valid.",
    not_found: "We could not find what you were looking for.",
    method_not_allowed: "This action is not allowed here.",
    unauthorized: "Please sign in to continue.",
    invalid_credentials: "The email or password is incorrect.",
    token_expired: "Your session has expired. Please sign in again.",
    invalid_token: "Your session is no longer valid. Please sign in again.",
    forbidden: "Your account is not allowed to do this.",
    email_taken: "An account with this email already exists.",
    rate_limited: "Too many attempts. Please wait a moment and try again.",
    conflict: "This changed in the meantime. Please reload and try again.",
    dependency_unavailable: "The service is temporarily unavailable. Please try again shortly.",
    internal_error: "Something went wrong on our side. Please try again.",
  },
  fieldCodes: {
    required: "This field is required.",
    invalid_email: "Enter a valid email address.",
    too_short: "This is too short.",
    too_long: "This is too long.",
    common_password: "This password is too common. Choose one that is harder to guess.",
    invalid_format: "This is not in the expected format.",
  },
};
