// Roles in the settings' forms: what each may do, the options of a role select, and the labelled
// role field of "Add user" and "Create token".
import { Field } from "@/components/ui/field";
import { ROLES, type Role } from "@/lib/auth/roles";

/** What each role may do, in a line. */
export const ROLE_HINTS: Record<Role, string> = {
  viewer: "Viewer: sees jobs, runs and stats; changes nothing.",
  operator: "Operator: also creates, edits, runs and cancels jobs, and reads the audit log.",
  admin: "Admin: also manages users and API tokens.",
};

export const RoleOptions = () =>
  ROLES.map((role) => (
    <option key={role} value={role}>
      {role}
    </option>
  ));

export function RoleField({ id, value, errors, onChange }: { id: string; value: Role; errors?: string[]; onChange: (role: Role) => void }) {
  return (
    <Field id={id} label="Role" hint={ROLE_HINTS[value]} errors={errors}>
      {(control) => (
        <select {...control} value={value} onChange={(event) => onChange(event.target.value as Role)}>
          <RoleOptions />
        </select>
      )}
    </Field>
  );
}
