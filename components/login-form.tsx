"use client";
// Posts to next-auth's credentials callback itself, so a 429 (too many attempts) can be told
// apart from wrong credentials.
import { useState } from "react";

type Status = { kind: "idle" } | { kind: "busy" } | { kind: "error"; message: string };

async function signIn(email: string, password: string, callbackUrl: string): Promise<string | null> {
  const { csrfToken } = await (await fetch("/api/auth/csrf")).json();
  const response = await fetch("/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl, json: "true" }),
  });
  if (response.status === 429) {
    const minutes = Math.max(1, Math.ceil(Number(response.headers.get("retry-after") ?? 900) / 60));
    return `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
  }
  const data = (await response.json().catch(() => ({}))) as { url?: string };
  if (!response.ok || !data.url || new URL(data.url, location.origin).searchParams.has("error")) {
    return "Wrong email or password.";
  }
  return null;
}

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const [status, setStatus] = useState<Status>({ kind: "idle" });

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setStatus({ kind: "busy" });
    try {
      const problem = await signIn(String(form.get("email")), String(form.get("password")), callbackUrl);
      if (problem) return setStatus({ kind: "error", message: problem });
      window.location.assign(callbackUrl);
    } catch {
      setStatus({ kind: "error", message: "Could not reach the server. Check your connection and try again." });
    }
  }

  return (
    // POST: a submit before hydration (a slow first load) must never put the password in the URL.
    <form method="post" onSubmit={onSubmit} noValidate>
      <div className="field">
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required autoFocus />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      <p role="alert" aria-live="assertive" className="error">
        {status.kind === "error" ? status.message : ""}
      </p>
      <button className="button" type="submit" disabled={status.kind === "busy"}>
        {status.kind === "busy" ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
