"use client";
// The API tokens table: create (shown once) and revoke (after a confirmation naming the token).
// A revoke shows at once (useOptimistic) and falls back, with a toast, if the server refuses.
import { startTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { RelativeTime } from "@/components/ui/relative-time";
import type { TokenDto } from "@/lib/auth/tokens";
import { revokeTokenAction } from "@/app/(console)/settings/actions";
import { CreateTokenDialog } from "./create-token-dialog";
import { useDialog, useOptimisticRows } from "./row-actions";
import { DataTable } from "@/components/ui/data-table";

/** Where focus goes when a revoke takes the row's Revoke button away: the row's status. */
const statusCell = (id: string) => document.querySelector<HTMLElement>(`tr[data-token-id="${CSS.escape(id)}"] .cell-status`);

export function TokensSection({ tokens, serverNow }: { tokens: TokenDto[]; serverNow: number }) {
  const [rows, change] = useOptimisticRows(tokens);
  const [dialog, setDialog, close] = useDialog<{ kind: "create" } | { kind: "revoke"; token: TokenDto }>();

  function revoke(token: TokenDto) {
    change({
      id: token.id,
      changes: { revokedAt: token.revokedAt ?? new Date().toISOString() },
      save: () => revokeTokenAction({ id: token.id }),
      done: `Revoked API token "${token.name}"`,
      doneDescription: "Requests with it are refused from now on.",
      failure: `Could not revoke "${token.name}"`,
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
        <DataTable className="settings-table tokens-table" caption="API tokens, newest first" columns={["Name", "Prefix", "Role", "Created", "Last used", "Status", { hidden: "Actions" }]}>
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
              <td className="cell-status" tabIndex={-1}>
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
        </DataTable>
      )}
      {dialog?.kind === "create" ? <CreateTokenDialog onClose={close} /> : null}
      {dialog?.kind === "revoke" ? (
        <ConfirmDialog
          title={`Revoke "${dialog.token.name}"?`}
          confirmLabel="Revoke token"
          onCancel={close}
          fallbackFocus={() => statusCell(dialog.token.id)}
          onConfirm={() => {
            // One transition, so the dialog closes as the button it was opened from goes away,
            // and focus lands on the row's status ("Revoked") rather than on nothing.
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
