// The open event streams of this process, and who they were opened for. At most 10 per user or
// token at once (the 11th is refused with 429 RATE_LIMITED); and every 2 seconds one query per
// kind checks the people and tokens behind all of them, so a stream ends within seconds when its
// token is revoked, its user disabled, or its role no longer allows it. (A stream was authorised
// once, when it opened; without this it would outlive the credentials that opened it.)
import { hasRole, type Actor, type Role } from "@/lib/auth/roles";
import { activeTokenRoles } from "@/lib/auth/tokens";
import { activeUserRoles } from "@/lib/auth/users";
import { DomainError } from "@/lib/errors";
import { logger } from "@/lib/log";

export const STREAM_LIMITS = { perPrincipal: 10, recheckMs: 2000 };

interface OpenStream {
  actor: Actor;
  required: Role;
  end: () => void;
}

interface Registry {
  streams: Set<OpenStream>;
  timer?: ReturnType<typeof setInterval>;
  checking: boolean;
}

const globalForStreams = globalThis as unknown as { tickworkStreams?: Registry };
const registry = (): Registry => (globalForStreams.tickworkStreams ??= { streams: new Set(), checking: false });

const principal = (actor: Actor) => `${actor.kind}:${actor.id ?? actor.name}`;

/**
 * Registers a stream for `actor` (who needs `required` to keep it); `end` closes it. Throws
 * RATE_LIMITED when the actor already has the maximum open. Returns the release to call when the
 * stream closes for any reason.
 */
export function registerStream(actor: Actor, required: Role, end: () => void): () => void {
  const state = registry();
  const key = principal(actor);
  const open = [...state.streams].filter((stream) => principal(stream.actor) === key).length;
  if (open >= STREAM_LIMITS.perPrincipal) {
    throw new DomainError("RATE_LIMITED", `At most ${STREAM_LIMITS.perPrincipal} event streams per user or token at once; close one first`, {
      retryable: true,
      retryAfterSeconds: 5,
    });
  }
  const stream: OpenStream = { actor, required, end };
  state.streams.add(stream);
  state.timer ??= setInterval(() => void recheck(state), STREAM_LIMITS.recheckMs).unref();
  return () => {
    state.streams.delete(stream);
    if (state.streams.size === 0 && state.timer) {
      clearInterval(state.timer);
      state.timer = undefined;
    }
  };
}

/** Ends the streams whose user or token no longer has the role they need. */
async function recheck(state: Registry): Promise<void> {
  if (state.checking || state.streams.size === 0) return;
  state.checking = true;
  try {
    const streams = [...state.streams];
    const idsOf = (kind: Actor["kind"]) => [...new Set(streams.filter((stream) => stream.actor.kind === kind && stream.actor.id).map((stream) => stream.actor.id!))];
    const [users, tokens] = await Promise.all([activeUserRoles(idsOf("user")), activeTokenRoles(idsOf("token"))]);
    for (const stream of streams) {
      const { kind, id } = stream.actor;
      if (kind === "system") continue;
      const role = (kind === "user" ? users : tokens).get(id ?? "");
      if (!role || !hasRole(role, stream.required)) stream.end();
    }
  } catch (error) {
    // The database is away: keep the streams; the next check tries again.
    logger.warn("Could not recheck the event streams' credentials", { error: String(error) });
  } finally {
    state.checking = false;
  }
}

export function openStreamCount(): number {
  return registry().streams.size;
}
