"use client";
// The users table: role changes save at once, disabling and enabling ask first. Both show at once
// (useOptimistic) and fall back, with a toast saying why, if the server refuses. Your own row
// cannot be demoted or disabled; the server refuses that too.
import { startTransition, useCallback, useOptimistic, useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAnnounce } from "@/components/ui/live-region";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ActionError } from "@/lib/actions/action";
import { ROLES, type Role } from "@/lib/auth/roles";
import type { UserDto } from "@/lib/auth/users";
import { updateUserAction } from "@/app/(console)/settings/actions";
import { describeActionError, toastActionError } from "@/components/jobs/action-feedback";
import { AddUserDialog } from "./add-user-dialog";

type UserRow = UserDto & { saving?: boolean };
type Patch = { id: string; changes: Partial<Pick<UserDto, "role" | "disabled">> };

const applyPatch = (rows: UserRow[], patch: Patch): UserRow[] => rows.map((row) => (row.id === patch.id ? { ...row, ...patch.changes, saving: true } : row));

const SELF_NOTE_ID = "own-account-note";

interface UsersSectionProps {
  users: UserDto[];
  currentUserId: string | null;
  serverNow: number;
}

export function UsersSection({ users, currentUserId, serverNow }: UsersSectionProps) {
  const router = useRouter();
  const announce = useAnnounce();
  const [rows, addOptimistic] = useOptimistic<UserRow[], Patch>(users, applyPatch);
  const [dialog, setDialog] = useState<{ kind: "add" } | { kind: "toggle"; user: UserDto } | null>(null);
  const close = useCallback(() => setDialog(null), []);

  function failed(headline: string, error: ActionError) {
    toastActionError(headline, error);
    announce(`${headline}. ${describeActionError(error)}`);
    if (error.code === "NOT_FOUND") router.refresh();
  }

  function update(user: UserDto, changes: Patch["changes"], done: string, verb: string) {
    startTransition(async () => {
      addOptimistic({ id: user.id, changes });
      const result = await updateUserAction({ id: user.id, ...changes });
      if (!result.ok) return failed(`Could not ${verb} ${user.email}`, result.error);
      toast.success(done);
      announce(done);
    });
  }

  const changeRole = (user: UserDto, role: Role) => update(user, { role }, `${user.email} is now ${role === "admin" ? "an" : "a"} ${role}`, "change the role of");
  const setDisabled = (user: UserDto, disabled: boolean) =>
    update(user, { disabled }, disabled ? `Disabled ${user.email}; they can no longer sign in` : `Enabled ${user.email}`, disabled ? "disable" : "enable");

  return (
    <section aria-labelledby="users-title" className="settings-section" data-testid="users-section">
      <div className="toolbar">
        <h2 id="users-title">Users</h2>
        <Button onClick={() => setDialog({ kind: "add" })}>
          <span aria-hidden="true">+ </span>Add user
        </Button>
      </div>
      {rows.length === 0 ? (
        <div className="empty">
          <p>No users yet.</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="settings-table users-table">
            <caption className="sr-only">Users</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((user) => (
                <UserRowView
                  key={user.id}
                  user={user}
                  isSelf={user.id === currentUserId}
                  serverNow={serverNow}
                  onRole={(role) => changeRole(user, role)}
                  onToggle={() => setDialog({ kind: "toggle", user })}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {dialog?.kind === "add" ? <AddUserDialog onClose={close} /> : null}
      {dialog?.kind === "toggle" ? (
        <ToggleUserDialog
          user={dialog.user}
          onCancel={close}
          onConfirm={() => {
            close();
            setDisabled(dialog.user, !dialog.user.disabled);
          }}
        />
      ) : null}
    </section>
  );
}

interface UserRowViewProps {
  user: UserRow;
  isSelf: boolean;
  serverNow: number;
  onRole: (role: Role) => void;
  onToggle: () => void;
}

function UserRowView({ user, isSelf, serverNow, onRole, onToggle }: UserRowViewProps) {
  return (
    <tr data-user-id={user.id} aria-busy={user.saving || undefined} className={user.saving ? "pending" : undefined}>
      <td className="cell-email">
        {user.email}
        {isSelf ? (
          <span className="muted small" id={SELF_NOTE_ID}>
            {" "}
            (you: you cannot change your own role or disable yourself)
          </span>
        ) : null}
      </td>
      <td>{user.name ?? <span className="muted">—</span>}</td>
      <td>
        <select
          className="compact-select"
          aria-label={`Role of ${user.email}`}
          value={user.role}
          disabled={isSelf}
          aria-describedby={isSelf ? SELF_NOTE_ID : undefined}
          onChange={(event) => onRole(event.target.value as Role)}
        >
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </td>
      <td>
        {user.disabled ? (
          <Badge tone="muted" icon="⊘">
            Disabled
          </Badge>
        ) : (
          <Badge tone="ok" icon="✓">
            Active
          </Badge>
        )}
      </td>
      <td className="cell-when">{user.lastLoginAt ? <RelativeTime iso={user.lastLoginAt} serverNow={serverNow} /> : <span className="muted">Never</span>}</td>
      <td className="cell-actions">
        {isSelf ? null : (
          <Button variant={user.disabled ? "secondary" : "danger"} size="small" onClick={onToggle}>
            {user.disabled ? "Enable" : "Disable"}
            <span className="sr-only"> {user.email}</span>
          </Button>
        )}
      </td>
    </tr>
  );
}

function ToggleUserDialog({ user, onConfirm, onCancel }: { user: UserDto; onConfirm: () => void; onCancel: () => void }) {
  if (user.disabled) {
    return (
      <ConfirmDialog title={`Enable ${user.email}?`} confirmLabel="Enable user" tone="primary" onConfirm={onConfirm} onCancel={onCancel}>
        <p>
          <strong>{user.email}</strong> can sign in again, with their {user.role} role.
        </p>
      </ConfirmDialog>
    );
  }
  return (
    <ConfirmDialog title={`Disable ${user.email}?`} confirmLabel="Disable user" onConfirm={onConfirm} onCancel={onCancel}>
      <p>
        <strong>{user.email}</strong> can no longer sign in, and their open sessions stop working at once.
      </p>
      <p className="muted">Their audit history is kept. You can enable them again later.</p>
    </ConfirmDialog>
  );
}
