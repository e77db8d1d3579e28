/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WASM database packages stay out of the bundle and load from node_modules.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pg", "@prisma/adapter-pg", "@node-rs/argon2", "bcryptjs", "node-cron"],
  poweredByHeader: false,
  // `next dev` serves its scripts and hot reload only to these hosts besides localhost; without
  // this, a console opened at 127.0.0.1 in development never hydrates.
  allowedDevOrigins: ["127.0.0.1"],
  async rewrites() {
    // Every API path is also served under /api/v1 by the same handlers.
    return [{ source: "/api/v1/:path*", destination: "/api/:path*" }];
  },
};

export default nextConfig;
