// Notification schemas: one source for the API, the server actions, the console's form and the
// OpenAPI document. Free of server imports, so client components use them too.
import { z } from "zod";
import { PageQuery } from "@/lib/http/pagination";

export const CHANNEL_KINDS = ["webhook", "slack", "email"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** What a channel can be told about. */
export const CHANNEL_EVENTS = ["failed", "recovered", "paused", "skipped", "late"] as const;
export type ChannelEvent = (typeof CHANNEL_EVENTS)[number];

export const EVENT_WORDS: Record<ChannelEvent, string> = {
  failed: "failed with no attempts left",
  recovered: "succeeded after a failure",
  paused: "health became failed (paused)",
  skipped: "a fire was skipped",
  late: "a scheduled run has not started 60 s after its time",
};

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export const MAX_JOB_IDS = 1000;

const Name = z.string().trim().min(1, "A name is required").max(200, "At most 200 characters");
const Target = z.string().trim().min(1, "A URL or an email address is required").max(2000, "At most 2,000 characters");
const Events = z
  .array(z.enum(CHANNEL_EVENTS, { error: `One of ${CHANNEL_EVENTS.join(", ")}` }))
  .min(1, "Pick at least one event")
  .transform((events) => CHANNEL_EVENTS.filter((event) => events.includes(event)));
const JobIds = z
  .array(z.uuid("A job id (uuid)"))
  .min(1, "List at least one job, or send null to watch every job")
  .max(MAX_JOB_IDS, `At most ${MAX_JOB_IDS} jobs`)
  .nullable()
  .transform((ids) => (ids ? [...new Set(ids)] : null));

/** The target's form for its kind: a URL (webhook, slack) or an address (email). Policy checks are the service's. */
export function targetProblem(kind: ChannelKind, target: string): string | null {
  if (kind === "email") return z.email().safeParse(target).success ? null : "Not a valid email address";
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return "Not a valid URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "Use an http or https URL";
  return null;
}

const ChannelFields = z.strictObject({
  name: Name,
  kind: z.enum(CHANNEL_KINDS, { error: `One of ${CHANNEL_KINDS.join(", ")}` }),
  target: Target,
  events: Events,
  jobIds: JobIds.default(null).describe("The jobs to watch; null watches every job"),
  enabled: z.boolean().default(true),
});

/** POST /api/channels body. */
export const ChannelInput = ChannelFields.superRefine((input, ctx) => {
  const problem = targetProblem(input.kind, input.target);
  if (problem) ctx.addIssue({ code: "custom", path: ["target"], message: problem });
});
export type ChannelInput = z.infer<typeof ChannelInput>;

/** PATCH /api/channels/:id body: any of the fields (the target is checked against the resulting kind). */
export const ChannelPatch = z.strictObject({
  name: Name.optional(),
  kind: ChannelFields.shape.kind.optional(),
  target: Target.optional(),
  events: Events.optional(),
  jobIds: JobIds.optional(),
  enabled: z.boolean().optional(),
});
export type ChannelPatch = z.infer<typeof ChannelPatch>;

export const ChannelSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(CHANNEL_KINDS),
  target: z.string().describe("A URL (webhook, slack) or an email address"),
  events: z.array(z.enum(CHANNEL_EVENTS)),
  jobIds: z.array(z.string()).nullable().describe("The watched jobs; null: every job"),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string(),
});
export type ChannelDto = z.infer<typeof ChannelSchema>;

export const CreatedChannelSchema = ChannelSchema.extend({
  secret: z.string().describe("Signs webhook deliveries (Tickwork-Signature); shown in this answer only"),
});
export type CreatedChannelDto = z.infer<typeof CreatedChannelSchema>;

export const DeliverySchema = z.object({
  id: z.string(),
  channelId: z.string(),
  event: z.string().describe("failed, recovered, paused, skipped, late, or test"),
  jobId: z.string().nullable(),
  executionId: z.string().nullable(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable().describe("When the next attempt is due (pending only)"),
  lastError: z.string().nullable(),
  lastStatus: z.number().int().nullable().describe("The endpoint's HTTP status in the last attempt, when it answered"),
  suppressed: z.number().int().describe("Identical events folded into this one by the once-a-minute limit"),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  summary: z.string().describe("What the notification says, in a line"),
});
export type DeliveryDto = z.infer<typeof DeliverySchema>;

export const DeliveryQuery = PageQuery.extend({ status: z.enum(DELIVERY_STATUSES).optional() });
export type DeliveryQuery = z.infer<typeof DeliveryQuery>;

export const TestResultSchema = z.object({
  ok: z.boolean(),
  status: z.number().int().nullable().describe("The endpoint's HTTP status, when it answered"),
  error: z.string().nullable().describe("Why it failed: the status and body start, or the connection error"),
  durationMs: z.number().int(),
  delivery: DeliverySchema,
});
export type TestResultDto = z.infer<typeof TestResultSchema>;
