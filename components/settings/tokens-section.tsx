"use client";
// The API tokens table: create (shown once) and revoke (after a confirmation naming the token).
// A revoke shows at once (useOptimistic) and falls back, with a toast, if the server refuses.
import { startTransition, useCallback, useOptimistic, useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAnnounce } from "@/components/ui/live-region";
import { RelativeTime } from "@/components/ui/relative-time";
import type { TokenDto } from "@/lib/auth/tokens";
import { revokeTokenAction } from "@/app/(console)/settings/actions";
import { describeActionError, toastActionError } from "@/components/jobs/action-feedback";
import { CreateTokenDialog } from "./create-token-dialog";

type TokenRow = TokenDto & { saving?: boolean };

const markRevoked = (rows: TokenRow[], id: string): TokenRow[] =>
  rows.map((row) => (row.id === id ? { ...row, revokedAt: row.revokedAt ?? new Date().toISOString(), saving: true } : row));

export function TokensSection({ tokens, serverNow }: { tokens: TokenDto[]; serverNow: number }) {
  const announce = useAnnounce();
  const [rows, addRevoked] = useOptimistic<TokenRow[], string>(tokens, markRevoked);
  const [dialog, setDialog] = useState<{ kind: "create" } | { kind: "revoke"; token: TokenDto } | null>(null);
  const close = useCallback(() => setDialog(null), []);

  function revoke(token: TokenDto) {
    startTransition(async () => {
      addRevoked(token.id);
      const result = await revokeTokenAction({ id: token.id });
      if (!result.ok) {
        const headline = `Could not revoke "${token.name}"`;
        toastActionError(headline, result.error);
        announce(`${headline}. ${describeActionError(result.error)}`);
        return;
      }
      const message = `Revoked API token "${token.name}"`;
      toast.success(message, { description: "Requests with it are refused from now on." });
      announce(message);
    });
  }

  return (
    <section aria-labelledby="tokens-title" className="settings-section" data-testid="tokens-section">
      <div className="toolbar">
        <h2 id="tokens-title">API tokens</h2>
        <Button onClick={() => setDialog({ kind: "create" })}>
          <span aria-hidden="true">+ </span>Create token
        </Button>
      </div>
      {rows.length === 0 ? (
        <div className="empty" data-testid="tokens-empty">
          <p>No API tokens yet. Programs use one to call the API with a role of its own.</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="settings-table tokens-table">
            <caption className="sr-only">API tokens, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((token) => (
                <tr key={token.id} data-token-id={token.id} aria-busy={token.saving || undefined} className={token.saving ? "pending" : undefined}>
                  <td className="cell-token-name">{token.name}</td>
                  <td>
                    <code>{token.prefix}…</code>
                  </td>
                  <td>{token.role}</td>
                  <td className="cell-when">
                    <RelativeTime iso={token.createdAt} serverNow={serverNow} />
                  </td>
                  <td className="cell-when">{token.lastUsedAt ? <RelativeTime iso={token.lastUsedAt} serverNow={serverNow} /> : <span className="muted">Never</span>}</td>
                  <td>
                    {token.revokedAt ? (
                      <Badge tone="muted" icon="⊘" title={`Revoked ${token.revokedAt}`}>
                        Revoked
                      </Badge>
                    ) : (
                      <Badge tone="ok" icon="✓">
                        Active
                      </Badge>
                    )}
                  </td>
                  <td className="cell-actions">
                    {token.revokedAt ? null : (
                      <Button variant="danger" size="small" onClick={() => setDialog({ kind: "revoke", token })}>
                        Revoke<span className="sr-only"> {token.name}</span>
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {dialog?.kind === "create" ? <CreateTokenDialog onClose={close} /> : null}
      {dialog?.kind === "revoke" ? (
        <ConfirmDialog
          title={`Revoke "${dialog.token.name}"?`}
          confirmLabel="Revoke token"
          onCancel={close}
          onConfirm={() => {
            // One transition, so the dialog closes as the button it was opened from goes away,
            // and focus lands on the heading rather than on nothing.
            startTransition(() => {
              close();
              revoke(dialog.token);
            });
          }}
        >
          <p>
            Programs using <strong>{dialog.token.name}</strong> (<code>{dialog.token.prefix}…</code>) get <code>401</code> from now on.
          </p>
          <p className="muted">This cannot be undone; create a new token if it is needed again.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
