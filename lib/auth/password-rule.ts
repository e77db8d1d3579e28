// The one password rule, for people added in the console, the CLI and ADMIN_PASSWORD alike. Free
// of other imports so lib/env can use it.
import { z } from "zod";

export const PASSWORD_MIN_LENGTH = 10;

export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(200, "Use at most 200 characters");
