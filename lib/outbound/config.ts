// The outbound HTTP policy of this process, from TICKWORK_HTTP_ALLOW (lib/env has validated it).
import { env } from "@/lib/env";
import { parseAllowList, type OutboundPolicy } from "./policy";

let configured: OutboundPolicy | undefined;

export function outboundPolicy(): OutboundPolicy {
  configured ??= parseAllowList(env.TICKWORK_HTTP_ALLOW);
  return configured;
}
