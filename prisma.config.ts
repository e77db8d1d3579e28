// Prisma CLI configuration. The app never runs the schema engine: migrations are applied by
// lib/db/migrate.ts, and `prisma generate` needs no database.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/tickwork" },
});
