// Sending one notification to one channel, once: a signed webhook, a Slack message or an email.
// HTTP goes through the outbound policy (as http.request does); every attempt has a deadline.
// Never throws: the outcome says whether it worked, the endpoint's status and why it did not.
import crypto from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";
import type { NotificationChannel } from "@/lib/db";
import { env } from "@/lib/env";
import { outboundRequest } from "@/lib/outbound/request";
import { describeThrown } from "@/lib/storable";
import { emailMessage, ordered, slackMessage, type Payload } from "./payload";
import { channelSecret } from "./store";

export interface SendOutcome {
  ok: boolean;
  /** The endpoint's HTTP status, when it answered. */
  status: number | null;
  error: string | null;
}

type Channel = Pick<NotificationChannel, "id" | "kind" | "target" | "secretCiphertext" | "secretIv" | "secretAuthTag" | "secretKeyId">;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, as receivers verify it. */
export function signature(secret: string, body: string, at = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = crypto.createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${v1}`;
}

export async function sendNotification(channel: Channel, payload: Payload, deliveryId: string, timeoutMs: number): Promise<SendOutcome> {
  try {
    if (channel.kind === "email") return await sendEmail(channel.target, payload, timeoutMs);
    const body = JSON.stringify(channel.kind === "slack" ? slackMessage(payload) : ordered(payload));
    const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Tickwork-Notifications/1" };
    if (channel.kind === "webhook") {
      headers["tickwork-signature"] = signature(channelSecret(channel), body);
      headers["tickwork-event"] = payload.event;
      headers["tickwork-delivery"] = deliveryId;
    }
    const response = await outboundRequest({ method: "POST", url: channel.target, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status, error: null };
    const excerpt = response.body.trim().slice(0, 300);
    return { ok: false, status: response.status, error: `The endpoint answered ${response.status}${excerpt ? `: ${excerpt}` : ""}` };
  } catch (error) {
    return { ok: false, status: null, error: connectionError(error, timeoutMs) };
  }
}

function connectionError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `No answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${describeThrown(error)}${cause}`.slice(0, 1000);
}

const transports = new Map<string, Transporter>();

function transport(timeoutMs: number): Transporter {
  const url = env.SMTP_URL;
  if (!url) throw new Error("SMTP_URL is not set: email channels cannot send");
  const key = `${url}|${timeoutMs}`;
  let cached = transports.get(key);
  if (!cached) {
    cached = nodemailer.createTransport(url, { connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
    transports.set(key, cached);
  }
  return cached;
}

async function sendEmail(to: string, payload: Payload, timeoutMs: number): Promise<SendOutcome> {
  const message = emailMessage(payload);
  await transport(timeoutMs).sendMail({ from: env.SMTP_FROM, to, subject: message.subject, text: message.text, html: message.html });
  return { ok: true, status: null, error: null };
}
