import { validationError } from "@/lib/errors";
import { otherMethods, route } from "@/lib/http/route";
import { deleteSecret, SecretName, SecretPut, setSecret } from "@/lib/secrets";

function nameFrom(params: Record<string, string>): string {
  const parsed = SecretName.safeParse(params.name);
  if (!parsed.success) throw validationError(parsed.error.issues, ["name"]);
  return parsed.data;
}

// PUT /api/secrets/:name – create or replace a secret's value (admin)
export const PUT = route({ role: "admin", body: SecretPut }, ({ actor, body, params }) => setSecret({ actor, input: { name: nameFrom(params), value: body.value } }));

// DELETE /api/secrets/:name – delete a secret no live job uses (admin); 409 CONFLICT names the jobs that do
export const DELETE = route({ role: "admin" }, async ({ actor, params }) => {
  await deleteSecret({ actor, input: { name: nameFrom(params) } });
  return new Response(null, { status: 204 });
});

// GET, POST, PATCH, OPTIONS – 405 METHOD_NOT_ALLOWED with Allow; OPTIONS answers 204 with Allow
export const { GET, POST, PATCH, OPTIONS } = otherMethods({ PUT, DELETE });
