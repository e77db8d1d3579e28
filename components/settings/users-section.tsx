"use client";
// The users table: a picked role saves on its "Save" button, disabling and enabling ask first. Both show at once
// (useOptimistic) and fall back, with a toast saying why, if the server refuses. Your own row
// cannot be demoted or disabled; the server refuses that too.
import { useRef, useState } from "react";
import { useHydrated } from "@/components/ui/clock";
import { useRouter } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { RelativeTime } from "@/components/ui/relative-time";
import type { Role } from "@/lib/auth/roles";
import type { UserDto } from "@/lib/auth/users";
import { updateUserAction } from "@/app/(console)/settings/actions";
import { AddUserDialog } from "./add-user-dialog";
import { RoleOptions } from "./roles";
import { useDialog, useOptimisticRows, type Saving } from "./row-actions";
import { DataTable } from "@/components/ui/data-table";

const SELF_NOTE_ID = "own-account-note";

interface UsersSectionProps {
  users: UserDto[];
  currentUserId: string | null;
  serverNow: number;
}

export function UsersSection({ users, currentUserId, serverNow }: UsersSectionProps) {
  const router = useRouter();
  const [rows, change] = useOptimisticRows(users);
  const [dialog, setDialog, close] = useDialog<{ kind: "add" } | { kind: "toggle"; user: UserDto }>();

  function update(user: UserDto, changes: Partial<Pick<UserDto, "role" | "disabled">>, done: string, verb: string) {
    change({
      id: user.id,
      changes,
      save: () => updateUserAction({ id: user.id, ...changes }),
      done,
      failure: `Could not ${verb} ${user.email}`,
      onFailure: (error) => {
        if (error.code === "NOT_FOUND") router.refresh();
      },
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
        <DataTable className="settings-table users-table" caption="Users" columns={["Email", "Name", "Role", "Status", "Last sign-in", { hidden: "Actions" }]}>
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
        </DataTable>
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
  user: Saving<UserDto>;
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
        <RolePicker user={user} disabled={isSelf} onSave={onRole} />
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

/**
 * The role select saves only on "Save", which appears once another role is picked: arrow keys on
 * a closed select fire a change per press in several browsers, so saving on change would change
 * the role while someone only browses the options (WCAG 3.2.2).
 */
function RolePicker({ user, disabled, onSave }: { user: UserDto; disabled: boolean; onSave: (role: Role) => void }) {
  const selectRef = useRef<HTMLSelectElement>(null);
  const [picked, setPicked] = useState<Role | null>(null);
  // Server-rendered: a pick made before hydration would be lost, so the select waits for it.
  const hydrated = useHydrated();
  const role = picked ?? user.role;
  const changed = picked !== null && picked !== user.role;
  return (
    <span className="role-picker">
      <select
        ref={selectRef}
        className="compact-select"
        aria-label={`Role of ${user.email}`}
        value={role}
        disabled={disabled || !hydrated}
        aria-describedby={disabled ? SELF_NOTE_ID : undefined}
        onChange={(event) => setPicked(event.target.value as Role)}
        onKeyDown={(event) => {
          if (event.key === "Escape" && changed) setPicked(null);
        }}
      >
        <RoleOptions />
      </select>
      {changed ? (
        <Button
          size="small"
          onClick={() => {
            setPicked(null);
            onSave(role);
            // The button goes away; the select keeps the focus.
            selectRef.current?.focus();
          }}
        >
          Save<span className="sr-only"> role of {user.email}</span>
        </Button>
      ) : null}
    </span>
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
