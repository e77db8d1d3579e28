import type { Metadata } from "next";
import { Toaster } from "sonner";
import "./globals.css";

// Every page renders per request: the proxy's script nonce (proxy.ts) reaches only pages rendered
// after it, and a page built ahead of time would carry scripts without it, which the policy blocks.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Tickwork", description: "Job scheduler and operator console" };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        {children}
        <Toaster richColors closeButton position="bottom-right" />
      </body>
    </html>
  );
}
