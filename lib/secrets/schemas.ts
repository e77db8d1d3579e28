// Secret schemas: one source for the API, the server actions, the form and the OpenAPI document.
import { z } from "zod";
import { SECRET_NAME } from "./references";

export const MAX_SECRET_BYTES = 8 * 1024;

export const SecretName = z
  .string()
  .regex(SECRET_NAME, "Use capital letters, digits and underscores, starting with a letter (at most 64), e.g. REPORTS_TOKEN");

export const SecretValue = z
  .string()
  .min(1, "A value is required")
  .refine((value) => Buffer.byteLength(value) <= MAX_SECRET_BYTES, { message: `At most ${MAX_SECRET_BYTES / 1024} KiB` });

/** PUT /api/secrets/:name body. */
export const SecretPut = z.strictObject({ value: SecretValue });
export type SecretPut = z.infer<typeof SecretPut>;

/** What the console's form sends: the name travels in the body there. */
export const SecretInput = SecretPut.extend({ name: SecretName });
export type SecretInput = z.infer<typeof SecretInput>;

export const SecretSchema = z.object({
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string().describe("Who set the current value"),
  usedBy: z.array(z.string()).describe("Ids of the live jobs whose params use {{secrets.NAME}}"),
});
export type SecretDto = z.infer<typeof SecretSchema>;
