import { redirect } from "next/navigation";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { currentActor } from "@/lib/auth/session";
import { LoginForm } from "@/components/login-form";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  const target = safeCallbackPath(callbackUrl);
  if (await currentActor()) redirect(target);
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>Sign in to Tickwork</h1>
        <LoginForm callbackUrl={target} />
      </div>
    </main>
  );
}
