import type { Role } from "@/lib/auth/roles";

declare module "next-auth" {
  interface User {
    role: Role;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: Role;
  }
}
