/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WASM database packages stay out of the bundle and load from node_modules.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pg", "@prisma/adapter-pg", "bcryptjs", "node-cron"],
  poweredByHeader: false,
  async rewrites() {
    // Every API path is also served under /api/v1 by the same handlers.
    return [{ source: "/api/v1/:path*", destination: "/api/:path*" }];
  },
};

export default nextConfig;
